-- After a restore: the entries the replaced schema had beyond the restored one's, so that the
-- history survives the restore. `_replaced` is the replaced schema, renamed in the restore's
-- transaction (no authority can bear that name: theirs begin with a letter).
insert into journal (
    id, write_id, written_at, actor, source, action, table_name, row_key, row_before,
    row_after, undoes
)
select
    id, write_id, written_at, actor, source, action, table_name, row_key, row_before,
    row_after, undoes
from _replaced.journal
where id > (select coalesce(max(id), 0) from journal)
order by id
