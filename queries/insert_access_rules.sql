-- `incoming` is a frame of checked rules registered by the store.
insert into access_rules by name
select * from incoming
