-- `entries` is a frame of journal entries registered by the store, in the write's transaction:
-- they are numbered after the last entry (writes take turns, so no two take the same numbers).
with last as (
    select coalesce(max(id), 0) as last_id from journal
)

insert into journal (id, write_id, written_at, actor, source, action, table_name, row_key, row_before, row_after, undoes)
select
    last.last_id + row_number() over () as id,
    write_id, written_at, actor, source, action, table_name, row_key, row_before, row_after, undoes
from entries, last
