-- PostgreSQL's form of upsert_commitments.sql: `incoming` is a temporary table the store
-- filled from the checked frame; a row of the same key is replaced.
insert into commitments (commitment_id, operation_code, imputation, year, amount_incl_tax, label, date, status)
select commitment_id, operation_code, imputation, year, amount_incl_tax, label, date, status
from incoming
on conflict (commitment_id) do update set
    operation_code = excluded.operation_code,
    imputation = excluded.imputation,
    year = excluded.year,
    amount_incl_tax = excluded.amount_incl_tax,
    label = excluded.label,
    date = excluded.date,
    status = excluded.status
