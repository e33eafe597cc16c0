-- Changes whenever recorded data is written: keys the dashboard's caches. Scenario saves change
-- no figure: they are counted apart, so that they do not make every figure computed again.
with final as (
    select
        count(*) filter (where source not like 'scénario%') as writes,
        cast(max(written_at) filter (where source not like 'scénario%') as varchar)
            as last_write,
        count(*) filter (where source like 'scénario%') as scenario_writes
    from write_log
)

select * from final
