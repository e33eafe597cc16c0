-- PostgreSQL's form of upsert_budget_lines.sql: `incoming` is a temporary table the store
-- filled from the checked frame; a row of the same key is replaced.
insert into budget_lines (operation_code, imputation, label, year, credits)
select operation_code, imputation, label, year, credits
from incoming
on conflict (operation_code, imputation, year) do update set
    label = excluded.label,
    credits = excluded.credits
