with final as (
    select id, write_id, written_at, actor, source, action, table_name, row_key, row_before, row_after, undoes
    from journal
    where ($table_name::text is null or table_name = $table_name::text)
        and ($since::timestamp is null or written_at >= $since::timestamp)
    order by id desc
)

select * from final
