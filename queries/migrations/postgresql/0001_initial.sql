-- PostgreSQL's form of ../0001_initial.sql (only the seed setting's « insert or ignore » differs).
-- The store. Money is DECIMAL(18,2); references between tables are checked by the import,
-- not by foreign keys, because DuckDB refuses to update a row that a foreign key points at
-- and every import is an upsert.
create table if not exists settings (
    key varchar primary key,
    value varchar not null
);

create table if not exists bodies (
    body_id varchar primary key,
    name varchar not null,
    siret varchar,
    address varchar
);

create table if not exists agreements (
    agreement_id varchar primary key,
    body_id varchar not null,
    reference varchar,
    title varchar not null,
    end_date date
);

create table if not exists fee_grid (
    agreement_id varchar not null,
    formula varchar not null,
    category varchar not null,
    annual_fee decimal(18, 2) check (annual_fee >= 0),
    tax varchar not null check (tax in ('HT', 'net')),
    billing_rule varchar not null
        check (billing_rule in ('calendar_year', 'anniversary_prorated')),
    payment_days integer check (payment_days >= 0),
    primary key (agreement_id, formula, category)
);

create table if not exists conventions (
    convention_id varchar primary key,
    agreement_id varchar not null,
    title varchar,
    formula varchar,
    category varchar,
    start_date date,
    end_date date,
    notice_months integer check (notice_months >= 0),
    operation_code varchar,
    imputation varchar,
    deliberation_id varchar,
    status varchar not null,
    start_date_assumed boolean not null default false
);

create table if not exists budget_lines (
    operation_code varchar not null,
    imputation varchar not null,
    label varchar,
    year integer not null,
    credits decimal(18, 2) not null check (credits >= 0),
    primary key (operation_code, imputation, year)
);

create table if not exists commitments (
    commitment_id varchar primary key,
    operation_code varchar not null,
    imputation varchar not null,
    year integer not null,
    amount_incl_tax decimal(18, 2) not null,
    label varchar,
    date date,
    status varchar not null
);

create table if not exists deliberations (
    deliberation_id varchar primary key,
    date date not null,
    assembly varchar,
    title varchar,
    votes_for integer,
    votes_against integer,
    abstentions integer,
    outcome varchar
);

create table if not exists scenarios (
    name varchar primary key,
    settings_json varchar not null,
    saved_at timestamp not null
);

create table if not exists import_log (
    imported_at timestamp not null,
    source varchar not null,
    detail varchar
);

insert into settings values ('vat_rate', '20.00') on conflict (key) do nothing;
