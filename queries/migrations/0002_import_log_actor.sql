-- Who wrote: every write of the store names its author (the operating-system user for the
-- command line, the signed-in manager for the dashboard). Earlier writes stay unattributed.
alter table import_log add column if not exists actor varchar;
