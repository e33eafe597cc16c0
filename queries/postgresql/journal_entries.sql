with final as (
    select id, write_id, written_at, actor, source, action, table_name, row_key, row_before, row_after, undoes
    from journal
    where id >= $first and ($last::bigint is null or id <= $last::bigint)
    order by id
)

select * from final
