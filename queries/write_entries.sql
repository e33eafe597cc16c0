-- One write's journal entries, in order, every column: what the write log keeps of it.
with final as (
    select *
    from journal
    where write_id = $write_id
)

select * from final
order by id
