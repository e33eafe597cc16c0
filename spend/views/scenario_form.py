"""The simulation page's widget values ↔ a Scenario, without Streamlit, so that it is testable.

Widget keys are prefixed `sim_`; their defaults are the recorded data (no change).
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

import polars as pl

from spend.domain.budget import line_key, split_line_key
from spend.domain.fees import EngineInputs
from spend.domain.scenario import Scenario
from spend.views.formatting import budget_line_text, euros
from spend.views.labels import TAX_LABELS

SEP = "||"  # a formula and category as one widget option: "Sécurité||groupement 5–9 / CD"


@dataclass(frozen=True)
class FormChoices:
    """What the form offers, read from the recorded data."""

    bodies: list[str]
    conventions: list[str]  # priced conventions with a start date
    convention_options: dict[str, list[str]]  # convention → "formula||category" options
    convention_current: dict[str, str]  # convention → its recorded "formula||category"
    option_labels: dict[str, str]  # "agreement||formula||category" → label with the fee
    agreements: list[str]  # agreements with an end date that a dated convention uses
    lines: list[str]  # "operation_code|imputation"
    vat_rate: Decimal


def option_label(choices: "FormChoices", agreement: str, option: str) -> str:
    """An option of a convention's formula selectbox, with its fee."""
    return choices.option_labels.get(f"{agreement}{SEP}{option}", option)


def line_label(line: str) -> str:
    """A budget line key as the widget names it: "C06-020M02 / 6281/930202"."""
    return budget_line_text(*split_line_key(line))


def form_choices(inputs: EngineInputs) -> FormChoices:
    conventions = inputs.conventions.filter(
        pl.col("formula").is_not_null() & pl.col("start_date").is_not_null()
    )
    grid = inputs.fee_grid.with_columns(
        pl.concat_str("formula", pl.lit(SEP), "category").alias("option")
    )
    options = {
        convention_id: grid.filter(pl.col("agreement_id") == agreement_id)["option"].to_list()
        for convention_id, agreement_id in conventions.select(
            "convention_id", "agreement_id"
        ).rows()
    }
    labels = {
        f"{agreement}{SEP}{option}": f"{option.replace(SEP, ' — ')} : "
        + (f"{euros(fee)} {TAX_LABELS.get(tax, tax)}" if fee is not None else "sur devis")
        for agreement, option, fee, tax in grid.select(
            "agreement_id", "option", "annual_fee", "tax"
        ).rows()
    }
    used = inputs.agreements.filter(
        pl.col("end_date").is_not_null()
        & pl.col("agreement_id").is_in(conventions["agreement_id"].to_list())
    )
    lines = inputs.budget_lines.select("operation_code", "imputation").unique(maintain_order=True)
    return FormChoices(
        bodies=inputs.bodies["body_id"].to_list(),
        conventions=conventions["convention_id"].to_list(),
        convention_options=options,
        convention_current={
            c: f"{f}{SEP}{k}"
            for c, f, k in conventions.select("convention_id", "formula", "category").rows()
        },
        option_labels=labels,
        agreements=used["agreement_id"].to_list(),
        lines=[line_key(o, i) for o, i in lines.rows()],
        vat_rate=inputs.vat_rate,
    )


def default_state(choices: FormChoices) -> dict[str, object]:
    """Every widget at the recorded values: the baseline."""
    state: dict[str, object] = {"sim_all_fees": 0, "sim_vat": float(choices.vat_rate)}
    state.update({f"sim_fee__{b}": 0 for b in choices.bodies})
    state.update({f"sim_choice__{c}": choices.convention_current[c] for c in choices.conventions})
    state.update({f"sim_shift__{c}": 0 for c in choices.conventions})
    state.update({f"sim_renew__{a}": 0 for a in choices.agreements})
    state.update({f"sim_credits__{line}": 0 for line in choices.lines})
    return state


def scenario_from_state(state: Mapping[str, object], choices: FormChoices) -> Scenario:
    """The scenario the widgets describe; values equal to the recorded data are left out."""

    def ints(prefix: str, names: list[str]) -> dict[str, int]:
        values = {n: int(state.get(f"{prefix}{n}", 0) or 0) for n in names}  # type: ignore[call-overload]
        return {n: v for n, v in values.items() if v}

    formula_choice = {}
    for convention in choices.conventions:
        chosen = state.get(f"sim_choice__{convention}")
        if isinstance(chosen, str) and chosen != choices.convention_current[convention]:
            formula, category = chosen.split(SEP, 1)
            formula_choice[convention] = [formula, category]
    vat = Decimal(str(state.get("sim_vat", choices.vat_rate))).quantize(Decimal("0.01"))
    return Scenario(
        fee_change_pct=ints("sim_fee__", choices.bodies),
        all_fees_change_pct=int(state.get("sim_all_fees", 0) or 0),  # type: ignore[call-overload]
        formula_choice=formula_choice,
        start_shift_months=ints("sim_shift__", choices.conventions),
        renewal_years=ints("sim_renew__", choices.agreements),
        vat_rate=None if vat == choices.vat_rate else str(vat),
        credits_change_pct=ints("sim_credits__", choices.lines),
    )


def state_from_scenario(scenario: Scenario, choices: FormChoices) -> dict[str, object]:
    """Widget values that reproduce a saved or shared scenario (unknown names are ignored)."""
    state = default_state(choices)
    for body, pct in scenario.fee_change_pct.items():
        if body in choices.bodies:
            state[f"sim_fee__{body}"] = pct
    state["sim_all_fees"] = scenario.all_fees_change_pct
    for convention, (formula, category) in scenario.formula_choice.items():
        option = f"{formula}{SEP}{category}"
        if option in choices.convention_options.get(convention, []):
            state[f"sim_choice__{convention}"] = option
    for convention, months in scenario.start_shift_months.items():
        if convention in choices.conventions:
            state[f"sim_shift__{convention}"] = months
    for agreement, years in scenario.renewal_years.items():
        if agreement in choices.agreements:
            state[f"sim_renew__{agreement}"] = years
    if scenario.vat_rate is not None:
        state["sim_vat"] = float(scenario.vat_rate)
    for line, pct in scenario.credits_change_pct.items():
        if line in choices.lines:
            state[f"sim_credits__{line}"] = pct
    return state
