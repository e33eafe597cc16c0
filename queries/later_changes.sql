-- The entries after `after_id` that changed rows of a table, the newest first: a save made on
-- older data, or an undo of an entry whose row changed since, is refused naming who changed it.
-- `row_keys` (JSON arrays, as the journal stores them) narrows to those rows, null for every
-- row; an entry whose action is not among `row_actions` counts for every row of its table
-- (an import, an undo); an entry without a table (a restore: the whole file) for every table.
with final as (
    select id, write_id, written_at, actor, action, table_name, row_key
    from journal
    where id > $after_id
        and (
            table_name is null
            or (
                table_name = $table_name
                and (
                    coalesce(list_contains($row_keys, row_key), true)
                    or not coalesce(list_contains($row_actions, action), true)
                )
            )
        )
)

select * from final
order by id desc
