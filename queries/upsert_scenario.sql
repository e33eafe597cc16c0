insert or replace into scenarios values ($name, $settings_json, current_timestamp::timestamp)
