-- Changes whenever anything is written: keys the dashboard's caches.
with final as (
    select
        count(*) as writes,
        cast(max(imported_at) as varchar) as last_write
    from import_log
)

select * from final
