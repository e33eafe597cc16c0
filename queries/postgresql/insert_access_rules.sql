insert into access_rules (kind, name, role)
select kind, name, role
from incoming
