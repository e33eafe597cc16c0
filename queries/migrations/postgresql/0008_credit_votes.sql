-- PostgreSQL's form of ../0008_credit_votes.sql: the same table and the same journal text.
-- PostgreSQL changes a primary key in place, so the table keeps its name and rows: each row
-- written before becomes the budget primitif of its year (same figure, every balance the same).
-- A decision may take credits away: only a BP or a report of restes à réaliser is never negative.
alter table budget_lines add column stage varchar not null default 'BP';
alter table budget_lines add column deliberation_id varchar;
alter table budget_lines drop constraint budget_lines_pkey;
alter table budget_lines add primary key (operation_code, imputation, year, stage);
alter table budget_lines drop constraint budget_lines_credits_check;
alter table budget_lines add constraint budget_lines_credits_check
    check (credits >= 0 or stage not in ('BP', 'RAR'));

-- Journal entries of budget lines name their row by the new key, and the rows they recorded
-- carry the stage, written as DuckDB's json_array and json_merge_patch write them (compact, the
-- stage last), so that both backends hold the same text and an undo finds the same vote.
update journal
set
    row_key = '['
        || coalesce(to_json(cast(coalesce(row_before, row_after) as json) ->> 'operation_code')::text, 'null')
        || ','
        || coalesce(to_json(cast(coalesce(row_before, row_after) as json) ->> 'imputation')::text, 'null')
        || ','
        || coalesce(cast(cast(cast(coalesce(row_before, row_after) as json) ->> 'year' as integer) as text), 'null')
        || ',"BP"]',
    row_before = case when row_before is not null
        then regexp_replace(row_before, '\}\s*$', ',"stage":"BP"}') end,
    row_after = case when row_after is not null
        then regexp_replace(row_after, '\}\s*$', ',"stage":"BP"}') end
where table_name = 'budget_lines' and coalesce(row_before, row_after) is not null;
