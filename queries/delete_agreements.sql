-- Rows whose key is in `removed`, a frame of keys registered by the store.
delete from agreements
using removed
where agreements.agreement_id = removed.agreement_id
