with final as (
    select
        deliberation_id,
        date,
        assembly,
        title,
        votes_for,
        votes_against,
        abstentions,
        outcome,
        subject_code,
        subject_name,
        members_in_office,
        prefecture_id,
        prefecture_date,
        budget_year,
        budget_name,
        url
    from deliberations
)

select * from final
order by deliberation_id
