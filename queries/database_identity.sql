-- The database's identity (its lineage): set once when the file is made, kept by its backups
-- and restores, so that backups of an earlier database are told apart from this one's.
with final as (
    select value as database_id
    from settings
    where key = 'database_id'
)

select * from final
