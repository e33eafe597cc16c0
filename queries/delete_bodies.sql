-- Rows whose key is in `removed`, a frame of keys registered by the store.
delete from bodies
using removed
where bodies.body_id = removed.body_id
