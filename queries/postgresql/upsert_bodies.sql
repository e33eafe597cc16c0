-- PostgreSQL's form of upsert_bodies.sql: `incoming` is a temporary table the store
-- filled from the checked frame; a row of the same key is replaced.
insert into bodies (body_id, name, siret, address)
select body_id, name, siret, address
from incoming
on conflict (body_id) do update set
    name = excluded.name,
    siret = excluded.siret,
    address = excluded.address
