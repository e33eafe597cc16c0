-- The newest entry (of a table, or of all when `table_name` is null; 0 when none): what an
-- editor remembers when it loads a table, to refuse a save on rows changed since.
with final as (
    select coalesce(max(id), 0) as last_id
    from journal
    where $table_name is null or table_name = $table_name
)

select * from final
