-- The benchmark's floor: the engine's titles, totals and balances computed by DuckDB alone,
-- from the store's tables, with the rules of the README's « How figures are computed ». Not used by the dashboard: it is what
-- `make bench` measures the Polars engine against, and must agree with it to the cent.
--
-- Three statements, run in order by scripts/sql_floor.py (split on the `-- statement:` lines):
-- the titles are kept in a temporary table, then totals and balances are read from it, as the
-- engine computes the titles once and aggregates them twice.
--
-- Money is integer cents until the last select; every rounding is half away from zero, written
-- (2n + d) // 2d: fees, months and the VAT rate are never negative (the schema checks it).

-- statement: titles
create or replace temp table floor_titles as
with vat as (
    select coalesce(
        max(case when key = 'vat_rate' then cast(value as decimal(9, 2)) end), 20.00
    ) as rate
    from settings
),

vat_basis_points as (
    select cast(rate * 100 as bigint) as bp from vat
),

terms as (
    select
        c.convention_id,
        a.body_id,
        c.agreement_id,
        c.operation_code,
        c.imputation,
        c.start_date,
        coalesce(c.end_date, a.end_date) as end_date,
        cast(g.annual_fee * 100 as bigint) as fee_cents,
        g.tax,
        g.billing_rule,
        g.payment_days
    from conventions as c
    left join agreements as a on a.agreement_id = c.agreement_id
    inner join fee_grid as g
        on
            g.agreement_id = c.agreement_id
            and g.formula = c.formula
            and g.category = c.category
    where
        c.start_date is not null
        and coalesce(c.end_date, a.end_date) >= c.start_date
),

-- calendar_year: one invoice per calendar year touched, in full, the first at subscription.
calendar_numbered as (
    select
        *,
        unnest(range(0, year(end_date) - year(start_date) + 1)) as title_no
    from terms
    where billing_rule = 'calendar_year'
),

calendar_titles as (
    select
        *,
        year(start_date) + title_no as year,
        case
            when title_no = 0 then start_date
            else make_date(year(start_date) + title_no, 1, 1)
        end as period_start,
        least(end_date, make_date(year(start_date) + title_no, 12, 31)) as period_end,
        1200 as months_hundredths,
        fee_cents as excl_cents,
        case
            when title_no = 0 then start_date
            else make_date(year(start_date) + title_no, 1, 1)
        end as issue_date
    from calendar_numbered
),

-- anniversary_prorated: one title per 12-month period from the start, the last prorated.
anniversary_numbered as (
    select
        *,
        unnest(range(0, year(end_date) - year(start_date) + 2)) as title_no
    from terms
    where billing_rule = 'anniversary_prorated'
),

anniversary_periods as (
    select
        *,
        cast(start_date + to_months(12 * title_no) as date) as period_start,
        cast(start_date + to_months(12 * (title_no + 1)) as date) - 1 as natural_end
    from anniversary_numbered
),

anniversary_gaps as (
    select
        *,
        natural_end <= end_date as full_period,
        (year(end_date) - year(period_start)) * 12
        + month(end_date) - month(period_start) as month_gap
    from anniversary_periods
    where period_start <= end_date
),

-- complete months: the largest m with period start + m months - 1 day on or before the end.
anniversary_months as (
    select
        *,
        greatest(
            case
                when cast(period_start + to_months(month_gap + 1) as date) - 1 <= end_date
                    then month_gap + 1
                when cast(period_start + to_months(month_gap) as date) - 1 <= end_date
                    then month_gap
                else month_gap - 1
            end,
            0
        ) as complete_months
    from anniversary_gaps
),

anniversary_days as (
    select
        *,
        greatest(
            end_date - cast(period_start + to_months(complete_months) as date) + 1, 0
        ) as days_left
    from anniversary_months
),

anniversary_hundredths as (
    select
        *,
        case
            when full_period then 1200
            -- months = m + days / 30 to the hundredth: m·100 + days·10/3, rounded
            else complete_months * 100 + (20 * days_left + 3) // 6
        end as months_hundredths
    from anniversary_days
),

anniversary_titles as (
    select
        *,
        year(start_date) + title_no as year,
        least(natural_end, end_date) as period_end,
        case
            when full_period then fee_cents
            else (2 * months_hundredths * fee_cents + 1200) // 2400
        end as excl_cents,
        case
            when title_no = 0 then start_date
            else make_date(year(start_date) + title_no, 3, 31)
        end as issue_date
    from anniversary_hundredths
),

titles as (
    select
        convention_id, body_id, agreement_id, operation_code, imputation, year, title_no,
        period_start, period_end, months_hundredths, tax, billing_rule, excl_cents,
        issue_date, payment_days
    from calendar_titles
    union all
    select
        convention_id, body_id, agreement_id, operation_code, imputation, year, title_no,
        period_start, period_end, months_hundredths, tax, billing_rule, excl_cents,
        issue_date, payment_days
    from anniversary_titles
),

taxed as (
    select
        titles.*,
        case
            when tax = 'HT' then (2 * excl_cents * vat_basis_points.bp + 10000) // 20000
            when excl_cents is not null then 0
        end as vat_cents
    from titles
    cross join vat_basis_points
),

final as (
    select
        convention_id,
        body_id,
        agreement_id,
        operation_code,
        imputation,
        cast(year as integer) as year,
        cast(title_no as integer) as title_no,
        period_start,
        period_end,
        cast(cast(months_hundredths as decimal(18, 0)) * 0.01 as decimal(5, 2)) as months,
        tax,
        billing_rule,
        cast(cast(excl_cents as decimal(18, 0)) * 0.01 as decimal(18, 2)) as amount_excl_tax,
        cast(cast(vat_cents as decimal(18, 0)) * 0.01 as decimal(18, 2)) as vat,
        cast(
            cast(excl_cents + vat_cents as decimal(18, 0)) * 0.01 as decimal(18, 2)
        ) as amount_incl_tax,
        issue_date,
        issue_date + payment_days as due_date,
        excl_cents is not null as priced
    from taxed
)

select * from final
order by year, body_id, convention_id, title_no;

-- statement: totals
with final as (
    select
        body_id,
        year,
        cast(coalesce(sum(amount_excl_tax), 0) as decimal(18, 2)) as amount_excl_tax,
        cast(coalesce(sum(vat), 0) as decimal(18, 2)) as vat,
        cast(coalesce(sum(amount_incl_tax), 0) as decimal(18, 2)) as amount_incl_tax,
        count(*) filter (where not priced) as unpriced
    from floor_titles
    group by body_id, year
)

select * from final
order by body_id, year;

-- statement: balance
with fees as (
    select
        operation_code,
        imputation,
        year,
        coalesce(sum(amount_incl_tax), 0) as committed_fees,
        count(*) filter (where not priced) as unpriced
    from floor_titles
    group by operation_code, imputation, year
),

-- M57: engaged, liquidated, mandated or paid amounts consume credits; planned ones are shown
-- beside them; cancelled ones no longer count.
others as (
    select
        operation_code,
        imputation,
        year,
        coalesce(
            sum(amount_incl_tax) filter (
                where status in ('committed', 'liquidated', 'mandated', 'paid')
            ),
            0
        ) as committed_other,
        coalesce(sum(amount_incl_tax) filter (where status = 'planned'), 0) as planned
    from commitments
    group by operation_code, imputation, year
),

line_keys as (
    select operation_code, imputation, year from budget_lines
    union
    select operation_code, imputation, year from fees
    union
    select operation_code, imputation, year from others
),

labels as (
    select
        operation_code,
        imputation,
        arg_max(label, year) filter (where label is not null) as label
    from budget_lines
    group by operation_code, imputation
),

-- Crédits ouverts: the sum of a year's votes (BP, BS, DMs, restes à réaliser).
open_credits as (
    select
        operation_code,
        imputation,
        year,
        sum(credits) as credits
    from budget_lines
    group by operation_code, imputation, year
),

joined as (
    select
        k.operation_code,
        k.imputation,
        k.year,
        l.label,
        b.credits,
        coalesce(f.committed_fees, 0) as committed_fees,
        coalesce(o.committed_other, 0) as committed_other,
        coalesce(o.planned, 0) as planned,
        coalesce(f.unpriced, 0) as unpriced
    from line_keys as k
    left join open_credits as b
        on
            b.operation_code is not distinct from k.operation_code
            and b.imputation is not distinct from k.imputation
            and b.year = k.year
    left join fees as f
        on
            f.operation_code is not distinct from k.operation_code
            and f.imputation is not distinct from k.imputation
            and f.year = k.year
    left join others as o
        on
            o.operation_code is not distinct from k.operation_code
            and o.imputation is not distinct from k.imputation
            and o.year = k.year
    left join labels as l
        on
            l.operation_code is not distinct from k.operation_code
            and l.imputation is not distinct from k.imputation
),

final as (
    select
        operation_code,
        imputation,
        cast(year as integer) as year,
        label,
        cast(coalesce(credits, 0) as decimal(18, 2)) as credits,
        cast(committed_fees as decimal(18, 2)) as committed_fees,
        cast(committed_other as decimal(18, 2)) as committed_other,
        cast(committed_fees + committed_other as decimal(18, 2)) as committed,
        cast(coalesce(credits, 0) - committed_fees - committed_other as decimal(18, 2))
            as balance,
        cast(planned as decimal(18, 2)) as planned,
        unpriced,
        credits is not null as has_credits
    from joined
)

select * from final
order by operation_code nulls last, imputation nulls last, year;
