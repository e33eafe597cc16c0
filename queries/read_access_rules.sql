with final as (
    select kind, name, role
    from access_rules
    order by kind, name
)

select * from final
