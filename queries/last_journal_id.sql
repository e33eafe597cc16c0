-- The newest entry of a table (0 when none): what an editor remembers when it loads the table.
with final as (
    select coalesce(max(id), 0) as last_id
    from journal
    where $table_name is null or table_name = $table_name
)

select * from final
