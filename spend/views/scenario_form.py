"""The simulation page's widget values ↔ a Scenario, and the scenario said in French; without
Streamlit, so that it is testable.

The page draws a fixed set of widgets whatever the number of conventions: a scope, the changes
made to it, the VAT and credits, and one table for changes per convention. Widget keys are
prefixed `sim_`; their defaults are the recorded data (no change).
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import cast

import polars as pl

from spend.domain.budget import line_key, split_line_key
from spend.domain.fees import EngineInputs
from spend.domain.scenario import (
    SCOPE_FIELDS,
    SCOPE_KINDS,
    Override,
    Scenario,
    ScopeChange,
    asdict_shallow,
)
from spend.views.formatting import budget_line_text, euros, percent, thousands
from spend.views.labels import TAX_LABELS

SEP = "||"  # a formula and category as one option: "Sécurité||Groupement de 5 à 9 / CD"
SCOPE_LABELS = {
    "all": "Toutes les conventions",
    "body": "Une centrale d'achat",
    "agreement": "Un accord-cadre",
    "line": "Une ligne budgétaire",
    "search": "Les conventions trouvées par une recherche",
}
SCOPE_VALUE_KEYS = {
    "body": "sim_scope_body",
    "agreement": "sim_scope_agreement",
    "line": "sim_scope_line",
    "search": "sim_scope_search",
}
STANDARD_VAT_RATES = ("0", "2.1", "5.5", "10", "20")
OVERRIDE_COLUMNS = pl.Schema(
    {"convention_id": pl.String, "fee_pct": pl.Int64, "shift_months": pl.Int64}
)
NO_FORMULA = ""


@dataclass(frozen=True)
class FormChoices:
    """What the form offers, read from the recorded data (a handful of options per widget)."""

    bodies: dict[str, str]  # body_id → "CAIH — Centrale d'achat…"
    agreements: dict[str, str]  # agreement_id → "CAIH — title"
    lines: dict[str, str]  # "op|imputation" → "C06-020M02 / 6281/930202"
    formulas: dict[str, dict[str, str]]  # agreement_id → {"formula||category": label with fee}
    vat_rates: list[str]  # percent as text, the recorded one among them
    vat_rate: str  # the recorded rate, as the options write it
    conventions: frozenset[str]  # to tell a convention typed in the table that does not exist


def _rate_text(rate: Decimal) -> str:
    """20.00 → "20", 5.50 → "5.5": how the options name a rate."""
    text = f"{rate.normalize():f}"
    return text


def form_choices(inputs: EngineInputs) -> FormChoices:
    agreements = inputs.agreements.sort("body_id", "agreement_id")
    grid = inputs.fee_grid.sort("agreement_id", "formula", "category")
    formulas: dict[str, dict[str, str]] = {}
    for agreement, formula, category, fee, tax in grid.select(
        "agreement_id", "formula", "category", "annual_fee", "tax"
    ).iter_rows():
        amount = f"{euros(fee)} {TAX_LABELS.get(tax, tax)}" if fee is not None else "sur devis"
        formulas.setdefault(agreement, {})[f"{formula}{SEP}{category}"] = (
            f"{formula} — {category} : {amount}"
        )
    lines = (
        inputs.budget_lines.select("operation_code", "imputation")
        .unique()
        .sort("operation_code", "imputation")
    )
    recorded = _rate_text(inputs.vat_rate)
    rates = sorted({*STANDARD_VAT_RATES, recorded}, key=Decimal)
    return FormChoices(
        bodies=dict(
            zip(
                inputs.bodies["body_id"].to_list(),
                (f"{b} — {n}" for b, n in inputs.bodies.select("body_id", "name").iter_rows()),
                strict=True,
            )
        ),
        agreements={
            a: f"{b} — {t}"
            for a, b, t in agreements.select("agreement_id", "body_id", "title").iter_rows()
        },
        lines={line_key(o, i): budget_line_text(o, i) for o, i in lines.iter_rows()},
        formulas=formulas,
        vat_rates=rates,
        vat_rate=recorded,
        conventions=frozenset(inputs.conventions["convention_id"].to_list()),
    )


def empty_overrides() -> pl.DataFrame:
    return pl.DataFrame(schema=OVERRIDE_COLUMNS)


def default_state(choices: FormChoices) -> dict[str, object]:
    """Every widget at the recorded values: the baseline."""
    return {
        "sim_scope_kind": "all",
        "sim_scope_body": next(iter(choices.bodies), None),
        "sim_scope_agreement": next(iter(choices.agreements), None),
        "sim_scope_line": next(iter(choices.lines), None),
        "sim_scope_search": "",
        "sim_fee_pct": 0,
        "sim_formula": NO_FORMULA,
        "sim_shift": 0,
        "sim_renew": 0,
        "sim_vat": choices.vat_rate,
        "sim_credits_line": "",
        "sim_credits_pct": 0,
        "sim_overrides_base": empty_overrides(),
        "sim_earlier": Scenario(),
        "sim_kept": (),  # changes made to other scopes, kept
        "sim_active_scope": ("all", ""),  # the scope the sliders belong to
    }


SCOPE_SLIDERS = {"sim_fee_pct": 0, "sim_formula": NO_FORMULA, "sim_shift": 0, "sim_renew": 0}


def chosen_scope(state: Mapping[str, object]) -> tuple[str, str]:
    """The scope the widgets name: its kind and value ("" for every convention)."""
    kind = str(state.get("sim_scope_kind", "all"))
    kind = kind if kind in SCOPE_KINDS else "all"
    value_key = SCOPE_VALUE_KEYS.get(kind)
    return kind, str(state.get(value_key) or "") if value_key else ""


def scope_change(state: Mapping[str, object], kind: str, value: str) -> ScopeChange:
    """What the sliders change for a scope."""
    formula = str(state.get("sim_formula") or NO_FORMULA)
    return ScopeChange(
        scope_kind=kind,
        scope_value=value,
        fee_pct=_int(state.get("sim_fee_pct")),
        formula=cast(tuple[str, str], tuple(formula.split(SEP, 1)))
        if kind == "agreement" and formula
        else None,
        shift_months=_int(state.get("sim_shift")),
        renew_years=_int(state.get("sim_renew")),
    )


def switch_scope(state: Mapping[str, object]) -> dict[str, object]:
    """The widget values after the scope changed: the changes made to the scope left are kept
    (listed on the page), and the sliders show those already made to the scope chosen (none
    for a new one). Nothing made before is dropped."""
    before = state.get("sim_active_scope", ("all", ""))
    left_kind, left_value = before if isinstance(before, tuple) else ("all", "")
    kind, value = chosen_scope(state)
    if (left_kind, left_value) == (kind, value):
        return {}
    kept = _kept(state)
    left = scope_change(state, left_kind, left_value)
    if left.changes():
        kept = [k for k in kept if not k.same_scope(left_kind, left_value)] + [left]
    again = next((k for k in kept if k.same_scope(kind, value)), None)
    updates: dict[str, object] = {**SCOPE_SLIDERS, "sim_active_scope": (kind, value)}
    if again is not None:
        kept.remove(again)
        updates |= {
            "sim_fee_pct": again.fee_pct,
            "sim_formula": SEP.join(again.formula) if again.formula else NO_FORMULA,
            "sim_shift": again.shift_months,
            "sim_renew": again.renew_years,
        }
    updates["sim_kept"] = tuple(kept)
    return updates


def _kept(state: Mapping[str, object]) -> list[ScopeChange]:
    """The changes kept for other scopes than the one shown."""
    kept = state.get("sim_kept", ())
    return [k for k in kept if isinstance(k, ScopeChange)] if isinstance(kept, tuple | list) else []


def drop_kept(state: Mapping[str, object], index: int) -> dict[str, object]:
    """The kept changes without one of them (the manager removed it)."""
    kept = _kept(state)
    if 0 <= index < len(kept):
        del kept[index]
    return {"sim_kept": tuple(kept)}


def overrides_from_table(table: pl.DataFrame, choices: FormChoices) -> dict[str, Override]:
    """The per-convention table as overrides; rows without a known convention are left out."""
    if table.is_empty():
        return {}
    rows = table.select(
        pl.col("convention_id").cast(pl.String).str.strip_chars(),
        pl.col("fee_pct").cast(pl.Int64, strict=False).fill_null(0).clip(-50, 100),
        pl.col("shift_months").cast(pl.Int64, strict=False).fill_null(0).clip(-24, 24),
    ).filter(pl.col("convention_id").is_in(list(choices.conventions)))
    found = {c: Override(f, s) for c, f, s in rows.iter_rows()}
    return {c: o for c, o in found.items() if o != Override()}


def unknown_conventions(table: pl.DataFrame, choices: FormChoices) -> list[str]:
    """Identifiers typed in the per-convention table that name no convention."""
    if table.is_empty():
        return []
    typed = table["convention_id"].cast(pl.String).str.strip_chars().drop_nulls()
    return [c for c in typed.to_list() if c and c not in choices.conventions]


def scenario_from_state(
    state: Mapping[str, object], choices: FormChoices, overrides: pl.DataFrame | None = None
) -> Scenario:
    """The scenario the widgets describe (with an earlier link's settings kept as they were)."""
    kind, value = chosen_scope(state)
    current = scope_change(state, kind, value)
    vat = str(state.get("sim_vat", choices.vat_rate))
    earlier = state.get("sim_earlier")
    earlier_fields = asdict_shallow(earlier) if isinstance(earlier, Scenario) else {}
    table = overrides if overrides is not None else state.get("sim_overrides_base")
    return Scenario(
        **{
            **{k: v for k, v in earlier_fields.items() if k in EARLIER_FIELDS},
            **{name: getattr(current, name) for name in SCOPE_FIELDS},
            "kept_scopes": tuple(_kept(state)),
            "credits_line": str(state.get("sim_credits_line") or ""),
            "credits_pct": _int(state.get("sim_credits_pct")),
            "vat_rate": None if Decimal(vat) == Decimal(choices.vat_rate) else vat,
            "overrides": (
                overrides_from_table(table, choices) if isinstance(table, pl.DataFrame) else {}
            ),
        }
    ).without_scope_defaults()


EARLIER_FIELDS = (
    "fee_change_pct",
    "all_fees_change_pct",
    "formula_choice",
    "start_shift_months",
    "renewal_years",
    "credits_change_pct",
)


def _int(value: object) -> int:
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0


def state_from_scenario(scenario: Scenario, choices: FormChoices) -> dict[str, object]:
    """Widget values that reproduce a saved or shared scenario (unknown names are ignored)."""
    state = default_state(choices)
    kind = scenario.scope_kind
    value_key = SCOPE_VALUE_KEYS.get(kind)
    known = {
        "body": choices.bodies,
        "agreement": choices.agreements,
        "line": choices.lines,
    }.get(kind)
    if value_key and (known is None or scenario.scope_value in known):
        state["sim_scope_kind"] = kind
        state[value_key] = scenario.scope_value
    state["sim_fee_pct"] = scenario.fee_pct
    if scenario.formula and kind == "agreement":
        option = SEP.join(scenario.formula)
        if option in choices.formulas.get(scenario.scope_value, {}):
            state["sim_formula"] = option
    state["sim_shift"] = scenario.shift_months
    state["sim_renew"] = scenario.renew_years
    if scenario.vat_rate is not None:
        rate = _rate_text(Decimal(scenario.vat_rate))
        state["sim_vat"] = rate if rate in choices.vat_rates else choices.vat_rate
    if scenario.credits_line in choices.lines:
        state["sim_credits_line"] = scenario.credits_line
    state["sim_credits_pct"] = scenario.credits_pct
    state["sim_overrides_base"] = pl.DataFrame(
        {
            "convention_id": list(scenario.overrides),
            "fee_pct": [o.fee_pct for o in scenario.overrides.values()],
            "shift_months": [o.shift_months for o in scenario.overrides.values()],
        },
        schema=OVERRIDE_COLUMNS,
    )
    state["sim_earlier"] = Scenario(**{name: getattr(scenario, name) for name in EARLIER_FIELDS})
    state["sim_kept"] = scenario.kept_scopes
    state["sim_active_scope"] = chosen_scope(state)
    return state


def span(limits: tuple[int, int]) -> list[int]:
    """Every whole value a slider offers between its limits."""
    return list(range(limits[0], limits[1] + 1))


def signed_percent(value: int) -> str:
    """+10 %, −5 %, 0 %: a slider's value the French way (a true minus sign)."""
    sign = "+" if value > 0 else ("−" if value < 0 else "")
    return f"{sign}{abs(value)}\u00a0%"


def signed_months(value: int) -> str:
    sign = "+" if value > 0 else ("−" if value < 0 else "")
    return f"{sign}{abs(value)}\u00a0mois"


def years_text(value: int) -> str:
    return "aucune" if value == 0 else f"+{value}\u00a0an" + ("s" if value > 1 else "")


def vat_text(rate: str) -> str:
    return percent(Decimal(rate)).replace(",0\u00a0%", "\u00a0%")


def scope_text(scenario: Scenario, choices: FormChoices, count: int) -> str:
    names = {
        "body": choices.bodies,
        "agreement": choices.agreements,
        "line": choices.lines,
    }.get(scenario.scope_kind, {})
    what = {
        "all": "toutes les conventions",
        "body": f"la centrale {names.get(scenario.scope_value, scenario.scope_value)}",
        "agreement": f"l'accord-cadre {names.get(scenario.scope_value, scenario.scope_value)}",
        "line": f"la ligne {names.get(scenario.scope_value, scenario.scope_value)}",
        "search": f"les conventions contenant « {scenario.scope_value} »",
    }[scenario.scope_kind]
    return f"Périmètre : {what} ({thousands(count)} convention(s))"


def scope_sentence(scope: ScopeChange, choices: FormChoices, count: int) -> str:
    """A scope and its changes in one sentence (the changes kept from other scopes)."""
    return f"{scope_text(scope.as_scenario(), choices, count)} — {', '.join(_changes(scope))}"


def _changes(scope: ScopeChange) -> list[str]:
    said = []
    if scope.fee_pct:
        said.append(f"cotisations {signed_percent(scope.fee_pct)}")
    if scope.formula:
        said.append(f"formule et catégorie {' — '.join(scope.formula)}")
    if scope.shift_months:
        said.append(f"début décalé de {signed_months(scope.shift_months)}")
    if scope.renew_years:
        said.append(f"accords-cadres renouvelés {years_text(scope.renew_years)}")
    return said


def describe(
    scenario: Scenario,
    choices: FormChoices,
    in_scope: int,
    kept_counts: list[int] | None = None,
) -> list[str]:
    """What the scenario changes, one French sentence each (for a loaded or shared one too):
    the changes kept from other scopes first, in the order they were made."""
    counts = kept_counts or [0] * len(scenario.kept_scopes)
    lines = [
        scope_sentence(kept, choices, count)
        for kept, count in zip(scenario.kept_scopes, counts, strict=True)
    ]
    if scenario.scope_changes():
        lines.append(scope_text(scenario, choices, in_scope))
        if scenario.fee_pct:
            lines.append(f"Cotisations du périmètre : {signed_percent(scenario.fee_pct)}")
        if scenario.formula:
            lines.append(f"Formule et catégorie : {' — '.join(scenario.formula)}")
        if scenario.shift_months:
            lines.append(f"Début des conventions décalé de {signed_months(scenario.shift_months)}")
        if scenario.renew_years:
            lines.append(
                f"Accords-cadres du périmètre renouvelés : {years_text(scenario.renew_years)}"
            )
    if scenario.vat_rate is not None:
        lines.append(
            f"Taux de TVA : {vat_text(scenario.vat_rate)} (au lieu de {vat_text(choices.vat_rate)})"
        )
    if scenario.credits_pct:
        where = choices.lines.get(scenario.credits_line, "toutes les lignes")
        lines.append(f"Crédits ({where}) : {signed_percent(scenario.credits_pct)}")
    for convention, override in scenario.overrides.items():
        parts = []
        if override.fee_pct:
            parts.append(f"cotisation {signed_percent(override.fee_pct)}")
        if override.shift_months:
            parts.append(f"début {signed_months(override.shift_months)}")
        lines.append(f"Convention {convention} : {', '.join(parts)}")
    lines.extend(_describe_earlier(scenario))
    return lines


def _describe_earlier(scenario: Scenario) -> list[str]:
    """An earlier link's settings, said as such (they have no widget of their own)."""
    said = []
    for body, pct in scenario.fee_change_pct.items():
        said.append(f"Cotisations {body} : {signed_percent(pct)}")
    if scenario.all_fees_change_pct:
        said.append(
            f"Cotisations de toutes les centrales : {signed_percent(scenario.all_fees_change_pct)}"
        )
    for convention, (formula, category) in scenario.formula_choice.items():
        said.append(f"Convention {convention} : formule {formula} — {category}")
    for convention, months in scenario.start_shift_months.items():
        said.append(f"Convention {convention} : début {signed_months(months)}")
    for agreement, years in scenario.renewal_years.items():
        said.append(f"Accord-cadre {agreement} renouvelé : {years_text(years)}")
    for line, pct in scenario.credits_change_pct.items():
        said.append(f"Crédits {budget_line_text(*split_line_key(line))} : {signed_percent(pct)}")
    return [f"{sentence} (lien d'une version précédente)" for sentence in said]
