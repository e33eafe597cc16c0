-- The reminders a run sent (the frame `sent_rows`); one sent again by a concurrent run is kept once.
insert or ignore into reminders_sent
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
