with final as (
    select
        commitment_id,
        operation_code,
        imputation,
        year,
        amount_incl_tax,
        label,
        date,
        status
    from commitments
)

select * from final
order by commitment_id
