with final as (
    select schema_name
    from information_schema.schemata
    where schema_name = $schema
)

select * from final
