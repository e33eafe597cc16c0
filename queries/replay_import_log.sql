-- A write brought back from the write log: its line of the import log, at its own time.
insert into import_log (imported_at, source, detail, actor)
values ($imported_at, $source, $detail, $actor)
