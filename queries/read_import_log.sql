with final as (
    select imported_at, source, detail from import_log
)

select * from final
order by imported_at desc
