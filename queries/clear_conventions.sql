delete from conventions
