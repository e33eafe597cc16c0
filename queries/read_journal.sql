-- The journal, the newest first; optionally one table's, from a date (UTC).
with final as (
    select id, write_id, written_at, actor, source, action, table_name, row_key, row_before, row_after, undoes
    from journal
    where ($table_name is null or table_name = $table_name)
        and ($since is null or written_at >= $since)
)

select * from final
order by id desc
