-- PostgreSQL's form of ../0004_journal_keys.sql: a PostgreSQL schema is created at step 1 and
-- brought up to date before its first write, so its journal holds no key of the older format
-- to rewrite. The step is recorded all the same, so that both backends count the same steps.
select 1;
