-- PostgreSQL's form of later_changes.sql: the lists are text arrays.
with final as (
    select id, write_id, written_at, actor, action, table_name, row_key
    from journal
    where id > $after_id
        and (
            table_name is null
            or (
                table_name = $table_name::text
                and (
                    coalesce(row_key = any($row_keys::text[]), $row_keys::text[] is null)
                    or not coalesce(action = any($row_actions::text[]), true)
                )
            )
        )
    order by id desc
)

select * from final
