-- PostgreSQL's form of upsert_conventions.sql: `incoming` is a temporary table the store
-- filled from the checked frame; a row of the same key is replaced.
insert into conventions (convention_id, agreement_id, title, formula, category, start_date, end_date, notice_months, operation_code, imputation, deliberation_id, status, start_date_assumed)
select convention_id, agreement_id, title, formula, category, start_date, end_date, notice_months, operation_code, imputation, deliberation_id, status, start_date_assumed
from incoming
on conflict (convention_id) do update set
    agreement_id = excluded.agreement_id,
    title = excluded.title,
    formula = excluded.formula,
    category = excluded.category,
    start_date = excluded.start_date,
    end_date = excluded.end_date,
    notice_months = excluded.notice_months,
    operation_code = excluded.operation_code,
    imputation = excluded.imputation,
    deliberation_id = excluded.deliberation_id,
    status = excluded.status,
    start_date_assumed = excluded.start_date_assumed
