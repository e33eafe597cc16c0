-- `incoming` is a frame registered by the store, already checked by the import.
insert or replace into budget_lines by name
select * from incoming
