insert into scenarios (name, settings_json, saved_at)
values ($name, $settings_json, current_timestamp::timestamp)
on conflict (name) do update set
    settings_json = excluded.settings_json,
    saved_at = excluded.saved_at
