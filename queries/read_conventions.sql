with final as (
    select
        convention_id,
        agreement_id,
        title,
        formula,
        category,
        start_date,
        end_date,
        notice_months,
        operation_code,
        imputation,
        deliberation_id,
        status,
        start_date_assumed
    from conventions
)

select * from final
order by convention_id
