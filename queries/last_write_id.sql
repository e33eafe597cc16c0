-- The newest write recorded in the journal (0 when none): a backup records the point it copies.
with final as (
    select coalesce(max(write_id), 0) as last_write_id
    from journal
)

select * from final
