with final as (
    select operation_code, imputation, year, amount from arbitrations
)

select * from final
order by operation_code, imputation, year
