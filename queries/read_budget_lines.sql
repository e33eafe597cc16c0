with final as (
    select
        operation_code,
        imputation,
        label,
        year,
        credits
    from budget_lines
)

select * from final
order by operation_code, imputation, year
