-- PostgreSQL's form of journal_operation_rows.sql: the page is numbered in a subquery (no
-- `qualify`), `strpos` finds the text; parameters typed where the server cannot tell. The
-- entries are numbered by id alone, and only the page's are read whole: numbering an
-- operation of 10⁵ rows with their JSON took a second.
with matching as (
    select id
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
        id,
        count(*) over () as entries,
        row_number() over (order by id) as position
    from matching
),

page as (
    select id, entries
    from numbered
    where position between $offset::bigint + 1 and $offset::bigint + $limit::bigint
),

final as (
    select
        journal.id,
        journal.write_id,
        journal.written_at,
        journal.actor,
        journal.source,
        journal.action,
        journal.table_name,
        journal.row_key,
        journal.row_before,
        journal.row_after,
        journal.undoes,
        page.entries
    from journal
    inner join page on journal.id = page.id
)

select * from final
order by id
