"""The budget table of a deliberation: each line charged, its credits and the expense.

A row is an imputation (nature/fonction, « 6281/930202 », « 011/6281 »), preceded by an
operation code (« C06-020M02 ») when the authority uses them; or a chapter and an article (and a
function), labelled (« chapitre 011, article 6281 ») or in columns headed « Chapitre », « Article »,
read as « 011/6281[/020] ». Then a label and amounts. Tables come as the layouts print them:
aligned columns, bars, tabs, one cell per line (as a PDF's text gives them), rows over two lines.
The column titles above the first row (on one or two lines) say which amount is which: credits
(CP), expense (« dépense », « montant affecté », « engagé »), balance, and in AE/CP tables the
commitment authorisations (AE) too. A « Total » row is checked against the rows.
"""

import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from spend.deliberations.amounts import grouped_amount
from spend.deliberations.messages import (
    BUDGET_COLUMN_WORDS,
    MSG_BUDGET_AMOUNTS,
    MSG_BUDGET_AMOUNTS_COLUMNS,
    MSG_BUDGET_BALANCE,
    MSG_BUDGET_NO_CODE,
    MSG_BUDGET_OVER,
    MSG_BUDGET_OVER_AE,
    MSG_BUDGET_ROWS_MAX,
    MSG_BUDGET_TOTAL,
    MSG_NO_BUDGET,
)
from spend.deliberations.model import BudgetRow, Confidence, Found, Part
from spend.deliberations.text import Window, collapsed
from spend.views.formatting import euros

# « C06-020M02 6281/930202 », « C06-020M02 | 6281/930202 », or « 6281/0202 » alone at the start of
# a line (or of a cell). Possessive quantifiers: each run of characters is consumed once.
_BUDGET_KEY = re.compile(
    r"(?<![\w/-])(?:(?P<code>[A-Z0-9]++(?:-[A-Z0-9]++)++)(?:\s?\|)?\s)?"
    r"(?P<imputation>\d++(?:/++[0-9A-Z]++)++)(?![\w/])"
)
# « chapitre 011, article 6281, fonction 020 », « Chap. 65 – Art. 6561 »: labelled anywhere.
_LABELLED_KEY = re.compile(
    r"\b(?:chapitre|chap\.)\s?(?P<chapter>\d{2,3}+)\b[\s,;–-]{0,4}+(?:et\s)?"
    r"(?:article|art\.|nature|compte)\s?(?P<article>\d{3,8}+)\b"
    r"(?:[\s,;–-]{0,4}+(?:fonction|rubrique)\s?(?P<function>\d{1,6}+)\b)?",
    re.IGNORECASE,
)
# Under a header naming « Chapitre » and « Article » columns: « 011 | 6281 | 020 | Libellé … ».
_COLUMN_KEY = re.compile(
    r"(?P<chapter>\d{2,3}+)(?:\s?\|)?\s(?P<article>\d{3,6}+)"
    r"(?:(?:\s?\|)?\s(?P<function>\d{1,6}+))?(?=\s|$)"
)
_CHAPTER_HEADER = re.compile(
    r"\bchap(?:itre|\.)?\b[^\n]{0,80}?\b(?:article|art\.|nature|compte)\b", re.I
)
_TOTAL = re.compile(r"(?:\|\s?)?total\b[^\n\d]{0,40}", re.IGNORECASE)
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
        r"|cr[ée]dits(?:\sde\spaiement)?(?:\s(?:disponibles?|ouverts|inscrits|vot[ée]s))?"
        r"|\bBP\b|budget(?:\sprimitif|\svot[ée])?",
    ),
    (
        "amount",
        r"d[ée]penses?|montants?(?:\sde\sla\sd[ée]pense|\spropos[ée]s?|\saffect[ée]s?)?"
        r"|propositions?|engagements?|engag[ée]s?|affect[ée]s?|r[ée]alis[ée]s?",
    ),
    ("balance", r"soldes?|reste\s(?:disponible|[àa]\sengager)|disponibles?"),
)
_ROLE = re.compile("|".join(f"(?P<r{i}>{p})" for i, (_, p) in enumerate(_ROLES)), re.IGNORECASE)
_HEADER_CHARS = 400
_SENTENCE_END = re.compile(r"[.:;](?=\s)")
_ROW_CHARS = 600
_ROWS_MAX = 500
# A row's cells may come one per line: its amounts are looked for this many lines on.
_CELL_LINES = 6
_CELL_CHARS = 120
_MONEY_WORD = re.compile(
    r"(?P<credits>cr[ée]dits?|enveloppe|inscrits?)|(?P<amount>d[ée]penses?|montant|co[ûu]t|affect|engag)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class BudgetTable:
    """The rows read, each found where its key (operation code and imputation) stands."""

    rows: tuple[Found[BudgetRow], ...]
    # Where the table ends: after its last row, or its « Total » row.
    end: int = 0


def read_budget_table(part: Window) -> Part[BudgetTable]:
    """The budget table in a part of the text (the operative part), with its warnings."""
    found_keys = _keys(part)
    keys, warnings = found_keys.value, list(found_keys.warnings)
    if not keys:
        return Part(BudgetTable(()), (MSG_NO_BUDGET,))
    header_roles = _header_roles(
        part.since(max(part.start, keys[0].start - _HEADER_CHARS)).to(keys[0].start)
    )
    rows: list[Found[BudgetRow]] = []
    row_end = 0
    for key, following in zip(keys, [*keys[1:], None], strict=True):
        chunk = part.text.window(
            key.start, min(following.start if following else part.end, key.end + _ROW_CHARS)
        )
        if key.in_sentence and _sentence_amounts(chunk, key)[0] is None:
            continue  # « crédits inscrits au chapitre 011, article 6281 »: no row stated
        row = _row(chunk, key, header_roles)
        (found, row_end), warnings = row.value, [*warnings, *row.warnings]
        rows.append(found)
    if not rows:
        return Part(BudgetTable(()), (MSG_NO_BUDGET,))
    if any(r.value.operation_code is None for r in rows):
        warnings.append(MSG_BUDGET_NO_CODE)
    total = _check_total(part.since(row_end), rows, header_roles)
    return Part(BudgetTable(tuple(rows), total.value), (*warnings, *total.warnings))


@dataclass(frozen=True)
class _Key:
    code: str | None
    imputation: str
    start: int
    end: int
    # A key labelled in a sentence (« imputée au chapitre 011, article 6281 »): its amounts are
    # the sentence's, each named by the word before it.
    in_sentence: bool = False


def _keys(part: Window) -> Part[list[_Key]]:
    """The rows' keys in a part of the text, in the order of the text."""
    text = part.text
    keys: list[_Key] = []
    for match in part.finditer(_BUDGET_KEY):
        at = text.window(match.start(), match.end())
        if match["code"] is None and not _plain_imputation_row(at):
            continue
        keys.append(_Key(match["code"], match["imputation"], match.start(), match.end()))
        if len(keys) == _ROWS_MAX:
            return Part(keys, (MSG_BUDGET_ROWS_MAX.format(count=_ROWS_MAX),))
    for match in part.finditer(_LABELLED_KEY):
        at_start = _at_cell_start(text.window(match.start(), match.end()))
        key = _Key(None, _chapter_key(match), match.start(), match.end(), in_sentence=not at_start)
        keys.append(key)
        if len(keys) == _ROWS_MAX:
            break
    keys += _column_keys(part, len(keys))
    keys.sort(key=lambda k: k.start)
    # A key inside another (« 011/6281 » within « chapitre 011 … ») is read once.
    kept: list[_Key] = []
    for key in keys:
        if kept and key.start < kept[-1].end:
            continue
        kept.append(key)
    return Part(kept)


def _column_keys(part: Window, count: int) -> list[_Key]:
    """The keys under a header naming « Chapitre » and « Article » columns; `count` keys are
    read already."""
    keys: list[_Key] = []
    header = part.search(_CHAPTER_HEADER)
    if header is None:
        return keys
    line_end = part.since(header.end()).find("\n")
    position = header.end() if line_end < 0 else line_end + 1
    for line_start, line in _lines(part.since(position)):
        if _TOTAL.match(line) or count + len(keys) >= _ROWS_MAX:
            break
        cells = part.text.window(line_start + _bar_offset(line), line_start + len(line))
        match = cells.match(_COLUMN_KEY)
        if match is not None and _plain_imputation_row(
            part.text.window(match.start(), match.end())
        ):
            keys.append(_Key(None, _chapter_key(match), match.start(), match.end()))
    return keys


def _lines(part: Window, limit: int = _ROWS_MAX * _CELL_LINES) -> Iterator[tuple[int, str]]:
    """Each line of a part of the text (cut at its end), with where it starts."""
    norm, start, end = part.text.norm, part.start, part.end
    position = start
    for _ in range(limit):
        if position >= end:
            return
        line_end = norm.find("\n", position, end)
        line_end = end if line_end < 0 else line_end
        yield position, norm[position:line_end]
        position = line_end + 1


def _bar_offset(line: str) -> int:
    return len(line) - len(line.lstrip("| "))


def _chapter_key(match: re.Match[str]) -> str:
    parts = [match["chapter"], match["article"]]
    if match["function"]:
        parts.append(match["function"])
    return "/".join(parts)


def _at_cell_start(at: Window) -> bool:
    norm, position = at.text.norm, at.start
    line_start = norm.rfind("\n", max(0, position - 200), position) + 1
    return norm[line_start:position].strip(" |") == ""


def _plain_imputation_row(key: Window) -> bool:
    """An imputation without operation code (the window) starts a row only at the start of a
    line (or of a cell), is not a date, and is followed by amounts on its line or, a cell per
    line, on the short lines that follow."""
    text = key.text
    norm = text.norm
    if not _at_cell_start(key) or _DATE_LIKE.fullmatch(key.raw):
        return False
    position = key.end
    for _ in range(_CELL_LINES):
        line_end = norm.find("\n", position, position + _ROW_CHARS)
        line_end = line_end if line_end >= 0 else min(len(norm), position + _ROW_CHARS)
        if _amount_run(text.window(position, line_end))[0]:
            return True
        if line_end - position > _CELL_CHARS or line_end >= len(norm):
            return False
        position = line_end + 1
    return False


def _header_roles(above: Window) -> list[list[str]]:
    """The column titles above the first row, after the sentence that introduces the table:
    the roles of each candidate reading (the header's lines one by one, then all of them)."""
    header_start = above.start
    for boundary in above.finditer(_SENTENCE_END):
        header_start = boundary.end()
    per_line = [
        [_role(m) for m in _ROLE.finditer(line)]
        for _, line in _lines(above.since(header_start), 20)
    ]
    per_line = [roles for roles in per_line if roles]
    together = [role for roles in per_line for role in roles]
    candidates = [together] if together else []
    candidates += sorted(per_line, key=len, reverse=True)
    deduplicated = [r for i, r in enumerate(together) if i == 0 or together[i - 1] != r]
    if deduplicated != together:
        candidates.append(deduplicated)
    return candidates or [[]]


def _role(match: re.Match[str]) -> str:
    return next(_ROLES[int(k[1:])][0] for k, v in match.groupdict().items() if v)


def _amount_run(cells: Window) -> tuple[list[Decimal], int, int]:
    """The amounts of a row (consecutive table amounts), where they begin and end.

    Digits before the amounts belong to the label (« Formation des agents 2023 1 000,00 € »):
    an amount is kept from the groups that make a valid French number. Cells may stand apart by
    spaces, tabs, bars or line breaks.
    """
    text = cells.text.norm
    amounts: list[Decimal] = []
    run_start = cells.end
    previous_end = cells.start
    for token in cells.finditer(_TABLE_NUMBER):
        number = grouped_amount(token[0])
        # In a table an amount carries cents or the euro sign: « 2023 » in a label stays there.
        if not ("," in token[0] or "€" in token[0] or "EUR" in token[0]):
            number = None
        if amounts and (number is None or text[previous_end : token.start()].strip(" |\n")):
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
    chunk: Window, key: _Key, header_roles: list[list[str]]
) -> Part[tuple[Found[BudgetRow], int]]:
    """The row a key starts (`chunk`, from the key to the next one), and where its amounts
    end; the confidence is lowered by every check the row fails."""
    code, imputation = key.code, key.imputation
    warnings: tuple[str, ...] = ()
    if key.in_sentence:
        values, run_end = _sentence_amounts(chunk, key)
        label = None
    else:
        amounts, run_start, run_end = _amount_run(chunk.since(key.end))
        label_words = chunk.text.norm[key.end : min(run_start, chunk.end)].replace("|", " ")
        label = collapsed(label_words) or None
        values = _by_role(amounts, header_roles)
        if values is None:
            roles = max(header_roles, key=len)
            expected = len(roles) if len(roles) > 2 else 2
            message = MSG_BUDGET_AMOUNTS if expected == 2 else MSG_BUDGET_AMOUNTS_COLUMNS
            shown_code = code or "—"
            count = len(amounts)
            warnings = (
                message.format(
                    code=shown_code, imputation=imputation, count=count, expected=expected
                ),
            )
    confidence = Confidence.SURE if code is not None and values is not None else Confidence.CHECK
    values = values or {}
    checks = _row_checks(code, imputation, values)
    if checks:
        confidence = Confidence.CHECK
    row = BudgetRow(
        code,
        imputation,
        label,
        values.get("credits"),
        values.get("amount"),
        values.get("ae_credits"),
        values.get("ae_amount"),
    )
    found = Found(row, key.start, key.end, confidence)
    return Part((found, max(run_end, key.end)), (*warnings, *checks))


def _row_checks(code: str | None, imputation: str, values: dict[str, Decimal]) -> tuple[str, ...]:
    """What a row's amounts contradict: an expense over its credits, a balance that is not
    the credits less the expense."""
    shown_code = code or "—"
    warnings = []
    credits, amount = values.get("credits"), values.get("amount")
    for spent, available, message in (
        (amount, credits, MSG_BUDGET_OVER),
        (values.get("ae_amount"), values.get("ae_credits"), MSG_BUDGET_OVER_AE),
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
    balance = values.get("balance")
    known = balance is not None and credits is not None and amount is not None
    if known and balance != (credits or 0) - (amount or 0):
        warnings.append(
            MSG_BUDGET_BALANCE.format(
                code=shown_code,
                imputation=imputation,
                balance=euros(balance),
                credits=euros(credits),
                amount=euros(amount),
            )
        )
    return tuple(warnings)


def _sentence_amounts(chunk: Window, key: _Key) -> tuple[dict[str, Decimal] | None, int]:
    """The amounts of the sentence a labelled key stands in, each named by the word before it
    (« crédits … 5 000,00 € », « dépense de 1 500,00 € »); `chunk` runs from the key to the
    next one."""
    norm, chunk_end = chunk.text.norm, chunk.end
    sentence_start = max(
        norm.rfind(". ", max(0, key.start - 400), key.start),
        norm.rfind(";", max(0, key.start - 400), key.start),
        norm.rfind("\n", max(0, key.start - 400), key.start),
    )
    stop = _SENTENCE_END.search(norm, key.end, chunk_end)
    sentence_end = stop.start() if stop else chunk_end
    values: dict[str, Decimal] = {}
    run_end = key.end
    for token in _TABLE_NUMBER.finditer(norm, sentence_start + 1, sentence_end):
        if not ("," in token[0] or "€" in token[0]):
            continue
        number = grouped_amount(token[0])
        words = deque(_MONEY_WORD.finditer(norm, max(0, token.start() - 80), token.start()), 1)
        if number is None or not words:
            continue
        role = "credits" if words[0]["credits"] else "amount"
        values.setdefault(role, number[0])
        run_end = max(run_end, token.end())
    return (values or None), run_end


def _by_role(amounts: list[Decimal], header_roles: list[list[str]]) -> dict[str, Decimal] | None:
    """Which amount is which, from the column titles; two amounts without titles are the
    credits then the expense."""
    for roles in header_roles:
        if len(amounts) == len(roles) and len(set(roles)) == len(roles) and roles:
            return dict(zip(roles, amounts, strict=True))
    if len(amounts) != 2:
        return None
    roles = max(header_roles, key=len)
    credits_at = max((i for i, r in enumerate(roles) if r == "credits"), default=-1)
    amount_at = max((i for i, r in enumerate(roles) if r == "amount"), default=-1)
    first, second = amounts
    if 0 <= amount_at < credits_at:
        return {"credits": second, "amount": first}
    return {"credits": first, "amount": second}


def _check_total(
    after: Window, rows: list[Found[BudgetRow]], header_roles: list[list[str]]
) -> Part[int]:
    """A « Total » row after the rows (`after` runs from the last row's end): each of its
    amounts against the sum of its column. Returns where the table ends."""
    text, last = after.text, after.start
    total = after.to(min(after.end, last + 300)).search(_TOTAL)
    if total is None or text.norm[last : total.start()].strip(" |\n"):
        return Part(last)
    amounts, _, total_end = _amount_run(
        after.since(total.end()).to(min(after.end, total.end() + _ROW_CHARS))
    )
    values = _by_role(amounts, header_roles)
    if not values:
        return Part(max(last, total_end))
    warnings = []
    for column, stated in values.items():
        items = [getattr(r.value, column, None) for r in rows] if column != "balance" else []
        summed = sum((v for v in items if v is not None), Decimal("0.00"))
        if not items or any(v is None for v in items):
            continue
        if summed != stated:
            warnings.append(
                MSG_BUDGET_TOTAL.format(
                    column=BUDGET_COLUMN_WORDS[column], total=euros(stated), sum=euros(summed)
                )
            )
    return Part(max(last, total_end), tuple(warnings))
