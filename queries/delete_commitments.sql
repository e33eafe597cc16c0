-- Rows whose key is in `removed`, a frame of keys registered by the store.
delete from commitments
using removed
where commitments.commitment_id = removed.commitment_id
