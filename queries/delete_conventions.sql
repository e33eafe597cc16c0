-- Rows whose key is in `removed`, a frame of keys registered by the store.
delete from conventions
using removed
where conventions.convention_id = removed.convention_id
