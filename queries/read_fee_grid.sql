with final as (
    select
        agreement_id,
        formula,
        category,
        annual_fee,
        tax,
        billing_rule,
        payment_days
    from fee_grid
)

select * from final
order by agreement_id, formula, category
