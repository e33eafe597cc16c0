"""A scenario applied: changed copies of the engine's inputs, never the recorded data.

`apply` turns a scenario's settings into new EngineInputs; the same engine computes the answer,
and `compare` puts it beside the recorded figures, per budget line and year.
"""

from decimal import Decimal

import polars as pl

from spend.domain.budget import BUDGET_KEY, budget_balance, line_key_expr, split_line_key
from spend.domain.credits import as_open_credits
from spend.domain.dates import add_months
from spend.domain.fees import (
    MONTHS_FULL,
    EngineInputs,
    convention_terms,
    fee_titles,
    totals_by_body,
    vat_basis_points,
)
from spend.domain.figures import Figures, compute
from spend.domain.money import MONEY, div_round_half_away, from_cents, to_cents
from spend.domain.scenario import Scenario

# Four changes compose on a fee (earlier link's central %, earlier link's %-for-all, the
# scope's %, the convention's own %): the product of the (100 + p) over 100⁴.
FEE_FACTOR_UNCHANGED = 100**4


def in_scope(scenario: Scenario) -> pl.Expr:
    """The conventions the scope names; over conventions with their `body_id` joined."""
    value = scenario.scope_value
    match scenario.scope_kind:
        case "body":
            return pl.col("body_id") == value
        case "agreement":
            return pl.col("agreement_id") == value
        case "line":
            operation_code, imputation = split_line_key(value)
            return (pl.col("operation_code") == operation_code) & (
                pl.col("imputation") == imputation
            )
        case "search":
            return _matches(value)
        case _:
            return pl.lit(True)


def _matches(text: str) -> pl.Expr:
    """Conventions whose identifier, title, formula, category or central contain the text."""
    if not text.strip():
        return pl.lit(False)
    haystack = pl.concat_str(
        "convention_id",
        "title",
        "formula",
        "category",
        "agreement_id",
        "body_id",
        separator=" ",
        ignore_nulls=True,
    )
    return haystack.str.to_lowercase().str.contains(text.strip().lower(), literal=True)


def scoped_conventions(inputs: EngineInputs, scenario: Scenario) -> pl.DataFrame:
    """The recorded conventions with their central, and whether the scope takes them."""
    return inputs.conventions.join(
        inputs.agreements.select("agreement_id", "body_id"), on="agreement_id", how="left"
    ).with_columns(in_scope(scenario).fill_null(False).alias("in_scope"))


def apply(inputs: EngineInputs, scenario: Scenario) -> EngineInputs:
    """The inputs as the scenario would have them: each kind of change is one step.

    A scenario's scopes (those kept, then the current one) each take the conventions they name
    in the recorded data; formulas, starts and renewals of every scope come first, then the
    fees, each scope's change rounded to the cent in turn: a formula chosen in one scope is
    priced with the fee changes of the others."""
    steps = scenario.steps()
    conventions = scoped_conventions(inputs, scenario).with_columns(
        in_scope(step).fill_null(False).alias(f"in_scope_{index}")
        for index, step in enumerate(steps)
    )
    agreements = inputs.agreements
    for index, step in enumerate(steps):
        conventions = conventions.with_columns(pl.col(f"in_scope_{index}").alias("in_scope"))
        renewed = _renewed_agreements(agreements, conventions, step)
        conventions = _other_formulas(conventions, inputs.fee_grid, step)
        conventions = _moved_starts(conventions, step)
        conventions = _following_renewals(conventions, agreements, renewed)
        agreements = renewed
    fee_grid = inputs.fee_grid
    for index, step in enumerate(steps):
        conventions = conventions.with_columns(pl.col(f"in_scope_{index}").alias("in_scope"))
        fee_grid, conventions = _changed_fees(conventions, fee_grid, step)
    vat = Decimal(scenario.vat_rate) if scenario.vat_rate is not None else inputs.vat_rate
    return inputs.with_changes(
        fee_grid=fee_grid,
        conventions=conventions.select(inputs.conventions.columns),
        agreements=agreements,
        budget_lines=_changed_credits(inputs.budget_lines, scenario),
        vat_rate=vat,
    )


def _int_map(mapping: dict[str, int], key: str, value: str) -> pl.DataFrame:
    return pl.DataFrame(
        {key: list(mapping), value: list(mapping.values())},
        schema={key: pl.String, value: pl.Int64},
    )


def _overrides(scenario: Scenario) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "convention_id": list(scenario.overrides),
            "override_fee_pct": [o.fee_pct for o in scenario.overrides.values()],
            "override_shift": [o.shift_months for o in scenario.overrides.values()],
        },
        schema={
            "convention_id": pl.String,
            "override_fee_pct": pl.Int64,
            "override_shift": pl.Int64,
        },
    )


def _other_formulas(
    conventions: pl.DataFrame, grid: pl.DataFrame, scenario: Scenario
) -> pl.DataFrame:
    """Another formula or category: per convention (earlier links), or for the scope where the
    convention's agreement offers it."""
    chosen = pl.DataFrame(
        {
            "convention_id": list(scenario.formula_choice),
            "new_formula": [v[0] for v in scenario.formula_choice.values()],
            "new_category": [v[1] for v in scenario.formula_choice.values()],
        },
        schema={"convention_id": pl.String, "new_formula": pl.String, "new_category": pl.String},
    )
    changed = conventions.join(chosen, on="convention_id", how="left")
    if scenario.formula is not None:
        formula, category = scenario.formula
        offered = grid.filter((pl.col("formula") == formula) & (pl.col("category") == category))
        takes = pl.col("in_scope") & pl.col("agreement_id").is_in(offered["agreement_id"].implode())
        changed = changed.with_columns(
            pl.when(takes).then(pl.lit(formula)).otherwise("new_formula").alias("new_formula"),
            pl.when(takes).then(pl.lit(category)).otherwise("new_category").alias("new_category"),
        )
    return changed.with_columns(
        pl.coalesce("new_formula", "formula").alias("formula"),
        pl.coalesce("new_category", "category").alias("category"),
    ).drop("new_formula", "new_category")


def _moved_starts(conventions: pl.DataFrame, scenario: Scenario) -> pl.DataFrame:
    """Start dates moved by whole months: the scope's, the convention's own, earlier links'."""
    shifts = _int_map(scenario.start_shift_months, "convention_id", "earlier_shift")
    total = (
        pl.col("earlier_shift").fill_null(0)
        + pl.col("override_shift").fill_null(0)
        + pl.when(pl.col("in_scope")).then(scenario.shift_months).otherwise(0)
    )
    return (
        conventions.join(shifts, on="convention_id", how="left")
        .join(_overrides(scenario).drop("override_fee_pct"), on="convention_id", how="left")
        .with_columns(total.alias("shift"))
        .with_columns(
            pl.when(pl.col("shift") != 0)
            .then(add_months(pl.col("start_date"), pl.col("shift")))
            .otherwise(pl.col("start_date"))
            .alias("start_date")
        )
        .drop("earlier_shift", "override_shift", "shift")
    )


def _renewed_agreements(
    agreements: pl.DataFrame, conventions: pl.DataFrame, scenario: Scenario
) -> pl.DataFrame:
    """Agreements whose end moves n years later: named by earlier links, or in the scope."""
    renewals = _int_map(scenario.renewal_years, "agreement_id", "years")
    scoped = conventions.filter(pl.col("in_scope"))["agreement_id"].unique().implode()
    years = pl.col("years").fill_null(0) + pl.when(pl.col("agreement_id").is_in(scoped)).then(
        scenario.renew_years
    ).otherwise(0)
    return (
        agreements.join(renewals, on="agreement_id", how="left")
        .with_columns(years.alias("years"))
        .with_columns(
            pl.when(pl.col("years") > 0)
            .then(add_months(pl.col("end_date"), pl.col("years") * 12))
            .otherwise(pl.col("end_date"))
            .alias("end_date")
        )
        .select(agreements.columns)
    )


def _following_renewals(
    conventions: pl.DataFrame, before: pl.DataFrame, after: pl.DataFrame
) -> pl.DataFrame:
    """A convention with its own end date that matched its agreement's follows the renewal."""
    return (
        conventions.join(
            before.select("agreement_id", pl.col("end_date").alias("old_end")),
            on="agreement_id",
            how="left",
        )
        .join(
            after.select("agreement_id", pl.col("end_date").alias("new_end")),
            on="agreement_id",
            how="left",
        )
        .with_columns(
            pl.when(pl.col("end_date") == pl.col("old_end"))
            .then(pl.col("new_end"))
            .otherwise(pl.col("end_date"))
            .alias("end_date")
        )
        .drop("old_end", "new_end")
    )


def _changed_fees(
    conventions: pl.DataFrame, grid: pl.DataFrame, scenario: Scenario
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Fees raised or lowered per convention, priced by grid rows of their own.

    Each distinct (grid row, factor) gets a copy of the grid row with the changed fee, under a
    category of its own that the convention then takes; the engine prices it as any other. The
    new fee is rounded once, to the cent, half away from zero.
    """
    body_pct = _int_map(scenario.fee_change_pct, "body_id", "body_pct")
    factor = (
        (100 + pl.col("body_pct").fill_null(0))
        * (100 + scenario.all_fees_change_pct)
        * (100 + pl.when(pl.col("in_scope")).then(scenario.fee_pct).otherwise(0))
        * (100 + pl.col("override_fee_pct").fill_null(0))
    )
    priced = (
        conventions.join(body_pct, on="body_id", how="left")
        .join(_overrides(scenario).drop("override_shift"), on="convention_id", how="left")
        .with_columns(factor.cast(pl.Int64).alias("fee_factor"))
    )
    changed = priced.filter(pl.col("fee_factor") != FEE_FACTOR_UNCHANGED)
    if changed.is_empty():
        return grid, conventions
    key = ["agreement_id", "formula", "category"]
    copies = (
        changed.select(*key, "fee_factor")
        .unique()
        .join(grid, on=key, how="inner")
        .with_columns(
            _scaled_fee(pl.col("annual_fee"), pl.col("fee_factor")).alias("annual_fee"),
            pl.format("{} ⟨×{}⟩", pl.col("category"), pl.col("fee_factor")).alias("new_category"),
        )
    )
    new_grid = pl.concat(
        [grid, copies.with_columns(pl.col("new_category").alias("category")).select(grid.columns)]
    )
    relabelled = (
        priced.join(
            copies.select(*key, "fee_factor", "new_category"), on=[*key, "fee_factor"], how="left"
        )
        .with_columns(pl.coalesce("new_category", "category").alias("category"))
        .select(conventions.columns)
    )
    return new_grid, relabelled


def _scaled_fee(fee: pl.Expr, factor: pl.Expr) -> pl.Expr:
    """fee × factor / 100⁴ to the cent, half away from zero, in Int128 so that nothing wraps."""
    numerator = to_cents(fee).cast(pl.Int128) * factor.cast(pl.Int128)
    return from_cents(div_round_half_away(numerator, FEE_FACTOR_UNCHANGED))


def _changed_credits(budget_lines: pl.DataFrame, scenario: Scenario) -> pl.DataFrame:
    """Crédits ouverts scaled per line (earlier links) and for the chosen line or all, to the
    cent."""
    earlier = pl.DataFrame(
        {
            "line": list(scenario.credits_change_pct),
            "line_pct": list(scenario.credits_change_pct.values()),
        },
        schema={"line": pl.String, "line_pct": pl.Int64},
    )
    line = line_key_expr()
    chosen = pl.lit(True) if not scenario.credits_line else line == scenario.credits_line
    factor = (100 + pl.col("line_pct").fill_null(0)) * (
        100 + pl.when(chosen).then(scenario.credits_pct).otherwise(0)
    )
    numerator = to_cents(pl.col("credits")).cast(pl.Int128) * factor.cast(pl.Int128)
    cents = div_round_half_away(numerator, 10_000)
    return (
        as_open_credits(budget_lines)  # the sum of a year's votes, scaled once
        .with_columns(line.alias("line"))
        .join(earlier, on="line", how="left")
        .with_columns(from_cents(cents).alias("credits"))
        .select(budget_lines.columns)
    )


def compare(baseline: Figures, scenario: Figures) -> pl.DataFrame:
    """Per budget line and year, the recorded figures beside the scenario's, with the deltas."""
    pick = ["credits", "committed", "balance"]
    base = baseline.balance.select(
        *BUDGET_KEY, "label", *[pl.col(c).alias(f"{c}_baseline") for c in pick]
    )
    other = scenario.balance.select(*BUDGET_KEY, *[pl.col(c).alias(f"{c}_scenario") for c in pick])
    zero = pl.lit(Decimal("0.00"), dtype=MONEY)
    return (
        base.join(other, on=BUDGET_KEY, how="full", coalesce=True, nulls_equal=True)
        .with_columns(
            pl.col(f"{c}_{side}").fill_null(zero) for c in pick for side in ("baseline", "scenario")
        )
        .with_columns(
            (pl.col("committed_scenario") - pl.col("committed_baseline")).alias("delta_committed"),
            (pl.col("balance_scenario") - pl.col("balance_baseline")).alias("delta_balance"),
            (pl.col("balance_scenario") < 0).alias("negative_scenario"),
        )
        .sort(BUDGET_KEY)
    )


def run(
    inputs: EngineInputs,
    scenario: Scenario,
    baseline: Figures | None = None,
    recorded: pl.DataFrame | None = None,
) -> Figures:
    """The scenario's figures; from the recorded ones when given (with the recorded terms,
    `title_terms(inputs)`, when known), recomputing only what the scenario changes: the same
    figures to the cent (a test holds it)."""
    changed = apply(inputs, scenario)
    if baseline is None:
        return compute(changed)
    old = recorded if recorded is not None else title_terms(inputs)
    titles = _titles_from(baseline.titles, old, changed, inputs.vat_rate)
    return Figures(titles, totals_by_body(titles), budget_balance(changed, titles))


SCHEDULE = ["convention_id", "start_date", "effective_end_date", "billing_rule", "payment_days"]
PRICE = ["annual_fee_cents", "tax"]


def title_terms(inputs: EngineInputs) -> pl.DataFrame:
    """What a convention's titles depend on: its dates and billing rule (the periods and
    months), its fee and tax basis (the amounts)."""
    return convention_terms(inputs).select(*SCHEDULE, *PRICE).collect()


def _titles_from(
    recorded: pl.DataFrame, old: pl.DataFrame, after: EngineInputs, old_vat: Decimal
) -> pl.DataFrame:
    """The titles of `after` from the recorded ones: the conventions whose dates or billing
    changed get their titles anew; the others keep their periods and months, priced again
    when their fee, tax basis or the VAT rate changed (amount = months × fee / 12)."""
    new = title_terms(after)
    moved = new.join(old, on=SCHEDULE, how="anti", nulls_equal=True)["convention_id"]
    again = fee_titles(
        after.with_changes(
            conventions=after.conventions.filter(pl.col("convention_id").is_in(moved.implode()))
        )
    )
    kept = recorded.filter(~pl.col("convention_id").is_in(moved.implode()))
    repriced = new.join(old, on=["convention_id", *PRICE], how="anti", nulls_equal=True)
    if after.vat_rate != old_vat or not repriced.is_empty():
        kept = _priced(kept, new.select("convention_id", *PRICE), vat_basis_points(after.vat_rate))
    return pl.concat([kept, again.select(kept.columns)])


def _priced(titles: pl.DataFrame, prices: pl.DataFrame, rate_bp: int) -> pl.DataFrame:
    """Titles priced from their months: amount = months × fee / 12 to the cent (a full year is
    12.00 months: the whole fee), VAT on HT amounts, half away from zero at each step."""
    months = to_cents(pl.col("months"))  # hundredths of a month
    excl = div_round_half_away(months * pl.col("annual_fee_cents"), MONTHS_FULL)
    vat = (
        pl.when(pl.col("tax") == "HT")
        .then(div_round_half_away(pl.col("excl_cents") * rate_bp, 10_000))
        .otherwise(pl.when(pl.col("excl_cents").is_not_null()).then(pl.lit(0, pl.Int64)))
    )
    return (
        titles.drop("tax")
        .join(prices, on="convention_id", how="left")
        .with_columns(excl.alias("excl_cents"))
        .with_columns(vat.alias("vat_cents"))
        .with_columns(
            from_cents(pl.col("excl_cents")).alias("amount_excl_tax"),
            from_cents(pl.col("vat_cents")).alias("vat"),
            from_cents(pl.col("excl_cents") + pl.col("vat_cents")).alias("amount_incl_tax"),
            pl.col("excl_cents").is_not_null().alias("priced"),
        )
        .select(titles.columns)
    )
