"""Fees set or changed in a deliberation, each with its sentence, and the annual fee kept for
each purchasing central.

Every amount in euros is looked at once. It is a fee when the words before it name one
(cotisation, contribution, participation, redevance, frais d'adhésion, adhésion annuelle,
abonnement) or when it is stated per year (« 1 500 € HT/an »), and not when they name credits,
an expense or a budget. Its tax basis (HT, TTC, nets de taxes) and periodicity (annual, one-off)
are read beside it; its central is the one the clause names, else the one named last before.
"""

import bisect
import heapq
import re
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from spend.deliberations.amounts import grouped_amount
from spend.deliberations.centrals import CentralsBefore
from spend.deliberations.grids import GRID_HEADING_CHARS, KIND_WORDS, grid_category
from spend.deliberations.messages import (
    MSG_FEE_AMOUNTS_DIFFER,
    MSG_FEE_CHANGED,
    MSG_FEE_DECISION_KEPT,
    MSG_FEE_NO_BODY,
    MSG_FEE_NO_TAX,
    MSG_FEE_TAX_VS_GRID,
    MSG_FEE_TAXES_DIFFER,
    MSG_FEE_TTC,
    MSG_NO_FEES,
    MSG_TOO_MANY_AMOUNTS,
    TAX_WORDS,
)
from spend.deliberations.model import (
    Confidence,
    FeeStatement,
    FeeTax,
    Found,
    Part,
    Periodicity,
    StatedFee,
    TaxBasis,
)
from spend.deliberations.text import Text, Window
from spend.views.formatting import euros

# An amount in euros is found by its unit (« € », « euros », « EUR »), which the regex engine
# skips to as fast as str.find, then the number just before it is read in a short window. The
# number starts only where a run of digits starts (not after a digit, nor after a digit and a
# group separator), and each part is possessive: every run is consumed once.
_EURO_SIGN = re.compile("€")
_EURO_WORD = re.compile(r"euros?\b")  # on the lowercase text
_EUR = re.compile(r"EUR\b")
# The unit may stand on the next line (« 1 500,00\n€ HT »).
_NUMBER_BEFORE_UNIT = re.compile(
    r"(?<![\d,])(?<!\d[ .])(?P<run>\d++(?:[ .]\d++)*+(?:,\d++)?+)\s?\Z"
)
# « cent cinquante euros », « deux mille cinq cents euros »: the number words just before the
# unit, read by text2num.
_WORDS_BEFORE_UNIT = re.compile(
    r"(?<![\w'’-])(?P<words>(?:(?:z[ée]ro|une?|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze"
    r"|douze|treize|quatorze|quinze|seize|vingts?|trente|quarante|cinquante|soixante|cents?|mille"
    r"|et)[\s-]){1,12}+)\Z"
)
_NUMBER_CHARS = 200
# The words around an amount are read in the lowercase text.
_TAX_AFTER = re.compile(
    r"\s?\(?(?P<tax>ht\b|h\.t\.?|hors\staxes?\b|hors\stva\b|t\.t\.c\.?|ttc\b"
    r"|toutes\staxes\scomprises|tva\s(?:comprise|incluse)|net(?:te)?s?\sde\s(?:taxes?|tva)\b"
    r"|net(?:te)?s?\b|non\sassujettie?s?\s[àa]\s(?:la\s)?tva|exon[ée]r[ée]e?s?\sde\stva)\)?"
)
_PER_YEAR_AFTER = re.compile(r"\s?(?:/\s?an\b|par\san(?:n[ée]e)?\b)")
_ANNUAL = re.compile(
    r"\bannuel(?:le)?s?\b|/\s?an\b|\bpar\san(?:n[ée]e)?\b|\bchaque\sann[ée]e\b"
    r"|\bpar\sexercice\b|\bau\stitre\sde\sl['’]ann[ée]e\b"
)
_ONE_OFF = re.compile(
    r"\bune\sseule\sfois\b|\bunique\b|\bponctuel(?:le)?\b|\bfrais\sd['’]adh[ée]sion\b"
    r"|\bdroits?\sd['’]entr[ée]e\b|\bfrais\sde\sdossier\b|\blors\sde\sl['’]adh[ée]sion\b"
    r"|\bfrais\sde\s(?:premi[èe]re\s)?adh[ée]sion\b|\bfrais\sd['’]entr[ée]e\b|\bpremi[èe]re\sann[ée]e\b"
    r"|\bfrais\sde\smise\sen\s(?:place|service)\b|\bponctuellement\b"
)
_FEE_NOUN = (
    r"cotisations?|contributions?|participations?|redevances?|frais\sd['’]adh[ée]sion"
    r"|frais\sde\s(?:premi[èe]re\s)?adh[ée]sion|frais\sd['’]entr[ée]e|frais\sde\smise\sen\s(?:place|service)"
    r"|frais\sde\sdossier|droits?\sd['’](?:adh[ée]sion|entr[ée]e|acc[èe]s)|co[ûu]ts?\sd['’]acc[èe]s"
    r"|adh[ée]sion\sannuelle|abonnements?"
)
_OTHER_MONEY = (
    r"cr[ée]dits?|cp|ae|d[ée]penses?|budget|enveloppe|subventions?|seuils?|plafonds?|soldes?"
    r"|montant\s(?:total|global|estimatif|maximum|minimum|maximal|minimal)"
    r"|montant\sdes\s(?:achats|commandes|march[ée]s)|volume|chiffre\sd['’]affaires"
    r"|[ée]conomies?|emprunts?|travaux|loyers?"
)
# The last of these words before an amount says what the amount is.
_MONEY_NOUN = re.compile(rf"\b(?:(?P<fee>{_FEE_NOUN})|(?P<other>{_OTHER_MONEY}))\b")
# « 1 500 € HT au titre de la cotisation », « 300 € pour la participation »
_FEE_NOUN_AFTER = re.compile(
    r"[^.;:\n]{0,30}?\b(?:au\stitre\sd[eu]|pour|correspondant\s[àa])\s(?:la|sa|une|leur|l['’])\s?"
    rf"(?:{_FEE_NOUN})\b"
)
# « … portant la cotisation annuelle à 1 650,00 € HT », « passe de 1 200 € à 1 350 € »
_CHANGE = re.compile(
    r"\b(?:amend\w*|substitu\w*|remplac\w*|avenant|port(?:ant|ée?s?|er|e)|pass(?:e|ant|era|er)|modifi\w*|revaloris\w*"
    r"|augment\w*|ramen\w*|actualis\w*|r[ée]vis\w*|d[ée]sormais)\b"
)
_TO_NEXT_AMOUNT = re.compile(r"\s?(?:[àa]|par)\s(?=\d)")
# Sentences end with their punctuation; a list item, an article, or a line after a table row
# (a line ending with a number) starts a new one.
_SENTENCE_END = re.compile(
    r"(?<!\s[A-Z])(?<!\.[A-Z])[.;!?](?=\s|$)|:(?=\s)|\n(?=[-–•] |(?i:article)\b)"
    r"|(?<=\d)\n(?=[A-ZÉÈÀ])"
)
_CLAUSE_END = re.compile(r"[,;.:](?:\s|$)|\s-\s")
# « … est due à l'association », « … 80 € à l'association » (not « à compter du … »)
_OTHER_PAYEE = re.compile(
    r"\b(?:due?s?|vers[ée]e?s?|pay[ée]e?s?|r[ée]gl[ée]e?s?)\s(?:à|au|aux)\b"
    r"|^\s?(?:à|au|aux)\s(?!compter|partir|titre|raison|hauteur|terme|[ée]ch[ée]ance|chaque"
    r"|la\sdate|la\ssignature|l['’]ann[ée]e)"
)
# « Tarifs (nets de taxes) », « Tarification par type de bénéficiaire € HT » (lowercase text)
_GRID_TAX = re.compile(
    r"(?:tarif(?:s|ication)?|grille\starifaire)\b[^.;:]{0,60}?(?<!\w)"
    r"(?P<tax>ht\b|h\.t\.|hors\staxes?|ttc\b|t\.t\.c\.|nets?\sde\staxes?|nets?\b)"
)
_SENTENCE_CHARS = 300
_NOUN_CHARS = 200
_CLAUSE_CHARS = 120
# How far back a fee or a grid is attributed to the central last named.
_CONTEXT_CHARS = 3_000
# No deliberation states more amounts than this; a text that does is read no further for fees.
_AMOUNTS_MAX = 2_000
_GRIDS_MAX = 200


@dataclass(frozen=True)
class CitedFee:
    """A fee statement as the text cites it: the quote shown in warnings (from the fee's name
    to its tax basis), where that quote starts, and whether the operative part states it."""

    statement: FeeStatement
    quote: str
    quote_start: int
    in_decision: bool


# A fee read: the statement, found at its amount (start, end of the unit).
ReadFee = Found[CitedFee]


def fee_statements(
    text: Text,
    skip: Callable[[int], bool],
    decision: Window | None,
    in_grid: Callable[[int], bool] | None = None,
    extra_centrals: tuple[str, ...] = (),
) -> Part[tuple[ReadFee, ...]]:
    """Every fee the text sets or changes, in the order of the text.

    `skip` tells positions not to read (recitals, budget rows); `decision` is the operative
    part, whose fees prevail over the report's.
    """
    found = []
    warnings: tuple[str, ...] = ()
    centrals = CentralsBefore(text, _CONTEXT_CHARS, extra_centrals)
    for count, unit in enumerate(_units(text)):
        if count == _AMOUNTS_MAX:
            warnings = (MSG_TOO_MANY_AMOUNTS.format(count=_AMOUNTS_MAX),)
            break
        number = _number_before(text.window(unit.start() - _NUMBER_CHARS, unit.start()))
        if number is None or skip(number[1]):
            continue
        amount, at = number[0], text.window(number[1], unit.end())
        if in_grid is not None and in_grid(at.start):
            fee: ReadFee | None = _grid_row_at(amount, at, centrals)
        else:
            fee = _fee_at(amount, at, decision, centrals)
        if fee is not None:
            found.append(fee)
    return Part(tuple(found), warnings)


def _units(text: Text) -> Iterator[re.Match[str]]:
    """Every unit of an amount in euros (« € », « euros », « EUR »), in the order of the text."""
    low = text.low
    return heapq.merge(
        _EURO_SIGN.finditer(text.norm),
        (m for m in _EURO_WORD.finditer(low) if m.start() == 0 or not low[m.start() - 1].isalpha()),
        _EUR.finditer(text.norm),
        key=lambda m: m.start(),
    )


def _number_before(before: Window) -> tuple[Decimal, int] | None:
    """The amount written at the end of a window (just before a unit), in digits or in words,
    and where it starts."""
    number = before.search(_NUMBER_BEFORE_UNIT)
    if number is not None:
        parsed = grouped_amount(number["run"])
        if parsed is None:
            return None
        return parsed[0], number.start() + parsed[1]
    words = before.search(_WORDS_BEFORE_UNIT, low=True)
    if words is None:
        return None
    value = amount_in_words(words["words"])
    return None if value is None else (value, words.start())


def amount_in_words(words: str) -> Decimal | None:
    """« deux mille cinq cents » → 2500, read by text2num; None when the words make no number."""
    from text_to_num import text2num

    words = " ".join(words.replace("-", " ").split())
    if words.startswith("et ") or words.endswith(" et"):
        return None
    try:
        value = text2num(words, "fr")
    except ValueError:
        return None
    return Decimal(value).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class _Named:
    """The words that make an amount a fee: the fee's name before it, if any (« cotisation »),
    and the sentence it stands in."""

    noun: re.Match[str] | None
    sentence: Window


def _fee_at(
    amount: Decimal, at: Window, decision: Window | None, centrals: CentralsBefore
) -> ReadFee | None:
    """The fee an amount in euros states, if it is one; `at` is the amount and its unit."""
    # The hot path of a text full of amounts: patterns are tried on the lowercase view directly.
    text, low, start = at.text, at.text.low, at.start
    tax_match = _TAX_AFTER.match(low, at.end, at.end + 40)
    after_tax = tax_match.end() if tax_match else at.end
    per_year = _PER_YEAR_AFTER.match(low, after_tax, after_tax + 20)
    quote_end = per_year.end() if per_year else after_tax
    named = _fee_named(at, text.window(at.start, quote_end), bool(per_year))
    if named is None:
        return None
    noun, sentence = named.noun, named.sentence
    change_words = _CHANGE.search(low, max(sentence.start, start - _NOUN_CHARS), start)
    # « passe de 1 200 € HT à 1 350 € HT »: the first amount is the one replaced.
    if change_words and _TO_NEXT_AMOUNT.match(low, quote_end, quote_end + 8):
        return None
    quote_start = noun.start() if noun is not None and start - noun.end() <= 40 else start
    phrase_end = _phrase_end(sentence.since(quote_end))
    periodicity = _periodicity(text.window(noun.start() if noun else start, phrase_end))
    tax = _tax_basis(tax_match["tax"] if tax_match else None)
    body = _body(text.window(quote_end, quote_end + _CLAUSE_CHARS), centrals)
    statement = FeeStatement(
        body=body,
        amount=amount,
        tax=tax,
        periodicity=periodicity,
        changed=bool(change_words)
        and (
            low[max(0, start - 2) : start] in ("à ", "a ")
            or low[max(0, start - 4) : start] == "par "
        ),
        sentence=sentence.words,
    )
    sure = body is not None and tax is not None and periodicity is not None
    in_decision = decision is not None and decision.holds(start)
    cited = CitedFee(statement, text.words(quote_start, quote_end), quote_start, in_decision)
    return Found(cited, start, at.end, Confidence.SURE if sure else Confidence.CHECK)


def _grid_row_at(amount: Decimal, at: Window, centrals: CentralsBefore) -> ReadFee:
    """A row of a fee grid: a category's fee, with the row as its sentence."""
    text, start, unit_end = at.text, at.start, at.end
    line_start = text.norm.rfind("\n", max(0, start - _SENTENCE_CHARS), start) + 1
    line_end = text.norm.find("\n", unit_end)
    line_end = len(text) if line_end < 0 else line_end
    tax_match = text.window(unit_end, unit_end + 40).match(_TAX_AFTER, low=True)
    statement = FeeStatement(
        body=centrals.at(start),
        amount=amount,
        tax=_tax_basis(tax_match["tax"] if tax_match else None),
        # The grid's heading says it when its rows do not (« Barème des participations
        # annuelles »).
        periodicity=_periodicity(text.window(line_start, line_end))
        or _periodicity(text.window(line_start - GRID_HEADING_CHARS, line_start)),
        changed=False,
        sentence=text.words(line_start, line_end),
        category=grid_category(text.window(line_start, start)),
    )
    cited = CitedFee(statement, at.words, start, in_decision=False)
    return Found(cited, start, unit_end, Confidence.CHECK)


def _fee_named(at: Window, quote: Window, per_year: bool) -> _Named | None:
    """Whether the words around an amount (`at`) make it a fee: the fee's name before it (and
    in its sentence), or after its quote, or « par an » right after it."""
    text, start = at.text, at.start
    # The cheap tests first: most amounts of a text are no fee.
    noun = _last_noun(text.window(start - _NOUN_CHARS, start))
    if (
        noun is None
        and not per_year
        and not text.window(quote.end, quote.end + 80).match(_FEE_NOUN_AFTER, low=True)
    ):
        return None
    if noun is not None and noun["fee"] is None:
        return None
    sentence = _sentence(at)
    if noun is not None and noun.start() < sentence.start:
        noun = None
        if not per_year and not sentence.since(quote.end).match(_FEE_NOUN_AFTER, low=True):
            return None
    return _Named(noun, sentence)


def _phrase_end(after: Window) -> int:
    """Where the fee's own words end, from its quote's end within its sentence: at the next
    amount or the next fee named (« frais d'adhésion de 500 €, versés une seule fois, et
    participation annuelle … »)."""
    phrase = after.to(min(after.end, after.start + _CLAUSE_CHARS))
    next_fee = phrase.search(_MONEY_NOUN, low=True)
    next_euro = phrase.find("€", low=True)
    ends = [phrase.end, next_fee.start() if next_fee else phrase.end]
    return min(ends + ([next_euro] if next_euro >= 0 else []))


def _sentence(at: Window) -> Window:
    """The sentence an amount stands in, its leading bullets and spaces left out."""
    text, norm, start, end = at.text, at.text.norm, at.start, at.end
    window_start = max(0, start - _SENTENCE_CHARS)
    before = deque(_SENTENCE_END.finditer(norm, window_start, start), maxlen=1)
    sentence_start = before[0].end() if before else window_start
    after = _SENTENCE_END.search(norm, end, end + _SENTENCE_CHARS)
    sentence_end = after.end() if after else min(len(text), end + _SENTENCE_CHARS)
    while sentence_start < start and norm[sentence_start] in " \n-–•":
        sentence_start += 1
    return text.window(sentence_start, sentence_end)


def _last_noun(before: Window) -> re.Match[str] | None:
    last = deque(_MONEY_NOUN.finditer(before.text.low, before.start, before.end), maxlen=1)
    return last[0] if last else None


def _periodicity(words: Window) -> Periodicity | None:
    if words.search(_ANNUAL, low=True):
        return "annual"
    if words.search(_ONE_OFF, low=True):
        return "one-off"
    return None


def _tax_basis(word: str | None) -> FeeTax | None:
    if word is None:
        return None
    word = " ".join(word.lower().replace(".", "").split())
    if word.startswith(("net", "non assujetti", "exon")):
        return "net"
    if word in ("ttc", "toutes taxes comprises") or word.startswith("tva"):
        return "TTC"
    return "HT"


def _as_basis(tax: FeeTax | None) -> TaxBasis | None:
    """A tax basis a fee can be kept with (HT or net); None for TTC or none stated."""
    return "HT" if tax == "HT" else "net" if tax == "net" else None


def _body(clause: Window, centrals: CentralsBefore) -> str | None:
    """The central the clause after the amount names (the window, from the quote's end); none
    when it names another payee; else the central named last before the amount."""
    clause_end = clause.search(_CLAUSE_END)
    if clause_end is not None:
        clause = clause.to(clause_end.start())
    named = centrals.first(clause)
    if named is not None:
        return named
    # « … de 80 € HT est due à l'association des maires »: paid to someone else.
    if _OTHER_PAYEE.search(clause.text.low[clause.start : clause.end]):
        return None
    return centrals.at(clause.start)


def grid_taxes(text: Text) -> dict[str, FeeTax]:
    """The tax basis of each central's annexed fee grid (« Tarifs (nets de taxes) »)."""
    grids: dict[str, FeeTax] = {}
    centrals = CentralsBefore(text, _CONTEXT_CHARS)
    for count, match in enumerate(text.window().finditer(_GRID_TAX, low=True)):
        if count == _GRIDS_MAX:
            break
        body = centrals.at(match.start())
        tax = _tax_basis(match["tax"])
        if body is not None and tax is not None:
            grids.setdefault(body, tax)
    return grids


def kept_fees(
    found: Sequence[ReadFee],
    grids: dict[str, FeeTax],
    report: Window,
    authority: str | None = None,
) -> Part[tuple[Found[StatedFee], ...]]:
    """The annual fee of each central, with the tax basis of the annexed grid when it states
    one: when a report line says « 1 000 € HT/an » and the grid « nets de taxes », the grid is
    kept and the discrepancy reported. An amount changed by the text prevails, then the
    operative part's, then the first cited. The rows of a fee grid are other categories' fees;
    a central whose fee the text gives only in its grid gets the one row of the authority's
    kind (« Communes … » for a commune), to be checked. `report` is the report to the
    assembly (to the end of the text)."""
    warnings: list[str] = []
    annual = _annual(found, authority)
    by_body: dict[str, list[ReadFee]] = {}
    for fee in annual:
        if fee.value.statement.body is None:
            warnings.append(MSG_FEE_NO_BODY.format(quote=fee.value.quote))
        else:
            by_body.setdefault(fee.value.statement.body, []).append(fee)
    kept = []
    for body, stated in by_body.items():
        chosen = _chosen(body, stated)
        (fee, doubtful), amount = chosen.value, chosen.value[0].value.statement.amount
        tax = _fee_tax(body, stated, grids.get(body), report, amount)
        warnings += [*chosen.warnings, *tax.warnings]
        basis, tax_doubtful = tax.value
        if basis is not None:
            confidence = Confidence.CHECK if doubtful or tax_doubtful else fee.confidence
            stated_fee = StatedFee(body=body, amount=amount, tax=basis)
            kept.append(Found(stated_fee, fee.start, fee.end, confidence))
    if not annual:
        warnings.append(MSG_NO_FEES)
    return Part(tuple(kept), tuple(warnings))


def _annual(found: Sequence[ReadFee], authority: str | None) -> list[ReadFee]:
    """The fees stated per year, and the grids' rows: for a central whose fee only its grid
    gives, the one row of the authority's kind stands for its annual fee."""
    stated = [f for f in found if f.value.statement.category is None]
    stated += _authority_rows(found, stated, authority)
    return [
        f for f in stated if f.value.statement.periodicity == "annual" or f.value.statement.category
    ]


def _authority_rows(
    found: Sequence[ReadFee], stated: Sequence[ReadFee], authority: str | None
) -> list[ReadFee]:
    if authority is None:
        return []
    words = KIND_WORDS.get(authority.split()[0].lower(), ())
    bodies_stated = {
        f.value.statement.body for f in stated if f.value.statement.periodicity == "annual"
    }
    rows: dict[str | None, list[ReadFee]] = {}
    for fee in found:
        category = (fee.value.statement.category or "").lower()
        if fee.value.statement.body in bodies_stated or not category:
            continue
        if any(w in category for w in words):
            rows.setdefault(fee.value.statement.body, []).append(fee)
    return [
        replace(
            matching[0],
            value=replace(
                matching[0].value,
                statement=replace(matching[0].value.statement, periodicity="annual"),
            ),
            confidence=Confidence.CHECK,
        )
        for matching in rows.values()
        if len(matching) == 1
    ]


def checked_against_grids(
    found: Sequence[ReadFee], grids: dict[str, FeeTax]
) -> tuple[ReadFee, ...]:
    """Statements whose tax basis contradicts their central's annexed grid are to be checked."""
    return tuple(
        fee.to_check() if _against_grid(fee.value.statement, grids) else fee for fee in found
    )


def _against_grid(statement: FeeStatement, grids: dict[str, FeeTax]) -> bool:
    grid = grids.get(statement.body) if statement.body is not None else None
    return grid in ("HT", "net") and statement.tax not in (None, grid)


def _chosen(body: str, stated: list[ReadFee]) -> Part[tuple[ReadFee, bool]]:
    """The fee kept among a central's, and whether that choice is doubtful."""
    amounts = list(dict.fromkeys(s.value.statement.amount for s in stated))
    if len(amounts) == 1:
        # The same amount everywhere: shown where the operative part states it, if it does.
        return Part((next((s for s in stated if s.value.in_decision), stated[0]), False))
    listed = ", ".join(euros(a) for a in amounts)
    changed = [s for s in stated if s.value.statement.changed]
    if changed:
        chosen = changed[-1]
        kept = euros(chosen.value.statement.amount)
        return Part(
            (chosen, False), (MSG_FEE_CHANGED.format(body=body, amounts=listed, kept=kept),)
        )
    in_decision = [s for s in stated if s.value.in_decision]
    if in_decision and in_decision[0] is not stated[0]:
        chosen = in_decision[0]
        kept = euros(chosen.value.statement.amount)
        message = MSG_FEE_DECISION_KEPT.format(body=body, amounts=listed, kept=kept)
        return Part((chosen, True), (message,))
    message = MSG_FEE_AMOUNTS_DIFFER.format(body=body, amounts=listed, kept=euros(amounts[0]))
    return Part((stated[0], True), (message,))


def _fee_tax(
    body: str,
    stated: list[ReadFee],
    grid: FeeTax | None,
    report: Window,
    amount: Decimal,
) -> Part[tuple[TaxBasis | None, bool]]:
    """The tax basis kept for a central, and whether the text leaves it in doubt."""
    grid_basis = _as_basis(grid)
    if grid_basis is not None:
        warnings = tuple(
            MSG_FEE_TAX_VS_GRID.format(
                body=body,
                source="le rapport" if report.holds(fee.value.quote_start) else "le texte",
                quote=fee.value.quote,
                grid=f"« {TAX_WORDS[grid_basis]} »",
                kept=f"{euros(amount)} {TAX_WORDS[grid_basis]}",
            )
            for fee in stated
            if fee.value.statement.tax is not None and fee.value.statement.tax != grid_basis
        )
        return Part((grid_basis, bool(warnings)), warnings)
    return _stated_tax(body, stated)


def _stated_tax(body: str, stated: list[ReadFee]) -> Part[tuple[TaxBasis | None, bool]]:
    """The tax basis the statements give, when no annexed grid states one."""
    statements = [s.value for s in stated]
    taxes = list(dict.fromkeys(s.statement.tax for s in statements if s.statement.tax is not None))
    if not taxes:
        return Part((None, True), (MSG_FEE_NO_TAX.format(body=body, quote=statements[0].quote),))
    warnings: tuple[str, ...] = ()
    doubtful = len(taxes) > 1
    if doubtful:
        quotes = ", ".join(f"« {s.quote} »" for s in statements if s.statement.tax is not None)
        warnings = (
            MSG_FEE_TAXES_DIFFER.format(body=body, quotes=quotes, kept=TAX_WORDS[taxes[0]]),
        )
    if taxes[0] == "TTC":
        ttc = MSG_FEE_TTC.format(body=body, quote=statements[0].quote)
        return Part((None, True), (*warnings, ttc))
    return Part((_as_basis(taxes[0]), doubtful), warnings)


def in_spans(spans: Sequence[tuple[int, int]]) -> Callable[[int], bool]:
    """Whether a position falls in one of the (sorted, disjoint) spans."""
    starts = [start for start, _ in spans]

    def inside(position: int) -> bool:
        index = bisect.bisect_right(starts, position) - 1
        return index >= 0 and position < spans[index][1]

    return inside
