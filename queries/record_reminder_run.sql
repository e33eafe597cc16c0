insert into reminder_runs
with final as (
    select
        cast($run_id as bigint) as run_id,
        cast($started_at as timestamp) as started_at,
        cast($actor as varchar) as actor,
        cast($reference_date as date) as reference_date,
        cast($status as varchar) as status,
        cast($messages as integer) as messages,
        cast($deadlines as integer) as deadlines,
        cast($detail as varchar) as detail
)

select * from final
order by run_id
