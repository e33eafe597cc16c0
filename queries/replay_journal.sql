-- `entries` is a frame of journal entries read back from the write log, with their own numbers.
insert into journal by name
select * from entries
