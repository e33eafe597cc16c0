-- The authorities of the server: the schemas holding the store's schema_version table.
with final as (
    select table_schema as authority
    from information_schema.tables
    where table_name = 'schema_version'
)

select * from final
order by authority
