-- What the journal's filters offer: each action, table and author the journal names.
with final as (
    select distinct action, table_name, actor
    from journal
)

select * from final
order by action, table_name, actor
