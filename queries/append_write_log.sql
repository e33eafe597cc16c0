-- A write's line in the write log, in the write's transaction, with its number in the journal.
insert into write_log (written_at, source, detail, actor, write_id)
values (current_timestamp::timestamp, $source, $detail, $actor, $write_id)
