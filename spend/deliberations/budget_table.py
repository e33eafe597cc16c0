"""The budget table of a deliberation: each line charged, its credits and the expense."""

import re

from spend.deliberations.amounts import parse_french_amount
from spend.deliberations.messages import MSG_BUDGET_AMOUNTS, MSG_BUDGET_OVER, MSG_NO_BUDGET
from spend.deliberations.model import BudgetRow
from spend.deliberations.text import collapsed
from spend.views.formatting import euros

# "C06-020M02 6281/930202": an operation code (letters and digits joined by dashes), then an
# imputation (nature/fonction).
_BUDGET_KEY = re.compile(
    r"(?<![\w/-])(?P<code>[A-Z0-9]+(?:-[A-Z0-9]+)+)\s+(?P<imputation>\d+(?:/+[0-9A-Z]+)+)(?![\w/])"
)
# In a table an amount carries cents or the euro sign, which keeps "2023" in a label a label.
_TABLE_AMOUNT = r"(?:\d{1,3}(?: \d{3})+|\d+)(?:,\d{2}(?:\s*(?:€|EUR\b))?|\s*(?:€|EUR\b))"
_AMOUNT_RUN = re.compile(rf"(?<![\d,]){_TABLE_AMOUNT}(?:\s+{_TABLE_AMOUNT})*(?![\d,])")
_ONE_AMOUNT = re.compile(_TABLE_AMOUNT)
_CREDITS_HEADER = re.compile(r"\bCP\b|cr[ée]dits", re.IGNORECASE)
_EXPENSE_HEADER = re.compile(r"d[ée]pense|montant|proposition", re.IGNORECASE)
_HEADER_CHARS = 200


def budget_rows(segment: str, warnings: list[str]) -> tuple[BudgetRow, ...]:
    keys = list(_BUDGET_KEY.finditer(segment))
    if not keys:
        warnings.append(MSG_NO_BUDGET)
        return ()
    # The column titles sit just above the first row; prose further up also says "dépenses".
    header = segment[max(0, keys[0].start() - _HEADER_CHARS) : keys[0].start()]
    credits_at = max((m.start() for m in _CREDITS_HEADER.finditer(header)), default=-1)
    expense_at = max((m.start() for m in _EXPENSE_HEADER.finditer(header)), default=-1)
    expense_first = 0 <= expense_at < credits_at
    rows = []
    for key, following in zip(keys, [*keys[1:], None], strict=True):
        chunk = segment[key.end() : following.start() if following else len(segment)]
        run = _AMOUNT_RUN.search(chunk)
        label = collapsed(chunk[: run.start()] if run else chunk) or None
        amounts = [parse_french_amount(a) for a in _ONE_AMOUNT.findall(run[0])] if run else []
        credits = amount = None
        if len(amounts) == 2:
            credits, amount = (
                (amounts[1], amounts[0]) if expense_first else (amounts[0], amounts[1])
            )
        else:
            warnings.append(
                MSG_BUDGET_AMOUNTS.format(
                    code=key["code"], imputation=key["imputation"], count=len(amounts)
                )
            )
        if credits is not None and amount is not None and amount > credits:
            warnings.append(
                MSG_BUDGET_OVER.format(
                    code=key["code"],
                    imputation=key["imputation"],
                    amount=euros(amount),
                    credits=euros(credits),
                )
            )
        rows.append(BudgetRow(key["code"], key["imputation"], label, credits, amount))
    return tuple(rows)
