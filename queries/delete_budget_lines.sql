-- Rows whose key is in `removed`, a frame of keys registered by the store.
delete from budget_lines
using removed
where budget_lines.operation_code = removed.operation_code and budget_lines.imputation = removed.imputation and budget_lines.year = removed.year and budget_lines.stage = removed.stage
