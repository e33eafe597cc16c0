-- What the SCDL « délibérations » file publishes beside the vote: the ACTES subject, the members
-- in office, the prefecture's receipt, the budget and the published address. Unknown (null) in
-- the rows written before.
alter table deliberations add column if not exists subject_code varchar;
alter table deliberations add column if not exists subject_name varchar;
alter table deliberations add column if not exists members_in_office integer;
alter table deliberations add column if not exists prefecture_id varchar;
alter table deliberations add column if not exists prefecture_date date;
alter table deliberations add column if not exists budget_year varchar;
alter table deliberations add column if not exists budget_name varchar;
alter table deliberations add column if not exists url varchar;
