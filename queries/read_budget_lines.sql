with final as (
    select
        operation_code,
        imputation,
        label,
        year,
        credits,
        stage,
        deliberation_id
    from budget_lines
)

select * from final
order by operation_code, imputation, year, stage
