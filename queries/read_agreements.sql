with final as (
    select
        agreement_id,
        body_id,
        reference,
        title,
        end_date
    from agreements
)

select * from final
order by agreement_id
