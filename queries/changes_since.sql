-- How much was written after a write (the writes and the size of their rows' images): a full
-- copy is due when it is a good share of the file.
with final as (
    select
        count(distinct write_id) as writes,
        coalesce(sum(coalesce(length(row_before), 0) + coalesce(length(row_after), 0)), 0)
            as image_chars
    from journal
    where write_id > $after
)

select * from final
