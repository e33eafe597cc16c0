"""The budget table of a deliberation: each line charged, its credits and the expense.

A row is an imputation (nature/fonction, « 6281/930202 », « 011/6281 »), preceded by an
operation code (« C06-020M02 ») when the authority uses them, then a label and amounts. The
column titles above the first row say which amount is which: credits (CP), expense, and in
AE/CP tables the commitment authorisations (AE) too.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from spend.deliberations.amounts import grouped_amount
from spend.deliberations.messages import (
    MSG_BUDGET_AMOUNTS,
    MSG_BUDGET_AMOUNTS_COLUMNS,
    MSG_BUDGET_NO_CODE,
    MSG_BUDGET_OVER,
    MSG_BUDGET_OVER_AE,
    MSG_BUDGET_ROWS_MAX,
    MSG_NO_BUDGET,
)
from spend.deliberations.model import BudgetRow, Confidence
from spend.deliberations.text import collapsed
from spend.views.formatting import euros

# « C06-020M02 6281/930202 », or « 6281/0202 » alone at the start of a line. Possessive
# quantifiers: each run of characters is consumed once.
_BUDGET_KEY = re.compile(
    r"(?<![\w/-])(?:(?P<code>[A-Z0-9]++(?:-[A-Z0-9]++)++)\s)?"
    r"(?P<imputation>\d++(?:/++[0-9A-Z]++)++)(?![\w/])"
)
_DATE_LIKE = re.compile(r"\d{1,2}/\d{1,2}/\d{2,4}")
# A number in a table: digits grouped by spaces or dots, cents, a euro sign; everything after
# the first digits is optional, so a run of digits is matched once and never re-tried.
_TABLE_NUMBER = re.compile(r"(?<![\d,])\d++(?:[ .]\d++)*+(?:,\d++)?+(?:\s?(?:€|EUR\b))?+")
# Column titles, longest first: « Dépense AE » before « Dépense », « CP disponibles » before « CP ».
_ROLES: tuple[tuple[str, str], ...] = (
    (
        "ae_amount",
        r"(?:d[ée]penses?|propositions?|montants?(?:\spropos[ée]s?)?|affectations?)\s(?:en\s)?AE\b",
    ),
    (
        "amount",
        r"(?:d[ée]penses?|propositions?|montants?(?:\spropos[ée]s?)?|affectations?)\s(?:en\s)?CP\b",
    ),
    (
        "ae_credits",
        r"\bAE\b(?:\s(?:disponibles?|ouvertes?|vot[ée]es?))?|autorisations?\sd['’]engagement",
    ),
    (
        "credits",
        r"\bCP\b(?:\s(?:disponibles?|ouverts?|vot[ée]s))?"
        r"|cr[ée]dits(?:\sde\spaiement)?(?:\s(?:disponibles?|ouverts|inscrits|vot[ée]s))?",
    ),
    (
        "amount",
        r"d[ée]penses?|montants?(?:\sde\sla\sd[ée]pense|\spropos[ée]s?)?|propositions?|engagements?",
    ),
    ("balance", r"soldes?|reste\sdisponible"),
)
_ROLE = re.compile("|".join(f"(?P<r{i}>{p})" for i, (_, p) in enumerate(_ROLES)), re.IGNORECASE)
_HEADER_CHARS = 300
_SENTENCE_END = re.compile(r"[.:;](?=\s)")
_ROW_CHARS = 600
_ROWS_MAX = 500


@dataclass(frozen=True)
class ReadRow:
    row: BudgetRow
    # Where the row's key (operation code and imputation) stands in the text, and where the
    # row's amounts end.
    start: int
    end: int
    row_end: int
    confidence: Confidence


def budget_rows(norm: str, start: int, end: int, warnings: list[str]) -> tuple[ReadRow, ...]:
    """The rows of the budget table between start and end (the operative part)."""
    keys = []
    for key in _BUDGET_KEY.finditer(norm, start, end):
        if key["code"] is None and not _plain_imputation_row(norm, key):
            continue
        keys.append(key)
        if len(keys) == _ROWS_MAX:
            warnings.append(MSG_BUDGET_ROWS_MAX.format(count=_ROWS_MAX))
            break
    if not keys:
        warnings.append(MSG_NO_BUDGET)
        return ()
    roles = _header_roles(norm, max(start, keys[0].start() - _HEADER_CHARS), keys[0].start())
    rows = []
    for key, following in zip(keys, [*keys[1:], None], strict=True):
        chunk_end = min(following.start() if following else end, key.end() + _ROW_CHARS)
        rows.append(_row(norm, key, chunk_end, roles, warnings))
    if any(r.row.operation_code is None for r in rows):
        warnings.append(MSG_BUDGET_NO_CODE)
    return tuple(rows)


def _plain_imputation_row(norm: str, key: re.Match[str]) -> bool:
    """An imputation without operation code starts a row only at the start of a line, is not a
    date, and is followed by amounts on its line."""
    at_line_start = key.start() == 0 or norm[key.start() - 1] == "\n"
    if not at_line_start or _DATE_LIKE.fullmatch(key["imputation"]):
        return False
    line_end = norm.find("\n", key.end(), key.end() + _ROW_CHARS)
    line = norm[key.end() : line_end if line_end >= 0 else key.end() + _ROW_CHARS]
    return bool(_amount_run(line, 0, len(line))[0])


def _header_roles(norm: str, start: int, end: int) -> list[str]:
    """The column titles above the first row, after the sentence that introduces the table."""
    header_start = start
    for boundary in _SENTENCE_END.finditer(norm, start, end):
        header_start = boundary.end()
    return [
        next(_ROLES[int(k[1:])][0] for k, v in m.groupdict().items() if v)
        for m in _ROLE.finditer(norm, header_start, end)
    ]


def _amount_run(text: str, start: int, end: int) -> tuple[list[Decimal], int, int]:
    """The amounts of a row (consecutive table amounts), where they begin and end.

    Digits before the amounts belong to the label (« Formation des agents 2023 1 000,00 € »):
    an amount is kept from the groups that make a valid French number.
    """
    amounts: list[Decimal] = []
    run_start = end
    previous_end = start
    for token in _TABLE_NUMBER.finditer(text, start, end):
        number = grouped_amount(token[0])
        # In a table an amount carries cents or the euro sign: « 2023 » in a label stays there.
        if not ("," in token[0] or "€" in token[0] or "EUR" in token[0]):
            number = None
        if amounts and (number is None or text[previous_end : token.start()].strip()):
            break
        if number is not None:
            value, offset = number
            if not amounts:
                run_start = token.start() + offset
            amounts.append(value)
            previous_end = token.end()
        if len(amounts) > 8:
            break
    return amounts, run_start, previous_end


def _row(
    norm: str, key: re.Match[str], chunk_end: int, roles: list[str], warnings: list[str]
) -> ReadRow:
    amounts, run_start, run_end = _amount_run(norm, key.end(), chunk_end)
    label = collapsed(norm[key.end() : min(run_start, chunk_end)]) or None
    code, imputation = key["code"], key["imputation"]
    shown_code = code or "—"
    values = _by_role(amounts, roles)
    confidence = Confidence.SURE if code is not None else Confidence.CHECK
    if values is None:
        expected = len(roles) if len(roles) > 2 else 2
        message = MSG_BUDGET_AMOUNTS if expected == 2 else MSG_BUDGET_AMOUNTS_COLUMNS
        warnings.append(
            message.format(
                code=shown_code, imputation=imputation, count=len(amounts), expected=expected
            )
        )
        values = {}
        confidence = Confidence.CHECK
    credits, amount = values.get("credits"), values.get("amount")
    ae_credits, ae_amount = values.get("ae_credits"), values.get("ae_amount")
    for spent, available, message in (
        (amount, credits, MSG_BUDGET_OVER),
        (ae_amount, ae_credits, MSG_BUDGET_OVER_AE),
    ):
        if spent is not None and available is not None and spent > available:
            warnings.append(
                message.format(
                    code=shown_code,
                    imputation=imputation,
                    amount=euros(spent),
                    credits=euros(available),
                )
            )
            confidence = Confidence.CHECK
    row = BudgetRow(code, imputation, label, credits, amount, ae_credits, ae_amount)
    return ReadRow(row, key.start(), key.end(), max(run_end, key.end()), confidence)


def _by_role(amounts: list[Decimal], roles: list[str]) -> dict[str, Decimal] | None:
    """Which amount is which, from the column titles; two amounts without titles are the
    credits then the expense."""
    named = [r for r in roles if r != "balance"]
    if len(amounts) == len(roles) and len(set(named)) == len(named) and roles:
        return {
            role: value for role, value in zip(roles, amounts, strict=True) if role != "balance"
        }
    if len(amounts) != 2:
        return None
    credits_at = max((i for i, r in enumerate(roles) if r == "credits"), default=-1)
    amount_at = max((i for i, r in enumerate(roles) if r == "amount"), default=-1)
    first, second = amounts
    if 0 <= amount_at < credits_at:
        return {"credits": second, "amount": first}
    return {"credits": first, "amount": second}
