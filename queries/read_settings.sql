with final as (
    select key, value from settings
)

select * from final
order by key
