with final as (
    select kind, name, role
    from access_rules
)

select * from final
order by kind, name
