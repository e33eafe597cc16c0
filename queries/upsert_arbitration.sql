insert or replace into arbitrations values ($operation_code, $imputation, $year, $amount)
