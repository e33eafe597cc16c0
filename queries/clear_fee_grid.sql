delete from fee_grid
