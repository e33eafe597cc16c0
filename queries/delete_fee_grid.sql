-- Rows whose key is in `removed`, a frame of keys registered by the store.
delete from fee_grid
using removed
where fee_grid.agreement_id = removed.agreement_id and fee_grid.formula = removed.formula and fee_grid.category = removed.category
