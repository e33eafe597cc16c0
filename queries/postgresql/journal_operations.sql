-- PostgreSQL's form of journal_operations.sql: the page is numbered in a subquery (no
-- `qualify`), `strpos` finds the text, the last line of the write log is the first of its
-- lines ordered newest first (no `arg_max`), the fields every entry of a write shares are read
-- with `min` (no `any_value` before PostgreSQL 16), the tables as a text array; parameters are
-- typed where the server cannot tell from the query.
with matching as (
    select write_id
    from journal
    where ($action::text is null or action = $action::text)
        and ($table_name::text is null or table_name = $table_name::text)
        and ($actor::text is null or actor = $actor::text)
        and ($since::timestamp is null or written_at >= $since::timestamp)
        and ($until::timestamp is null or written_at < $until::timestamp)
        and ($show_access_rules::boolean or table_name is distinct from 'access_rules')
        and (
            $text::text is null
            or strpos(lower(row_key), $text::text) > 0
            or strpos(lower(source), $text::text) > 0
        )
    group by write_id
),

numbered as (
    select
        write_id,
        count(*) over () as operations,
        row_number() over (order by write_id desc) as position
    from matching
),

page as (
    select write_id, operations
    from numbered
    where position between $offset::bigint + 1 and $offset::bigint + $limit::bigint
),

-- The page's entries by their narrow columns only, and an event's detail (its entry without
-- a table) apart: sorting an operation of 10⁵ rows with their JSON spilled to disk (0.6 s for
-- the 10⁵ demo's import).
entries as (
    select
        journal.id,
        journal.write_id,
        journal.written_at,
        journal.actor,
        journal.source,
        journal.action,
        journal.table_name,
        page.operations
    from journal
    inner join page on journal.write_id = page.write_id
    where $show_access_rules::boolean or journal.table_name is distinct from 'access_rules'
),

details as (
    select write_id, min(row_after) as detail
    from journal
    where write_id in (select write_id from page) and table_name is null
    group by write_id
),

-- Each operation's line in the write log (the last one, should two share a number: a write
-- that changed no row leaves its number to the next).
described as (
    select
        write_id,
        (array_agg(source order by written_at desc))[1] as description
    from write_log
    where write_id in (select write_id from page)
    group by write_id
),

operations as (
    select
        write_id,
        min(id) as first_id,
        max(id) as last_id,
        min(written_at) as written_at,
        min(actor) as actor,
        min(source) as source,
        min(action) as action,
        count(table_name) as row_count,
        array_agg(distinct table_name) filter (where table_name is not null) as tables,
        min(operations) as operations
    from entries
    group by write_id
),

final as (
    select
        operations.write_id,
        operations.first_id,
        operations.last_id,
        operations.written_at,
        operations.actor,
        operations.source,
        operations.action,
        operations.row_count,
        operations.tables,
        details.detail,
        operations.operations,
        described.description
    from operations
    left join details on operations.write_id = details.write_id
    left join described on operations.write_id = described.write_id
)

select * from final
order by write_id desc
