"""What-if scenarios as plain settings: JSON-able, so that they are saved in the store and put in
a shared link; `spend.domain.what_if` applies them to a copy of the inputs.

A scenario names one scope (every convention, a central, an agreement, a budget line, or the
conventions a search finds) and the changes made to it: fee %, another formula, a start moved,
the agreements renewed; beside it the VAT rate, the credits of a line (or all), and changes per
convention. Changes made to other scopes before are kept with it (`kept_scopes`), applied first,
in the order they were made. Links made before scopes existed carry per-central,
per-convention and per-agreement settings: they are read and applied as they were; links made
before several scopes existed have no `kept_scopes` and open as they were.
"""

import json
import math
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

# The widgets' limits; a shared link is held to them too, or the page could not show it.
FEE_PCT = (-50, 100)
SHIFT_MONTHS = (-24, 24)
RENEWAL_YEARS = (0, 10)
CREDITS_PCT = (-100, 200)
SCOPE_KINDS = ("all", "body", "agreement", "line", "search")
MAX_TEXT = 200  # a scope's value (an identifier or a search) is short
MAX_OVERRIDES = 10_000
MAX_KEPT_SCOPES = 20  # a manager's afternoon of what-ifs, not a flood from a tampered link
SCOPE_FIELDS = ("scope_kind", "scope_value", "fee_pct", "formula", "shift_months", "renew_years")


@dataclass(frozen=True)
class Override:
    """A change to one convention, on top of its scope's."""

    fee_pct: int = 0
    shift_months: int = 0


@dataclass(frozen=True)
class ScopeChange:
    """One scope and what changes for the conventions in it."""

    scope_kind: str = "all"
    scope_value: str = ""
    fee_pct: int = 0
    formula: tuple[str, str] | None = None
    shift_months: int = 0
    renew_years: int = 0

    def changes(self) -> bool:
        return bool(self.fee_pct or self.formula or self.shift_months or self.renew_years)

    def same_scope(self, kind: str, value: str) -> bool:
        return (self.scope_kind, self.scope_value if self.scope_kind != "all" else "") == (
            kind,
            value if kind != "all" else "",
        )

    def as_scenario(self) -> "Scenario":
        """A scenario of this scope's changes alone."""
        return Scenario(**{name: getattr(self, name) for name in SCOPE_FIELDS})

    def to_dict(self) -> dict[str, object]:
        data: dict[str, object] = {"scope_kind": self.scope_kind}
        if self.scope_kind != "all":
            data["scope_value"] = self.scope_value
        for name in ("fee_pct", "shift_months", "renew_years"):
            if getattr(self, name):
                data[name] = getattr(self, name)
        if self.formula:
            data["formula"] = list(self.formula)
        return data


@dataclass(frozen=True)
class Scenario:
    # The scope and what changes for the conventions in it.
    scope_kind: str = "all"
    scope_value: str = ""  # body_id, agreement_id, "op|imputation" or the text searched
    fee_pct: int = 0
    formula: tuple[str, str] | None = None  # another formula and category of the agreement
    shift_months: int = 0
    renew_years: int = 0  # the agreements of the conventions in scope, renewed
    # Beside the scope.
    credits_line: str = ""  # "op|imputation"; "" = every budget line
    credits_pct: int = 0
    vat_rate: str | None = None  # percent as text, e.g. "5.5"
    overrides: dict[str, Override] = field(default_factory=dict)  # convention → change
    # Settings of earlier links, still honoured.
    fee_change_pct: dict[str, int] = field(default_factory=dict)  # body_id → %
    all_fees_change_pct: int = 0
    formula_choice: dict[str, list[str]] = field(default_factory=dict)  # convention → [f, c]
    start_shift_months: dict[str, int] = field(default_factory=dict)  # convention → months
    renewal_years: dict[str, int] = field(default_factory=dict)  # agreement → more years
    credits_change_pct: dict[str, int] = field(default_factory=dict)  # "op|imputation" → %
    # Changes made to other scopes before this one, kept: applied first, in their order.
    kept_scopes: tuple[ScopeChange, ...] = ()

    def current_scope(self) -> ScopeChange:
        return ScopeChange(**{name: getattr(self, name) for name in SCOPE_FIELDS})

    def steps(self) -> list["Scenario"]:
        """The scenario as the engine applies it: each kept scope's changes alone, then this
        one (the current scope with everything beside it)."""
        return [*(kept.as_scenario() for kept in self.kept_scopes), self]

    def is_baseline(self) -> bool:
        return self.without_scope_defaults() == Scenario()

    def without_scope_defaults(self) -> "Scenario":
        """The same changes; a scope that changes nothing is no change (all, by default)."""
        if self.scope_changes():
            return self
        return Scenario(**{**asdict_shallow(self), "scope_kind": "all", "scope_value": ""})

    def scope_changes(self) -> bool:
        return bool(self.fee_pct or self.formula or self.shift_months or self.renew_years)

    def has_earlier_settings(self) -> bool:
        return any(
            (
                self.fee_change_pct,
                self.all_fees_change_pct,
                self.formula_choice,
                self.start_shift_months,
                self.renewal_years,
                self.credits_change_pct,
            )
        )

    def to_json(self) -> str:
        data = asdict_shallow(self.without_scope_defaults())
        data["overrides"] = {k: _nonzero(asdict(v)) for k, v in self.overrides.items()}
        data["formula"] = list(self.formula) if self.formula else None
        data["kept_scopes"] = [kept.to_dict() for kept in self.kept_scopes]
        defaults = asdict_shallow(Scenario())
        defaults["kept_scopes"] = []
        defaults["overrides"] = {}
        cleaned = {
            k: v
            for k, v in data.items()
            if v != defaults.get(k)
            and v not in ({}, None, [])
            and not (k == "scope_value" and not v)
        }
        return json.dumps(cleaned, ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> "Scenario":
        """Settings from a saved scenario or a shared link; malformed parts are dropped."""
        try:
            data = json.loads(text)
        except (json.JSONDecodeError, TypeError, RecursionError, ValueError):
            return cls()
        if not isinstance(data, dict):
            return cls()
        return cls(
            **_scope_settings(data),
            credits_line=_text(data.get("credits_line")),
            credits_pct=_bounded(data.get("credits_pct", 0), CREDITS_PCT) or 0,
            vat_rate=_rate(data.get("vat_rate")),
            overrides=_overrides(data.get("overrides")),
            **_earlier_settings(data),
            kept_scopes=_kept_scopes(data.get("kept_scopes")),
        )


def asdict_shallow(scenario: Scenario) -> dict[str, Any]:
    """The fields as they are (asdict would turn the overrides into plain dicts)."""
    return {name: getattr(scenario, name) for name in Scenario.__dataclass_fields__}


def _nonzero(values: dict[str, int]) -> dict[str, int]:
    return {k: v for k, v in values.items() if v}


def _scope_settings(data: dict) -> dict[str, Any]:
    kind = data.get("scope_kind", "all")
    formula = data.get("formula")
    return {
        "scope_kind": kind if kind in SCOPE_KINDS else "all",
        "scope_value": _text(data.get("scope_value")),
        "fee_pct": _bounded(data.get("fee_pct", 0), FEE_PCT) or 0,
        "formula": (
            (_text(formula[0]), _text(formula[1]))
            if isinstance(formula, list) and len(formula) == 2
            else None
        ),
        "shift_months": _bounded(data.get("shift_months", 0), SHIFT_MONTHS) or 0,
        "renew_years": _bounded(data.get("renew_years", 0), RENEWAL_YEARS) or 0,
    }


def _kept_scopes(raw: object) -> tuple[ScopeChange, ...]:
    if not isinstance(raw, list):
        return ()
    scopes = (
        ScopeChange(**_scope_settings(item))
        for item in raw[:MAX_KEPT_SCOPES]
        if isinstance(item, dict)
    )
    return tuple(scope for scope in scopes if scope.changes())


def _earlier_settings(data: dict) -> dict[str, Any]:
    def int_map(key: str, limits: tuple[int, int]) -> dict[str, int]:
        raw = data.get(key, {})
        if not isinstance(raw, dict):
            return {}
        values = {_text(k): _bounded(v, limits) for k, v in list(raw.items())[:MAX_OVERRIDES]}
        return {k: v for k, v in values.items() if v is not None and k}

    choices = data.get("formula_choice", {})
    return {
        "fee_change_pct": int_map("fee_change_pct", FEE_PCT),
        "all_fees_change_pct": _bounded(data.get("all_fees_change_pct", 0), FEE_PCT) or 0,
        "formula_choice": {
            _text(k): [_text(v[0]), _text(v[1])]
            for k, v in (list(choices.items())[:MAX_OVERRIDES] if isinstance(choices, dict) else [])
            if isinstance(v, list) and len(v) == 2
        },
        "start_shift_months": int_map("start_shift_months", SHIFT_MONTHS),
        "renewal_years": int_map("renewal_years", RENEWAL_YEARS),
        "credits_change_pct": int_map("credits_change_pct", CREDITS_PCT),
    }


def _overrides(raw: object) -> dict[str, Override]:
    if not isinstance(raw, dict):
        return {}
    found = {}
    for key, value in list(raw.items())[:MAX_OVERRIDES]:
        if not isinstance(value, dict):
            continue
        override = Override(
            fee_pct=_bounded(value.get("fee_pct", 0), FEE_PCT) or 0,
            shift_months=_bounded(value.get("shift_months", 0), SHIFT_MONTHS) or 0,
        )
        if override != Override() and _text(key):
            found[_text(key)] = override
    return found


def _text(value: object) -> str:
    return value[:MAX_TEXT] if isinstance(value, str) else ""


def _bounded(value: object, limits: tuple[int, int]) -> int | None:
    """A whole number within the widget's limits, or None for anything else (NaN, 1e999, "x")."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    low, high = limits
    return max(low, min(high, int(value)))


def _rate(value: object) -> str | None:
    """A VAT rate between 0 and 100 %, as the text it was given in."""
    if value is None or isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    try:
        rate = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    if not rate.is_finite() or not Decimal(0) <= rate <= Decimal(100):
        return None
    return str(value)
