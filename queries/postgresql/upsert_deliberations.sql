-- PostgreSQL's form of upsert_deliberations.sql: `incoming` is a temporary table the store
-- filled from the checked frame; a row of the same key is replaced.
insert into deliberations (deliberation_id, date, assembly, title, votes_for, votes_against, abstentions, outcome, subject_code, subject_name, members_in_office, prefecture_id, prefecture_date, budget_year, budget_name, url)
select deliberation_id, date, assembly, title, votes_for, votes_against, abstentions, outcome, subject_code, subject_name, members_in_office, prefecture_id, prefecture_date, budget_year, budget_name, url
from incoming
on conflict (deliberation_id) do update set
    date = excluded.date,
    assembly = excluded.assembly,
    title = excluded.title,
    votes_for = excluded.votes_for,
    votes_against = excluded.votes_against,
    abstentions = excluded.abstentions,
    outcome = excluded.outcome,
    subject_code = excluded.subject_code,
    subject_name = excluded.subject_name,
    members_in_office = excluded.members_in_office,
    prefecture_id = excluded.prefecture_id,
    prefecture_date = excluded.prefecture_date,
    budget_year = excluded.budget_year,
    budget_name = excluded.budget_name,
    url = excluded.url
