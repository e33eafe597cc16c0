-- PostgreSQL's form of ../0010_journal_by_write.sql: the journal indexed by write, then entry.
-- A page of operations joins the journal on `write_id` (without the index the server sorted an
-- operation of 10⁵ entries to disk to merge it: 1.1 s of the Journal page, 0.4 s with it), an
-- operation's rows are `where write_id = …` numbered by `id` (read in that order from the
-- index, no sort), and an event's detail is `write_id in (…) and table_name is null`.
create index if not exists journal_by_write on journal (write_id, id);
