-- Deadlines that reach people: the e-mail reminders sent (each deadline, kind and date once per
-- person), the runs of `python -m spend remind`, and the calendar feed's addresses.
create table if not exists reminders_sent (
    kind varchar not null,  -- notice, convention_end, agreement_end, payment
    deadline_key varchar not null,  -- the deadline's stable key (kind of event and its keys)
    deadline_date date not null,  -- a deadline whose date changes is sent again
    recipient varchar not null,
    sent_at timestamp not null,  -- UTC
    run_id bigint not null,
    primary key (kind, deadline_key, deadline_date, recipient)
);

create table if not exists reminder_runs (
    run_id bigint primary key,
    started_at timestamp not null,  -- UTC
    actor varchar not null,
    reference_date date not null,
    status varchar not null check (status in ('envoyé', 'rien à envoyer', 'échec', 'test')),
    messages integer not null,
    deadlines integer not null,
    detail varchar not null
);

-- A feed address is a random token; only its SHA-256 is kept. Revoked addresses stay, dated.
create table if not exists feed_tokens (
    token_hash varchar primary key,
    created_at timestamp not null,  -- UTC
    created_by varchar not null,
    revoked_at timestamp,
    revoked_by varchar
);
