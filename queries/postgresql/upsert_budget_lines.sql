-- PostgreSQL's form of upsert_budget_lines.sql: `incoming` is a temporary table the store
-- filled from the checked frame; a vote of the same key (line, year, stage) is replaced.
insert into budget_lines (operation_code, imputation, label, year, credits, stage, deliberation_id)
select operation_code, imputation, label, year, credits, stage, deliberation_id
from incoming
on conflict (operation_code, imputation, year, stage) do update set
    label = excluded.label,
    credits = excluded.credits,
    deliberation_id = excluded.deliberation_id
