delete from access_rules where kind = $kind and name = $name
