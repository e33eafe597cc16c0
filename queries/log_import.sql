insert into import_log values (current_timestamp::timestamp, $source, $detail)
