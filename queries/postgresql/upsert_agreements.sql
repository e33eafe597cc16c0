-- PostgreSQL's form of upsert_agreements.sql: `incoming` is a temporary table the store
-- filled from the checked frame; a row of the same key is replaced.
insert into agreements (agreement_id, body_id, reference, title, end_date)
select agreement_id, body_id, reference, title, end_date
from incoming
on conflict (agreement_id) do update set
    body_id = excluded.body_id,
    reference = excluded.reference,
    title = excluded.title,
    end_date = excluded.end_date
