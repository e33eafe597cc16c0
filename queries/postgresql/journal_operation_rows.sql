-- PostgreSQL's form of journal_operation_rows.sql: the page is numbered in a subquery (no
-- `qualify`), `strpos` finds the text; parameters typed where the server cannot tell.
with matching as (
    select id, write_id, written_at, actor, source, action, table_name, row_key, row_before, row_after, undoes
    from journal
    where write_id = $write_id::bigint
        and ($table_name::text is null or table_name = $table_name::text)
        and ($show_access_rules::boolean or table_name is distinct from 'access_rules')
        and (
            $text::text is null
            or strpos(lower(row_key), $text::text) > 0
            or strpos(lower(source), $text::text) > 0
        )
),

numbered as (
    select
        *,
        count(*) over () as entries,
        row_number() over (order by id) as position
    from matching
),

final as (
    select id, write_id, written_at, actor, source, action, table_name, row_key, row_before, row_after, undoes, entries
    from numbered
    where position between $offset::bigint + 1 and $offset::bigint + $limit::bigint
)

select * from final
order by id
