-- The tables of the main schema, to tell a database written before versioning from a new one.
with final as (
    select table_name
    from information_schema.tables
    where table_schema = 'main'
)

select * from final
