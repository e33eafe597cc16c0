-- The last runs of the reminders, the newest first.
with final as (
    select run_id, started_at, actor, reference_date, status, messages, deadlines, detail
    from reminder_runs
)

select * from final
order by run_id desc
limit $limit
