delete from deliberations
