-- Rows whose key is in `removed`, a frame of keys registered by the store.
delete from deliberations
using removed
where deliberations.deliberation_id = removed.deliberation_id
