with final as (
    select name, settings_json, saved_at from scenarios
)

select * from final
order by name
