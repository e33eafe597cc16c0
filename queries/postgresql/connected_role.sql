-- The role a connection acts as, and the rights beyond its own database that matter for the
-- dashboard: a superuser reads the server's files, runs programs and passes every check.
with final as (
    select
        rolname as role_name,
        rolsuper as is_superuser,
        rolbypassrls as bypasses_row_security,
        rolcreaterole as creates_roles
    from pg_catalog.pg_roles
    where rolname = current_user
)

select * from final
order by role_name
