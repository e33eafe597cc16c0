-- PostgreSQL's form of upsert_fee_grid.sql: `incoming` is a temporary table the store
-- filled from the checked frame; a row of the same key is replaced.
insert into fee_grid (agreement_id, formula, category, annual_fee, tax, billing_rule, payment_days)
select agreement_id, formula, category, annual_fee, tax, billing_rule, payment_days
from incoming
on conflict (agreement_id, formula, category) do update set
    annual_fee = excluded.annual_fee,
    tax = excluded.tax,
    billing_rule = excluded.billing_rule,
    payment_days = excluded.payment_days
