-- Rules whose key (kind, name) is in `removed`, a frame of keys registered by the store.
delete from access_rules
using removed
where access_rules.kind = removed.kind and access_rules.name = removed.name
