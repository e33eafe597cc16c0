-- Writes of synthetic data (`python -m spend demo`): their figures are no authority's.
with final as (
    select source, imported_at
    from import_log
    where source like 'démo%'
    order by imported_at
)

select * from final
