-- `incoming` is a frame registered by the store, already checked by the import.
insert or replace into agreements by name
select * from incoming
