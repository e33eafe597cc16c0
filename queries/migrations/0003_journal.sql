-- The journal: every write, one entry per row it changed (or one for a write without rows:
-- a restore), with its author, its source and the row before and after, as JSON objects of the
-- exchange format's values. Written in the same transaction as the write it records.
create table if not exists journal (
    id bigint primary key,  -- numbered by the store, in order: 1, 2, 3…
    write_id bigint not null,
    written_at timestamp not null,  -- UTC
    actor varchar not null,
    source varchar not null,
    action varchar not null,
    table_name varchar,
    row_key varchar,
    row_before varchar,
    row_after varchar,
    undoes bigint
);

-- Who may do what, beside the configuration: rules an administrator edits on the page.
create table if not exists access_rules (
    kind varchar not null check (kind in ('email', 'groupe')),
    name varchar not null,
    role varchar not null check (role in ('lecteur', 'gestionnaire', 'administrateur')),
    primary key (kind, name)
);
