-- A write brought back from the write-log file: its line of the write log, at its own time.
insert into write_log (written_at, source, detail, actor, write_id)
values ($written_at, $source, $detail, $actor, $write_id)
