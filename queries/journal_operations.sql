-- A page of the journal's operations (one per write: an import, an edit, a restore, an undo),
-- the newest first, with how many operations match in all. An operation matches when one of
-- its entries passes the filters (null: no filter): its action, table, author, time (UTC,
-- from `since` inclusive to `until` exclusive) and a text found, ignoring case, in the row's
-- key or the source (`text` is given lower-case; the rows' images are not searched: at 10⁶
-- entries that alone takes seconds). The access rules' entries (people's e-mails and roles)
-- count only with `show_access_rules`.
with matching as (
    select write_id
    from journal
    where ($action is null or action = $action)
        and ($table_name is null or table_name = $table_name)
        and ($actor is null or actor = $actor)
        and ($since is null or written_at >= $since)
        and ($until is null or written_at < $until)
        and ($show_access_rules or table_name is distinct from 'access_rules')
        and (
            $text is null
            or contains(lower(row_key), $text)
            or contains(lower(source), $text)
        )
    group by write_id
),

page as (
    select
        write_id,
        count(*) over () as operations
    from matching
    qualify row_number() over (order by write_id desc) between $offset + 1 and $offset + $limit
),

entries as (
    select journal.*, page.operations
    from journal
    inner join page on journal.write_id = page.write_id
    where $show_access_rules or journal.table_name is distinct from 'access_rules'
),

-- Each operation's line in the write log (the last one, should two share a number: a write
-- that changed no row leaves its number to the next).
described as (
    select
        write_id,
        arg_max(source, written_at) as description
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
        any_value(actor) as actor,
        any_value(source) as source,
        any_value(action) as action,
        count(table_name) as row_count,
        list(distinct table_name) filter (where table_name is not null) as tables,
        any_value(row_after) filter (where table_name is null) as detail,
        any_value(operations) as operations
    from entries
    group by write_id
),

final as (
    select
        operations.*,
        described.description
    from operations
    left join described on operations.write_id = described.write_id
)

select * from final
order by write_id desc
