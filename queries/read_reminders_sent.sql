-- Which deadlines (kind, key, date) each person has been sent already.
with final as (
    select kind, deadline_key, deadline_date, recipient, sent_at, run_id
    from reminders_sent
)

select * from final
order by deadline_date, kind, deadline_key, recipient
