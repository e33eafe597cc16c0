"""Annual fees stated for purchasing centrals, with the tax basis the annexed grid gives."""

import bisect
import re
from dataclasses import dataclass
from decimal import Decimal

from spend.deliberations.amounts import NUMBER, number
from spend.deliberations.messages import (
    MSG_FEE_AMOUNTS_DIFFER,
    MSG_FEE_NO_BODY,
    MSG_FEE_NO_TAX,
    MSG_FEE_TAX_VS_GRID,
    MSG_FEE_TAXES_DIFFER,
    MSG_FEE_TTC,
    MSG_NO_FEES,
    TAX_WORDS,
)
from spend.deliberations.model import StatedFee, TaxBasis
from spend.deliberations.text import collapsed, first_start
from spend.views.formatting import euros

_CENTRALS: tuple[tuple[str, str], ...] = (
    ("CAIH", r"caih|centrale\s+d['’]achats?\s+de\s+l['’]informatique\s+hospitali[èe]re"),
    ("Resah", r"resah|r[ée]seau\s+des\s+acheteurs\s+hospitaliers"),
    ("UGAP", r"ugap|union\s+des\s+groupements\s+d['’]achats?\s+publics"),
    ("UniHA", r"uniha"),
    ("SIPPEREC", r"sipperec"),
    ("Approlys", r"approlys"),
)
# Web and mail addresses ("portail.caih-sante.org", "@resah.fr") are not mentions of a central.
_CENTRAL = re.compile(
    r"(?<![\w@.\-])(?:"
    + "|".join(f"(?P<c{i}>{p})" for i, (_, p) in enumerate(_CENTRALS))
    + r")(?![\w\-@])",
    re.IGNORECASE,
)
_MONEY = rf"(?P<amount>{NUMBER})\s*(?:€|euros?\b|EUR\b)"
_TAX = r"(?P<tax>HT\b|H\.T\.|hors\s+taxes?|TTC\b|T\.T\.C\.|nets?\s+de\s+taxes?|nets?\b)"
# "1 500 € HT/an pour la centrale d'achat du CAIH"
_FEE_PER_YEAR = re.compile(
    rf"(?<![\d,.]){_MONEY}\s*(?:{_TAX}\s*)?(?:/\s*an\b|par\s+an\b|annuel(?:le)?s?\b)",
    re.IGNORECASE,
)
# "s'acquitter d'une adhésion annuelle de 1 500,00 € HT"
_FEE_ANNUAL = re.compile(
    r"(?:adh[ée]sion|cotisation|contribution(?:\s+financi[èe]re)?|participation|redevance|"
    r"abonnement)\s+annuelle?\s+(?:de|d['’]un\s+montant\s+de|s['’][ée]levant\s+[àa]|"
    rf"fix[ée]e\s+[àa])\s+{_MONEY}(?:\s*{_TAX})?",
    re.IGNORECASE,
)
# "Tarifs (nets de taxes)", "Tarification par type de bénéficiaire € HT"
_GRID_TAX = re.compile(
    rf"\b(?:tarifs?|tarification|grille\s+tarifaire)\b[^.;:]{{0,60}}?(?<!\w){_TAX}",
    re.IGNORECASE,
)
_FEE_CLAUSE_END = re.compile(r"[,;.:](?:\s|$)|\s-\s")
_OTHER_PAYEE = re.compile(
    r"\b(?:due?s?|vers[ée]e?s?|pay[ée]e?s?|r[ée]gl[ée]e?s?)\s+(?:à|au|aux)\b|^\s*(?:à|au|aux)\s",
    re.IGNORECASE,
)
_REPORT_START = re.compile(r"^RAPPORT\b", re.MULTILINE)
# How far back a fee or a grid is attributed to the central last named.
_CONTEXT_CHARS = 3000


def _central_name(match: re.Match[str]) -> str:
    return next(_CENTRALS[int(k[1:])][0] for k, v in match.groupdict().items() if v)


@dataclass(frozen=True)
class _FeeStatement:
    body: str | None
    amount: Decimal
    tax: str | None
    quote: str
    position: int


def _tax_basis(word: str | None) -> str | None:
    if word is None:
        return None
    word = word.lower().replace(".", "")
    if word.startswith("net"):
        return "net"
    return "TTC" if word == "ttc" else "HT"


def fees(norm: str, warnings: list[str]) -> tuple[StatedFee, ...]:
    """Annual fee per central, tax basis from the annexed grid when it states one.

    The annexed grid is the contract: when a report line says "1 000 € HT/an" and the grid
    says "nets de taxes", the grid is kept and the discrepancy is reported.
    """
    mentions = [(m.start(), _central_name(m)) for m in _CENTRAL.finditer(norm)]
    positions = [position for position, _ in mentions]

    def central_before(position: int) -> str | None:
        index = bisect.bisect_left(positions, position) - 1
        if index < 0 or position - positions[index] > _CONTEXT_CHARS:
            return None
        return mentions[index][1]

    def central_for(statement: re.Match[str]) -> str | None:
        clause_end = _FEE_CLAUSE_END.search(norm, statement.end())
        clause = norm[statement.end() : clause_end.start() if clause_end else len(norm)][:120]
        match = _CENTRAL.search(clause)
        if match is not None:
            return _central_name(match)
        # "... de 80 € HT est due à l'association des maires": paid to someone else.
        if _OTHER_PAYEE.search(clause):
            return None
        return central_before(statement.start())

    statements: dict[int, _FeeStatement] = {}
    for pattern in (_FEE_PER_YEAR, _FEE_ANNUAL):
        for m in pattern.finditer(norm):
            amount_at = m.start("amount")
            if amount_at in statements:
                continue
            statements[amount_at] = _FeeStatement(
                body=central_for(m),
                amount=number(m["amount"]),
                tax=_tax_basis(m["tax"]),
                quote=collapsed(m[0]),
                position=m.start(),
            )
    grids: dict[str, str] = {}
    for m in _GRID_TAX.finditer(norm):
        body = central_before(m.start())
        if body is not None:
            grids.setdefault(body, _tax_basis(m["tax"]) or "")

    report_at = first_start(_REPORT_START, norm, default=len(norm))
    by_body: dict[str, list[_FeeStatement]] = {}
    for statement in sorted(statements.values(), key=lambda s: s.position):
        if statement.body is None:
            warnings.append(MSG_FEE_NO_BODY.format(quote=statement.quote))
        else:
            by_body.setdefault(statement.body, []).append(statement)

    fees = []
    for body, stated in by_body.items():
        amounts = list(dict.fromkeys(s.amount for s in stated))
        if len(amounts) > 1:
            warnings.append(
                MSG_FEE_AMOUNTS_DIFFER.format(
                    body=body,
                    amounts=", ".join(euros(a) for a in amounts),
                    kept=euros(amounts[0]),
                )
            )
        tax = _fee_tax(body, stated, grids.get(body), report_at, amounts[0], warnings)
        if tax is not None:
            fees.append(StatedFee(body=body, amount=amounts[0], tax=tax))
    if not statements:
        warnings.append(MSG_NO_FEES)
    return tuple(fees)


def _fee_tax(
    body: str,
    stated: list[_FeeStatement],
    grid: str | None,
    report_at: int,
    amount: Decimal,
    warnings: list[str],
) -> TaxBasis | None:
    taxes = list(dict.fromkeys(s.tax for s in stated if s.tax is not None))
    if grid in ("HT", "net"):
        for statement in stated:
            if statement.tax is not None and statement.tax != grid:
                warnings.append(
                    MSG_FEE_TAX_VS_GRID.format(
                        body=body,
                        source="le rapport" if statement.position >= report_at else "le texte",
                        quote=statement.quote,
                        grid=f"« {TAX_WORDS[grid]} »",
                        kept=f"{euros(amount)} {TAX_WORDS[grid]}",
                    )
                )
        return "HT" if grid == "HT" else "net"
    if not taxes:
        warnings.append(MSG_FEE_NO_TAX.format(body=body, quote=stated[0].quote))
        return None
    if len(taxes) > 1:
        warnings.append(
            MSG_FEE_TAXES_DIFFER.format(
                body=body,
                quotes=", ".join(f"« {s.quote} »" for s in stated if s.tax is not None),
                kept=TAX_WORDS[taxes[0]],
            )
        )
    if taxes[0] == "TTC":
        warnings.append(MSG_FEE_TTC.format(body=body, quote=stated[0].quote))
        return None
    return "HT" if taxes[0] == "HT" else "net"
