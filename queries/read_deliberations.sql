with final as (
    select
        deliberation_id,
        date,
        assembly,
        title,
        votes_for,
        votes_against,
        abstentions,
        outcome
    from deliberations
)

select * from final
order by deliberation_id
