-- Entries by identifier (those an undo reverses).
with final as (
    select id, write_id, written_at, actor, source, action, table_name, row_key, row_before, row_after, undoes
    from journal
    where id >= $first and ($last is null or id <= $last)
)

select * from final
order by id
