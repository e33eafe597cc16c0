-- Next year's budget prepared: the amount the manager arbitrates on a budget line for a year
-- (« arbitré »), beside the proposal the engine computes. Journaled like every write.
create table if not exists arbitrations (
    operation_code varchar not null,
    imputation varchar not null,
    year integer not null,
    amount decimal(18, 2) not null check (amount >= 0),
    primary key (operation_code, imputation, year)
);
