-- The entries after `after_id` that touched rows of a table: a save made on older data, or an
-- undo of an entry whose row changed since, is refused with the name of who changed it.
with final as (
    select id, written_at, actor, action, row_key
    from journal
    where table_name = $table_name and id > $after_id
    order by id desc
)

select * from final
