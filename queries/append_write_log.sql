-- A write's line in the write log, in the write's transaction.
insert into write_log (written_at, source, detail, actor)
values (current_timestamp::timestamp, $source, $detail, $actor)
