insert into import_log (imported_at, source, detail, actor)
values (current_timestamp::timestamp, $source, $detail, $actor)
