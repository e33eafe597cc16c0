delete from scenarios where name = $name
