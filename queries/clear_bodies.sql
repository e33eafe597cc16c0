delete from bodies
