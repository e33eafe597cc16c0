-- The log of writes: one line per write (an import, an edit, a restore, an undo, a setting…),
-- not only imports, so the table and its time column say so. The journal holds each write's
-- rows; this table its one line (when, source, detail, who).
alter table import_log rename to write_log;
alter table write_log rename column imported_at to written_at;
-- Which write of the journal each line is (null for lines written before): the Journal page
-- names an operation by its line (« import conventions.csv »).
alter table write_log add column if not exists write_id bigint;
