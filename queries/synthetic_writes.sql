-- Writes of synthetic data (`python -m spend demo`): their figures are no authority's.
with final as (
    select source, written_at
    from write_log
    where source like 'démo%'
)

select * from final
order by written_at
