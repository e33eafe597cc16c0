-- PostgreSQL's form of record_reminders_sent.sql: a reminder sent again by a concurrent run is
-- kept once (`on conflict do nothing` for DuckDB's `insert or ignore`).
insert into reminders_sent (kind, deadline_key, deadline_date, recipient, sent_at, run_id)
with final as (
    select
        kind,
        deadline_key,
        cast(deadline_date as date) as deadline_date,
        recipient,
        cast($sent_at as timestamp) as sent_at,
        cast($run_id as bigint) as run_id
    from sent_rows
)

select * from final
order by deadline_date, kind, deadline_key, recipient
on conflict do nothing
