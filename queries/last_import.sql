-- The last write of recorded data (scenario saves change no figure: they are left out).
with final as (
    select imported_at, source, detail
    from import_log
    where source not like 'scénario%'
    order by imported_at desc
    limit 1
)

select * from final
