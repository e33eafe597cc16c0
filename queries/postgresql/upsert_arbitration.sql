-- PostgreSQL's form of upsert_arbitration.sql: the amount of a line and year is replaced.
insert into arbitrations (operation_code, imputation, year, amount)
values ($operation_code, $imputation, $year, $amount)
on conflict (operation_code, imputation, year) do update set
    amount = excluded.amount
