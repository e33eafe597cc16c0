delete from arbitrations
where operation_code = $operation_code and imputation = $imputation and year = $year
