-- A page of one operation's entries (the rows one write changed), in order, with how many
-- match in all: those of one table and holding a text (lower-case; null: every entry), the
-- access rules' only with `show_access_rules`.
with matching as (
    select id, write_id, written_at, actor, source, action, table_name, row_key, row_before, row_after, undoes
    from journal
    where write_id = $write_id
        and ($table_name is null or table_name = $table_name)
        and ($show_access_rules or table_name is distinct from 'access_rules')
        and (
            $text is null
            or contains(lower(row_key), $text)
            or contains(lower(source), $text)
        )
),

final as (
    select
        *,
        count(*) over () as entries
    from matching
    qualify row_number() over (order by id) between $offset + 1 and $offset + $limit
)

select * from final
order by id
