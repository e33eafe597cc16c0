-- After a restore: the entries the replaced file had beyond the restored one's (`replaced` is the
-- replaced file, attached), so that the history survives the restore.
insert into journal
select *
from replaced.journal
where id > (select coalesce(max(id), 0) from journal)
order by id
