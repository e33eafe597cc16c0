with final as (
    select coalesce(max(id), 0) as last_id
    from journal
    where $table_name::text is null or table_name = $table_name::text
)

select * from final
