-- The columns of the tables of the current schema, with their types: a restore compares the
-- restored schema's with those of the schema it replaces.
with final as (
    select table_name, column_name, data_type
    from information_schema.columns
    where table_schema = current_schema()
)

select * from final
order by table_name, column_name
