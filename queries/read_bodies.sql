with final as (
    select
        body_id,
        name,
        siret,
        address
    from bodies
)

select * from final
order by body_id
