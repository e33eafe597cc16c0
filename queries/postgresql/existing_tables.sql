-- The tables of the authority's schema (the connection's search path).
with final as (
    select table_name
    from information_schema.tables
    where table_schema = current_schema()
)

select * from final
