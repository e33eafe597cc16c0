with final as (
    select imported_at, source, detail
    from import_log
    order by imported_at desc
    limit 1
)

select * from final
