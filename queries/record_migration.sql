insert into schema_version values ($version, $name, current_timestamp)
