-- The last write of recorded data (scenario saves change no figure: they are left out).
with final as (
    select written_at, source, detail
    from write_log
    where source not like 'scénario%'
)

select * from final
order by written_at desc
limit 1
