-- Journal keys as JSON arrays of the key's values (`["C06-020M02","6281/930202",2022]`) rather
-- than the values joined with « / », which two rows could share (`A / B`,`C` and `A`,`B / C`).
-- Each key is read back from the row the entry recorded (before, or after for an addition),
-- with the key columns of its table (spend/domain/records.py TABLES, journal.OTHER_KEYS); the
-- exercice of a budget line is a number, as the store writes it.
update journal
set row_key = case table_name
    when 'bodies' then json_array(
        json_extract_string(coalesce(row_before, row_after), '$.body_id'))
    when 'agreements' then json_array(
        json_extract_string(coalesce(row_before, row_after), '$.agreement_id'))
    when 'fee_grid' then json_array(
        json_extract_string(coalesce(row_before, row_after), '$.agreement_id'),
        json_extract_string(coalesce(row_before, row_after), '$.formula'),
        json_extract_string(coalesce(row_before, row_after), '$.category'))
    when 'conventions' then json_array(
        json_extract_string(coalesce(row_before, row_after), '$.convention_id'))
    when 'budget_lines' then json_array(
        json_extract_string(coalesce(row_before, row_after), '$.operation_code'),
        json_extract_string(coalesce(row_before, row_after), '$.imputation'),
        cast(json_extract_string(coalesce(row_before, row_after), '$.year') as integer))
    when 'commitments' then json_array(
        json_extract_string(coalesce(row_before, row_after), '$.commitment_id'))
    when 'deliberations' then json_array(
        json_extract_string(coalesce(row_before, row_after), '$.deliberation_id'))
    when 'settings' then json_array(
        json_extract_string(coalesce(row_before, row_after), '$.key'))
    when 'scenarios' then json_array(
        json_extract_string(coalesce(row_before, row_after), '$.name'))
    when 'access_rules' then json_array(
        json_extract_string(coalesce(row_before, row_after), '$.kind'),
        json_extract_string(coalesce(row_before, row_after), '$.name'))
    else row_key
end
where table_name is not null and coalesce(row_before, row_after) is not null;
