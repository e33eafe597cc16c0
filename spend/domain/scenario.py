"""What-if scenarios: changed copies of the engine's inputs, never the recorded data.

A scenario is plain settings (JSON-able, so that it can be saved in the store and put in a URL);
`apply` turns them into new EngineInputs and the same engine computes the answer.
"""

import json
import math
from dataclasses import asdict, dataclass, field
from decimal import Decimal

import polars as pl

from spend.domain.budget import split_line_key
from spend.domain.dates import add_months
from spend.domain.fees import EngineInputs
from spend.domain.figures import Figures, compute
from spend.domain.money import div_round_half_away, from_cents, to_cents

# The widgets' limits; a shared link is held to them too, or the page could not show it.
FEE_PCT = (-50, 100)
SHIFT_MONTHS = (-24, 24)
RENEWAL_YEARS = (0, 10)
CREDITS_PCT = (-100, 200)


@dataclass(frozen=True)
class Scenario:
    fee_change_pct: dict[str, int] = field(default_factory=dict)  # body_id → % (−50 … +100)
    all_fees_change_pct: int = 0  # applied to every central on top of its own change
    formula_choice: dict[str, list[str]] = field(
        default_factory=dict
    )  # convention → [formula, category]
    start_shift_months: dict[str, int] = field(default_factory=dict)  # convention → months
    renewal_years: dict[str, int] = field(default_factory=dict)  # agreement → more years
    vat_rate: str | None = None  # percent as text, e.g. "5.5"
    credits_change_pct: dict[str, int] = field(default_factory=dict)  # "op|imputation" → %

    def is_baseline(self) -> bool:
        return self == Scenario()

    def to_json(self) -> str:
        cleaned = {k: v for k, v in asdict(self).items() if v not in ({}, 0, None)}
        return json.dumps(cleaned, ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> "Scenario":
        """Settings from a saved scenario or a shared link; malformed parts are dropped."""
        try:
            data = json.loads(text)
        except (json.JSONDecodeError, TypeError):
            return cls()
        if not isinstance(data, dict):
            return cls()

        def int_map(key: str, limits: tuple[int, int]) -> dict[str, int]:
            raw = data.get(key, {})
            if not isinstance(raw, dict):
                return {}
            values = {str(k): _bounded(v, limits) for k, v in raw.items()}
            return {k: v for k, v in values.items() if v is not None}

        choices = data.get("formula_choice", {})
        vat = data.get("vat_rate")
        all_fees = data.get("all_fees_change_pct", 0)
        return cls(
            fee_change_pct=int_map("fee_change_pct", FEE_PCT),
            all_fees_change_pct=_bounded(all_fees, FEE_PCT) or 0,
            formula_choice={
                str(k): [str(v[0]), str(v[1])]
                for k, v in (choices.items() if isinstance(choices, dict) else [])
                if isinstance(v, list) and len(v) == 2
            },
            start_shift_months=int_map("start_shift_months", SHIFT_MONTHS),
            renewal_years=int_map("renewal_years", RENEWAL_YEARS),
            vat_rate=str(vat) if vat is not None and _is_rate(str(vat)) else None,
            credits_change_pct=int_map("credits_change_pct", CREDITS_PCT),
        )


def _bounded(value: object, limits: tuple[int, int]) -> int | None:
    """A whole number within the widget's limits, or None for anything else (NaN, 1e999, "x")."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    low, high = limits
    return max(low, min(high, int(value)))


def _is_rate(text: str) -> bool:
    try:
        return Decimal(0) <= Decimal(text) <= Decimal(100)
    except ArithmeticError:
        return False


def _scaled(amount: pl.Expr, pct: pl.Expr) -> pl.Expr:
    """amount × (100 + pct) / 100, to the cent, half away from zero."""
    return from_cents(div_round_half_away(to_cents(amount) * (100 + pct), 100))


def _mapping_frame(mapping: dict[str, int], key: str, value: str) -> pl.DataFrame:
    return pl.DataFrame(
        {key: list(mapping), value: list(mapping.values())},
        schema={key: pl.String, value: pl.Int64},
    )


def apply(inputs: EngineInputs, scenario: Scenario) -> EngineInputs:
    """The inputs as the scenario would have them: each kind of change is one step."""
    agreements = _renewed_agreements(inputs.agreements, scenario.renewal_years)
    conventions = _conventions_following_renewals(
        _changed_conventions(inputs.conventions, scenario), inputs.agreements, agreements
    )
    vat = Decimal(scenario.vat_rate) if scenario.vat_rate is not None else inputs.vat_rate
    return inputs.with_changes(
        fee_grid=_changed_fees(inputs, scenario),
        conventions=conventions,
        agreements=agreements,
        budget_lines=_changed_credits(inputs.budget_lines, scenario.credits_change_pct),
        vat_rate=vat,
    )


def _changed_fees(inputs: EngineInputs, scenario: Scenario) -> pl.DataFrame:
    """Every grid amount raised or lowered by its central's change and the change for all."""
    body_pct = _mapping_frame(scenario.fee_change_pct, "body_id", "body_pct")
    return (
        inputs.fee_grid.join(inputs.agreements.select("agreement_id", "body_id"), on="agreement_id")
        .join(body_pct, on="body_id", how="left")
        .with_columns(
            # Two changes compose: (1 + a)(1 + b), kept exact in hundredths of a percent.
            _compose(pl.col("body_pct").fill_null(0), scenario.all_fees_change_pct).alias("pct")
        )
        .with_columns(
            from_cents(
                div_round_half_away(to_cents(pl.col("annual_fee")) * pl.col("pct"), 10_000)
            ).alias("annual_fee")
        )
        .select(inputs.fee_grid.columns)
    )


def _changed_conventions(conventions: pl.DataFrame, scenario: Scenario) -> pl.DataFrame:
    """Another formula or category, and start dates moved by whole months."""
    choices = pl.DataFrame(
        {
            "convention_id": list(scenario.formula_choice),
            "new_formula": [v[0] for v in scenario.formula_choice.values()],
            "new_category": [v[1] for v in scenario.formula_choice.values()],
        },
        schema={"convention_id": pl.String, "new_formula": pl.String, "new_category": pl.String},
    )
    shifts = _mapping_frame(scenario.start_shift_months, "convention_id", "shift")
    return (
        conventions.join(choices, on="convention_id", how="left")
        .join(shifts, on="convention_id", how="left")
        .with_columns(
            pl.coalesce("new_formula", "formula").alias("formula"),
            pl.coalesce("new_category", "category").alias("category"),
            pl.when(pl.col("shift").is_not_null() & (pl.col("shift") != 0))
            .then(add_months(pl.col("start_date"), pl.col("shift")))
            .otherwise(pl.col("start_date"))
            .alias("start_date"),
        )
        .select(conventions.columns)
    )


def _renewed_agreements(agreements: pl.DataFrame, renewal_years: dict[str, int]) -> pl.DataFrame:
    """Agreements whose end moves n years later."""
    renewals = _mapping_frame(renewal_years, "agreement_id", "years")
    return (
        agreements.join(renewals, on="agreement_id", how="left")
        .with_columns(
            pl.when(pl.col("years").is_not_null() & (pl.col("years") > 0))
            .then(add_months(pl.col("end_date"), pl.col("years") * 12))
            .otherwise(pl.col("end_date"))
            .alias("end_date")
        )
        .select(agreements.columns)
    )


def _conventions_following_renewals(
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
        .select(conventions.columns)
    )


def _changed_credits(budget_lines: pl.DataFrame, credits_pct: dict[str, int]) -> pl.DataFrame:
    """Credits of each named line scaled by its percentage, to the cent."""
    lines = [split_line_key(key) for key in credits_pct]
    line_pct = pl.DataFrame(
        {
            "operation_code": [operation_code for operation_code, _ in lines],
            "imputation": [imputation for _, imputation in lines],
            "line_pct": list(credits_pct.values()),
        },
        schema={"operation_code": pl.String, "imputation": pl.String, "line_pct": pl.Int64},
    )
    return (
        budget_lines.join(line_pct, on=["operation_code", "imputation"], how="left")
        .with_columns(_scaled(pl.col("credits"), pl.col("line_pct").fill_null(0)).alias("credits"))
        .select(budget_lines.columns)
    )


def _compose(body_pct: pl.Expr, all_pct: int) -> pl.Expr:
    """(100 + a)(100 + b): the combined factor in hundredths of a percent (10 000 = unchanged)."""
    return (100 + body_pct) * (100 + all_pct)


def compare(baseline: Figures, scenario: Figures) -> pl.DataFrame:
    """Per budget line and year, the recorded figures beside the scenario's, with the deltas."""
    key = ["operation_code", "imputation", "year"]
    pick = ["credits", "committed", "balance"]
    base = baseline.balance.select(*key, "label", *[pl.col(c).alias(f"{c}_baseline") for c in pick])
    other = scenario.balance.select(*key, *[pl.col(c).alias(f"{c}_scenario") for c in pick])
    zero = pl.lit(Decimal("0.00"), dtype=pl.Decimal(18, 2))
    return (
        base.join(other, on=key, how="full", coalesce=True, nulls_equal=True)
        .with_columns(
            pl.col(f"{c}_{side}").fill_null(zero) for c in pick for side in ("baseline", "scenario")
        )
        .with_columns(
            (pl.col("committed_scenario") - pl.col("committed_baseline")).alias("delta_committed"),
            (pl.col("balance_scenario") - pl.col("balance_baseline")).alias("delta_balance"),
            (pl.col("balance_scenario") < 0).alias("negative_scenario"),
        )
        .sort(key)
    )


def run(inputs: EngineInputs, scenario: Scenario) -> Figures:
    return compute(apply(inputs, scenario))
