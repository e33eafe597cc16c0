-- Every object a database file defines (its tables' columns, constraints, and any view, macro,
-- sequence, index, type or schema), to compare a file to restore with what our schema makes.
with columns_ as (
    select
        'table' as kind,
        table_name as name,
        column_name || ' ' || data_type || if(is_nullable, '', ' not null')
            || coalesce(' default ' || column_default, '') as detail
    from duckdb_columns()
    where database_name = current_database() and not internal
),

constraints_ as (
    select
        'table' as kind,
        table_name as name,
        constraint_type || ' ' || coalesce(constraint_text, '') as detail
    from duckdb_constraints()
    where database_name = current_database()
),

views_ as (
    select 'view' as kind, view_name as name, coalesce(sql, '') as detail
    from duckdb_views()
    where database_name = current_database() and not internal
),

sequences_ as (
    select 'sequence' as kind, sequence_name as name, '' as detail
    from duckdb_sequences()
    where database_name = current_database()
),

indexes_ as (
    select 'index' as kind, index_name as name, coalesce(sql, '') as detail
    from duckdb_indexes()
    where database_name = current_database()
),

types_ as (
    select 'type' as kind, type_name as name, '' as detail
    from duckdb_types()
    where database_name = current_database() and not internal
),

functions_ as (
    select 'macro' as kind, function_name as name, function_type as detail
    from duckdb_functions()
    where database_name = current_database() and not internal
),

schemas_ as (
    select 'schema' as kind, schema_name as name, '' as detail
    from duckdb_schemas()
    where database_name = current_database() and not internal
),

final as (
    select * from columns_
    union all select * from constraints_
    union all select * from views_
    union all select * from sequences_
    union all select * from indexes_
    union all select * from types_
    union all select * from functions_
    union all select * from schemas_
)

select * from final
order by all
