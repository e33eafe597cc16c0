-- Credits by stage: a budget line's credits of a year are the votes that opened them (budget
-- primitif, budget supplémentaire, décisions modificatives, restes à réaliser reported), each
-- with its deliberation when known; crédits ouverts = their sum. Each row written before is the
-- budget primitif of its year (same figure), so every balance stays what it was. A decision
-- may take credits away: only a BP or a report of restes à réaliser is never negative.
-- DuckDB cannot change a primary key in place: the table is rebuilt under its name.
create table budget_line_votes (
    operation_code varchar not null,
    imputation varchar not null,
    label varchar,
    year integer not null,
    credits decimal(18, 2) not null check (credits >= 0 or stage not in ('BP', 'RAR')),
    stage varchar not null default 'BP',
    deliberation_id varchar,
    primary key (operation_code, imputation, year, stage)
);

insert into budget_line_votes by name
select operation_code, imputation, label, year, credits, 'BP' as stage
from budget_lines;

drop table budget_lines;

alter table budget_line_votes rename to budget_lines;

-- Journal entries of budget lines name their row by the new key, and the rows they recorded
-- carry the stage, so that an undo finds and puts back the same vote.
update journal
set
    row_key = json_array(
        json_extract_string(coalesce(row_before, row_after), '$.operation_code'),
        json_extract_string(coalesce(row_before, row_after), '$.imputation'),
        cast(json_extract_string(coalesce(row_before, row_after), '$.year') as integer),
        'BP'),
    row_before = case when row_before is not null
        then cast(json_merge_patch(row_before, '{"stage":"BP"}') as varchar) end,
    row_after = case when row_after is not null
        then cast(json_merge_patch(row_after, '{"stage":"BP"}') as varchar) end
where table_name = 'budget_lines' and coalesce(row_before, row_after) is not null;
