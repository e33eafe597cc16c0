with final as (
    select coalesce(max(run_id), 0) + 1 as run_id from reminder_runs
)

select * from final
order by run_id
