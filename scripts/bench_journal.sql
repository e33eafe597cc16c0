-- A generated journal after the seed's entries: `$entries` rows in 900 imports of 1 000
-- conventions each (9/10 of them, in size), then single-row edits of budget lines; five
-- authors, one entry a second from 01/01/2025 (UTC).
with numbered as (
    select
        i,
        case when i < $entries * 9 // 10 then i // 1000
            else $entries * 9 // 10 // 1000 + (i - $entries * 9 // 10) end as write_number,
        i < $entries * 9 // 10 as is_import
    from range($entries) as t(i)
),

last as (
    select coalesce(max(id), 0) as last_id, coalesce(max(write_id), 0) as last_write
    from journal
),

final as (
    select
        last.last_id + i + 1 as id,
        last.last_write + write_number + 1 as write_id,
        timestamp '2025-01-01 00:00:00' + to_seconds(i) as written_at,
        'agent' || (write_number % 5) || '@exemple.fr' as actor,
        'tableau de bord' as source,
        case when is_import then 'import' else 'modification' end as action,
        case when is_import then 'conventions' else 'budget_lines' end as table_name,
        case when is_import then json_array('CONV-' || lpad(cast(i as varchar), 7, '0'))
            else json_array('C06-020M02', '6281/930202', 2000 + i % 100) end as row_key,
        case when is_import and i % 3 = 0 then null
            when is_import then '{"convention_id":"CONV-' || lpad(cast(i as varchar), 7, '0')
                || '","agreement_id":"AC-' || (i % 97) || '","title":"Adhésion n° ' || i
                || '","formula":"Sécurité","category":"CD","start_date":"2022-12-13",'
                || '"end_date":null,"notice_months":"3","operation_code":"C06-020M02",'
                || '"imputation":"6281/930202","deliberation_id":"2022-504","status":"planned",'
                || '"start_date_assumed":"false"}'
            else '{"operation_code":"C06-020M02","imputation":"6281/930202","label":"Informatique",'
                || '"year":"' || (2000 + i % 100) || '","credits":"' || (i % 9000) || '.00"}'
        end as row_before,
        case when is_import then '{"convention_id":"CONV-' || lpad(cast(i as varchar), 7, '0')
                || '","agreement_id":"AC-' || (i % 97) || '","title":"Adhésion n° ' || i
                || '","formula":"Sécurité","category":"CD","start_date":"2022-12-13",'
                || '"end_date":null,"notice_months":"3","operation_code":"C06-020M02",'
                || '"imputation":"6281/930202","deliberation_id":"2022-504","status":"active",'
                || '"start_date_assumed":"false"}'
            else '{"operation_code":"C06-020M02","imputation":"6281/930202","label":"Informatique",'
                || '"year":"' || (2000 + i % 100) || '","credits":"' || (i % 9000 + 500) || '.00"}'
        end as row_after,
        cast(null as bigint) as undoes
    from numbered, last
)

insert into journal by name
select * from final
