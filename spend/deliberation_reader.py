"""Read the text of a French local authority's deliberation into structured fields.

The reader only reports what the document states. A field the text does not give comes back
None together with a French warning naming it; figures that contradict each other are kept as
stated and flagged. Nothing is guessed.
"""

from __future__ import annotations

import bisect
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal

from spend.formatting import euros
from spend.money import CENT

Outcome = Literal["adopted", "rejected"]
TaxBasis = Literal["HT", "net"]

# --- What the user reads (French), gathered here ------------------------------------------------

MSG_NO_ID = "Numéro de la délibération introuvable."
MSG_NO_DATE = "Date de la séance introuvable."
MSG_BAD_DATE = "Date de la séance invalide : « {text} »."
MSG_NO_ASSEMBLY = "Assemblée délibérante introuvable."
MSG_NO_TITLE = "Objet de la délibération introuvable."
MSG_NO_VOTES = "Votes non trouvés."
MSG_MISSING_VOTES = "Votes incomplets : {missing} introuvable(s)."
MSG_UNANIMITY_NO_COUNT = (
    "Vote à l'unanimité sans décompte des voix : nombres de voix pour, contre et d'abstentions "
    "non indiqués."
)
MSG_UNANIMITY_AGAINST = (
    "Vote annoncé à l'unanimité alors que le texte compte {against} voix contre."
)
MSG_VOTERS_MISMATCH = (
    "Les votes ne s'additionnent pas : {for_} pour + {against} contre + {abstentions} "
    "abstention(s) = {total}, alors que le texte indique {voters} votants."
)
MSG_EXPRESSED_MISMATCH = (
    "Les votes ne s'additionnent pas : {for_} pour + {against} contre = {total}, alors que le "
    "texte indique {expressed} suffrages exprimés."
)
MSG_OUTCOME_VS_VOTES = (
    "Résultat « {outcome} » incohérent avec les voix : {for_} pour, {against} contre."
)
MSG_NO_OUTCOME = "Résultat du vote (adopté ou rejeté) introuvable."
MSG_CUT_SHORT_AFTER_DECIDE = (
    "Le texte semble tronqué : ni décompte des voix ni résultat du vote après « DECIDE »."
)
MSG_CUT_SHORT = (
    "Le texte semble tronqué : ni dispositif (« DECIDE »), ni décompte des voix, ni résultat "
    "du vote."
)
MSG_NO_BUDGET = "Aucun tableau budgétaire trouvé."
MSG_BUDGET_AMOUNTS = (
    "Ligne budgétaire {code} ({imputation}) : {count} montant(s) lu(s) au lieu de 2 (crédits "
    "et dépense) ; montants non retenus."
)
MSG_BUDGET_OVER = (
    "Ligne budgétaire {code} ({imputation}) : la dépense de {amount} dépasse les crédits de "
    "{credits}."
)
MSG_NO_FEES = "Aucune cotisation annuelle trouvée."
MSG_FEE_NO_BODY = "Montant annuel « {quote} » sans centrale d'achat identifiable : non retenu."
MSG_FEE_NO_TAX = (
    "{body} : montant annuel « {quote} » sans mention HT ni « nets de taxes » : non retenu."
)
MSG_FEE_TTC = (
    "{body} : montant annuel exprimé TTC (« {quote} ») : non retenu, le montant HT ou net de "
    "taxes n'est pas indiqué."
)
MSG_FEE_AMOUNTS_DIFFER = (
    "{body} : montants annuels divergents ({amounts}) ; le premier cité, {kept}, est retenu."
)
MSG_FEE_TAXES_DIFFER = (
    "{body} : bases fiscales divergentes ({quotes}) ; la première citée, {kept}, est retenue."
)
MSG_FEE_TAX_VS_GRID = (
    "{body} : {source} indique « {quote} » alors que la grille tarifaire annexée est {grid} ; "
    "la grille est retenue : {kept}."
)

MSG_READ_MISSING = "Fichier introuvable : « {name} »."
MSG_READ_OS = "Impossible de lire le fichier « {name} »."
MSG_READ_FORMAT = (
    "Format de fichier non pris en charge (« {suffix} ») : fournissez un fichier .txt ou .pdf."
)
MSG_READ_EMPTY = "Le fichier « {name} » est vide."
MSG_READ_BINARY = (
    "Le fichier « {name} » n'est pas un fichier texte : fournissez un .txt ou un .pdf."
)
MSG_READ_ENCODING = (
    "Le fichier « {name} » n'est ni en UTF-8 ni en Windows-1252 : enregistrez-le en UTF-8."
)
MSG_READ_PDF_SCANNED = (
    "Le PDF « {name} » ne contient pas de texte (document scanné ?) : saisissez les données à "
    "la main ou fournissez une version texte."
)
MSG_READ_PDF_CORRUPT = (
    "Le PDF « {name} » est illisible ou endommagé : saisissez les données à la main ou "
    "fournissez une version texte."
)
MSG_READ_PDF_LOCKED = (
    "Le PDF « {name} » est protégé par un mot de passe : fournissez une version non protégée "
    "ou une version texte."
)

_TAX_WORDS: dict[str, str] = {"HT": "HT", "net": "nets de taxes", "TTC": "TTC"}
_VOTE_WORDS: dict[str, str] = {
    "for": "voix pour",
    "against": "voix contre",
    "abstentions": "abstentions",
}
_OUTCOME_WORDS: dict[str, str] = {"adopted": "adopté", "rejected": "rejeté"}


# --- Public types ------------------------------------------------------------------------------


class DeliberationReadError(Exception):
    """A deliberation file cannot be read; the message is French and meant for the user."""


@dataclass(frozen=True)
class BudgetRow:
    """One row of the deliberation's budget table: the line charged, its credits, the expense."""

    operation_code: str
    imputation: str
    label: str | None
    credits: Decimal | None
    amount: Decimal | None


@dataclass(frozen=True)
class StatedFee:
    """An annual fee the document states for a purchasing central."""

    body: str
    amount: Decimal
    tax: TaxBasis


@dataclass(frozen=True)
class DeliberationReading:
    """What a deliberation text states, with French warnings for what is missing or odd."""

    deliberation_id: str | None
    date: date | None
    assembly: str | None
    title: str | None
    votes_for: int | None
    votes_against: int | None
    abstentions: int | None
    outcome: Outcome | None
    budget_rows: tuple[BudgetRow, ...]
    fees: tuple[StatedFee, ...]
    warnings: tuple[str, ...]

    def to_json_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values; money as strings with 2 decimals, never floats."""
        return {
            "deliberation_id": self.deliberation_id,
            "date": None if self.date is None else self.date.isoformat(),
            "assembly": self.assembly,
            "title": self.title,
            "votes_for": self.votes_for,
            "votes_against": self.votes_against,
            "abstentions": self.abstentions,
            "outcome": self.outcome,
            "budget_rows": [
                {
                    "operation_code": row.operation_code,
                    "imputation": row.imputation,
                    "label": row.label,
                    "credits": _money_json(row.credits),
                    "amount": _money_json(row.amount),
                }
                for row in self.budget_rows
            ],
            "fees": [
                {"body": fee.body, "amount": _money_json(fee.amount), "tax": fee.tax}
                for fee in self.fees
            ],
            "warnings": list(self.warnings),
        }


# --- Money ---------------------------------------------------------------------------------------

# Thousands may be grouped by any kind of space (normal, no-break, narrow, thin) or a dot.
_GROUP = "[ \u00a0\u202f\u2009.]"
_NUMBER = rf"(?:\d{{1,3}}(?:{_GROUP}\d{{3}})+|\d+)(?:,\d{{1,2}})?"
_AMOUNT_TEXT = re.compile(
    rf"\s*(?P<sign>[-−])?\s*(?P<number>{_NUMBER})\s*(?:€|euros?|EUR)?"
    r"\s*(?:HT|H\.T\.|TTC|T\.T\.C\.|hors\s+taxes?|nets?(?:\s+de\s+taxes?)?)?\s*",
    re.IGNORECASE,
)


def parse_french_amount(text: str) -> Decimal:
    """Exact amount in euros, to the cent, from French text ("3 000,00 €", "1 500,00 € HT")."""
    match = _AMOUNT_TEXT.fullmatch(text)
    if match is None:
        raise ValueError(f"Montant illisible : « {text} ».")
    value = _number(match["number"])
    return -value if match["sign"] else value


def _number(number: str) -> Decimal:
    digits = re.sub(_GROUP, "", number).replace(",", ".")
    try:
        return Decimal(digits).quantize(CENT)
    except InvalidOperation as exc:  # pragma: no cover - the patterns only let digits through
        raise ValueError(f"Montant illisible : « {number} ».") from exc


def _money_json(value: Decimal | None) -> str | None:
    return None if value is None else f"{value.quantize(CENT):f}"


# --- Reading files -------------------------------------------------------------------------------


def read_deliberation_file(path: Path) -> DeliberationReading:
    """Read a deliberation from a .txt (UTF-8, else Windows-1252) or a .pdf with a text layer."""
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise DeliberationReadError(MSG_READ_MISSING.format(name=path.name)) from exc
    except OSError as exc:
        raise DeliberationReadError(MSG_READ_OS.format(name=path.name)) from exc
    return read_deliberation_bytes(data, path.name)


def read_deliberation_bytes(data: bytes, filename: str) -> DeliberationReading:
    """Same as read_deliberation_file, for content already in memory (an uploaded file)."""
    return read_deliberation_text(deliberation_text(data, filename))


def deliberation_text(data: bytes, filename: str) -> str:
    """The text of a .txt or .pdf deliberation, or a DeliberationReadError in French."""
    suffix = Path(filename).suffix.lower()
    if suffix == ".pdf" or data.startswith(b"%PDF"):
        return _pdf_text(data, filename)
    if suffix not in {".txt", ".text", ""}:
        raise DeliberationReadError(MSG_READ_FORMAT.format(suffix=suffix))
    return _decoded_text(data, filename)


def _decoded_text(data: bytes, filename: str) -> str:
    if not data.strip():
        raise DeliberationReadError(MSG_READ_EMPTY.format(name=filename))
    if b"\x00" in data:
        raise DeliberationReadError(MSG_READ_BINARY.format(name=filename))
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DeliberationReadError(MSG_READ_ENCODING.format(name=filename))


def _pdf_text(data: bytes, filename: str) -> str:
    # Imported here so that reading plain text never pays for pypdf.
    from pypdf import PdfReader

    # pypdf raises many exception types on damaged files; each one means the same to the user.
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not _opens_without_password(reader):
            raise DeliberationReadError(MSG_READ_PDF_LOCKED.format(name=filename))
        pages = [page.extract_text() or "" for page in reader.pages]
        if not pages:
            raise DeliberationReadError(MSG_READ_PDF_CORRUPT.format(name=filename))
    except DeliberationReadError:
        raise
    except Exception as exc:
        raise DeliberationReadError(MSG_READ_PDF_CORRUPT.format(name=filename)) from exc
    text = "\n".join(pages)
    if not text.strip():
        raise DeliberationReadError(MSG_READ_PDF_SCANNED.format(name=filename))
    return text


def _opens_without_password(reader: Any) -> bool:
    # Some PDFs are encrypted with an empty user password; others need a key or a codec we lack.
    try:
        return bool(reader.decrypt(""))
    except Exception:
        return False


# --- Reading the text ----------------------------------------------------------------------------


def read_deliberation_text(text: str) -> DeliberationReading:
    """Read the fields a deliberation states; see the module docstring for the rules."""
    norm = _normalised(text)
    warnings: list[str] = []

    header = norm[: _first_start(_HEADER_END, norm, default=len(norm))]
    decide = _DECIDE.search(norm)
    after_decide = decide.end() if decide else 0

    deliberation_id = _deliberation_id(norm)
    if deliberation_id is None:
        warnings.append(MSG_NO_ID)
    meeting_date = _meeting_date(norm, header, warnings)
    assembly = _assembly(header)
    if assembly is None:
        warnings.append(MSG_NO_ASSEMBLY)
    title = _title(norm)
    if title is None:
        warnings.append(MSG_NO_TITLE)

    votes = _votes(norm, after_decide)
    outcome_match = _first_match(_OUTCOMES, norm, after_decide)
    outcome: Outcome | None = None
    if outcome_match is not None:
        outcome = "adopted" if outcome_match[1].lower().startswith("adopt") else "rejected"

    vote_section = _VOTE_SECTION.search(norm, after_decide)
    section_starts = [p for p in votes.positions if p >= after_decide]
    section_starts += [outcome_match[0]] if outcome_match else []
    section_starts += [vote_section.start()] if vote_section else []
    budget_end = min(section_starts, default=len(norm))
    budget_rows = _budget_rows(norm[after_decide:budget_end], warnings)
    _check_votes(votes, outcome, warnings)
    if outcome is None:
        warnings.append(MSG_NO_OUTCOME)
        if all(n is None for n in votes.counts.values()):
            warnings.append(MSG_CUT_SHORT_AFTER_DECIDE if decide else MSG_CUT_SHORT)
    fees = _fees(norm, warnings)

    return DeliberationReading(
        deliberation_id=deliberation_id,
        date=meeting_date,
        assembly=assembly,
        title=title,
        votes_for=votes.counts["for"],
        votes_against=votes.counts["against"],
        abstentions=votes.counts["abstentions"],
        outcome=outcome,
        budget_rows=budget_rows,
        fees=fees,
        warnings=tuple(warnings),
    )


_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_WHITESPACE = re.compile(r"\s+")


def _normalised(text: str) -> str:
    """One space between words, one line per non-blank line.

    Blank lines and runs of spaces are dropped because a PDF text layer of the same document
    does not keep them: both sources must read alike.
    """
    text = _INVISIBLE.sub("", text)
    lines = (_WHITESPACE.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def _collapsed(text: str) -> str:
    """Words of a block joined by single spaces; a word cut after its hyphen is joined again."""
    return re.sub(r"(?<=\w)- (?=\w)", "-", _WHITESPACE.sub(" ", text).strip())


def _first_start(pattern: re.Pattern[str], text: str, *, default: int) -> int:
    match = pattern.search(text)
    return match.start() if match else default


def _line_at(text: str, position: int) -> str:
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    return text[start : len(text) if end < 0 else end]


# The header (authority, assembly, meeting) ends where the legal recitals or the decision begin.
_HEADER_END = re.compile(
    r"^(?:vu\b|consid[ée]rant\b|apr[èe]s\s+en\s+avoir\s+d[ée]lib[ée]r[ée]|d[ée]cide\b)",
    re.IGNORECASE | re.MULTILINE,
)
_DECIDE = re.compile(
    r"^D[ÉE]CIDE\b\s*:?|\bd[ée]cide\s*:|\bd[ée]lib[èe]re\s*:", re.IGNORECASE | re.MULTILINE
)

# --- Identifier ----------------------------------------------------------------------------------

_ID = r"(?P<id>[A-Z0-9][A-Z0-9/._-]*\d)"
# The deliberation's own number follows its title in parentheses: "(N°2022-504)". Numbers cited in
# "Vu la délibération n°2021-257" are other deliberations.
_OWN_ID = re.compile(rf"\(\s*N\s*[°º]\s*{_ID}\s*\)", re.IGNORECASE)
_ID_LINE = re.compile(
    rf"^(?:extrait\s+de\s+la\s+)?d[ée]lib[ée]ration\s+n\s*[°º]\s*{_ID}\b",
    re.IGNORECASE | re.MULTILINE,
)


def _deliberation_id(norm: str) -> str | None:
    match = _OWN_ID.search(norm) or _ID_LINE.search(norm)
    return match["id"] if match else None


# --- Meeting date --------------------------------------------------------------------------------

_MONTHS: dict[str, int] = {
    "janvier": 1,
    "février": 2,
    "fevrier": 2,
    "mars": 3,
    "avril": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "août": 8,
    "aout": 8,
    "septembre": 9,
    "octobre": 10,
    "novembre": 11,
    "décembre": 12,
    "decembre": 12,
}
_MEETING_DATE = re.compile(
    r"\b(?:r[ée]union|s[ée]ance)"
    r"(?:\s+(?:publique|pl[ée]ni[èe]re|ordinaire|extraordinaire))?\s+du\s+"
    r"(?:(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\s+)?"
    r"(?P<date>(?P<day>\d{1,2})(?:er)?\s+(?P<month>[a-zéèêëàâäîïôöûüç]+)\s+(?P<year>\d{4})"
    r"|(?P<nday>\d{1,2})[/.](?P<nmonth>\d{1,2})[/.](?P<nyear>\d{4}))",
    re.IGNORECASE,
)


def _meeting_date(norm: str, header: str, warnings: list[str]) -> date | None:
    """The date of "REUNION DU 13 DÉCEMBRE 2022", from the header first.

    Dates of other meetings appear in the recitals ("Vu ... réunion du 28/11/2022"): they are
    skipped. Signature or convention dates are never taken for the meeting's.
    """
    candidates = [m for m in _MEETING_DATE.finditer(header)]
    candidates += [
        m
        for m in _MEETING_DATE.finditer(norm, len(header))
        if not re.match(r"vu\b", _line_at(norm, m.start()), re.IGNORECASE)
    ]
    for match in candidates:
        if match["month"] is not None:
            month = _MONTHS.get(match["month"].lower())
            if month is None:
                continue
            parts = (int(match["year"]), month, int(match["day"]))
        else:
            parts = (int(match["nyear"]), int(match["nmonth"]), int(match["nday"]))
        try:
            return date(*parts)
        except ValueError:
            warnings.append(MSG_BAD_DATE.format(text=match["date"]))
            return None
    warnings.append(MSG_NO_DATE)
    return None


# --- Assembly ------------------------------------------------------------------------------------

_ASSEMBLIES: tuple[tuple[str, str], ...] = (
    ("Commission Permanente", r"commission\s+permanente"),
    ("Bureau", r"bureau(?:\s+(?:communautaire|syndical|m[ée]tropolitain))?"),
    ("Conseil départemental", r"conseil\s+(?:d[ée]partemental|g[ée]n[ée]ral)"),
    ("Conseil municipal", r"conseil\s+municipal"),
    ("Conseil communautaire", r"conseil\s+communautaire"),
    ("Conseil régional", r"conseil\s+r[ée]gional"),
    ("Conseil métropolitain", r"conseil\s+m[ée]tropolitain"),
    ("Comité syndical", r"comit[ée]\s+syndical"),
)
_ASSEMBLY = re.compile(
    r"\b(?:" + "|".join(f"(?P<a{i}>{p})" for i, (_, p) in enumerate(_ASSEMBLIES)) + r")\b",
    re.IGNORECASE,
)
# "DELIBERATION DE LA COMMISSION PERMANENTE DU CONSEIL DEPARTEMENTAL": the assembly is the one
# named right after "délibération", not the council it belongs to.
_ASSEMBLY_AFTER_DELIBERATION = re.compile(
    r"d[ée]lib[ée]rations?\s+(?:de\s+la|du|de\s+l['’])\s+(?=" + _ASSEMBLY.pattern + ")",
    re.IGNORECASE,
)


def _assembly(header: str) -> str | None:
    named = _ASSEMBLY_AFTER_DELIBERATION.search(header)
    match = _ASSEMBLY.search(header, named.end()) if named else _ASSEMBLY.search(header)
    if match is None:
        return None
    index = next(int(name[1:]) for name, value in match.groupdict().items() if value)
    return _ASSEMBLIES[index][0]


# --- Title ---------------------------------------------------------------------------------------

# Uppercase header lines that sit above a title block and are not part of it.
_NOT_TITLE = re.compile(
    r"^(?:r[ée]union|s[ée]ance|pr[ée]sidence|d[ée]lib[ée]ration|extrait|d[ée]partement|commune|"
    r"ville|r[ée]gion|rapport|secr[ée]taire|commission\s+permanente|conseil)\b",
    re.IGNORECASE,
)
_OBJECT_LINE = re.compile(r"^objet\s*:\s*(?P<title>.+)$", re.IGNORECASE | re.MULTILINE)


def _title(norm: str) -> str | None:
    own_id = _OWN_ID.search(norm)
    if own_id is not None:
        *previous, last = norm[: own_id.start()].split("\n")
        # The id may close the title's last line: "ADHÉSION À L'UGAP (N°2023-12)".
        block = [last] if last.strip() else []
        for line in reversed(previous[-12:]):
            if not _is_title_line(line):
                break
            block.insert(0, line)
        title = _collapsed(" ".join(block))
        if title:
            return title
    match = _OBJECT_LINE.search(norm)
    if match is None:
        return None
    block = [match["title"]]
    # An object running over several lines continues in lowercase: "... (UGAP)\npour la ...".
    for line in norm[match.end() + 1 :].split("\n"):
        if not line[:1].islower():
            break
        block.append(line)
    return _collapsed(" ".join(block))


def _is_title_line(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    if not letters or _NOT_TITLE.match(line):
        return False
    return sum(c.islower() for c in letters) <= len(letters) // 10


# --- Votes and outcome ---------------------------------------------------------------------------

_COUNT = r"\s*:\s*(?P<n>\d+)"
_VOTE_PATTERNS: dict[str, tuple[re.Pattern[str], ...]] = {
    "for": (
        re.compile(r"(?<![\w'’])pour" + _COUNT, re.IGNORECASE),
        re.compile(r"(?P<n>\d+)\s+voix\s+pour\b", re.IGNORECASE),
    ),
    "against": (
        re.compile(r"(?<![\w'’])contre" + _COUNT, re.IGNORECASE),
        # Not "10 voix\nContre : 20", where 10 belongs to the line above.
        re.compile(r"(?P<n>\d+)\s+(?:voix\s+)?contre\b(?!\s*:)", re.IGNORECASE),
    ),
    "abstentions": (
        re.compile(r"(?<![\w'’])abstentions?(?:\s*\(s\))?" + _COUNT, re.IGNORECASE),
        re.compile(r"(?P<n>\d+)\s+abstentions?\b", re.IGNORECASE),
    ),
}
_VOTERS = re.compile(r"(?<![\w'’])(?:nombre\s+de\s+)?votants" + _COUNT, re.IGNORECASE)
_EXPRESSED = re.compile(r"suffrages\s+exprim[ée]s" + _COUNT, re.IGNORECASE)
_UNANIMITY = re.compile(r"\bunanimit[ée]", re.IGNORECASE)
_VOTE_SECTION = re.compile(r"conditions\s+de\s+vote|\bvote\s*:", re.IGNORECASE)
_OUTCOME_FORMS = r"(?:é|ée|és|ées)"
_OUTCOMES: tuple[re.Pattern[str], ...] = (
    # "(Adopté)", "(Rejetée)", "(Adoptée à l'unanimité)"
    re.compile(rf"\(\s*(?P<o>adopt|rejet){_OUTCOME_FORMS}?e?s?\b[^()\n]{{0,60}}\)", re.IGNORECASE),
    # A line saying it: "Adopté à l'unanimité.", "La délibération est rejetée."
    re.compile(
        r"^[\s•\-–]*(?:(?:la\s+)?(?:d[ée]lib[ée]ration|proposition|motion)\s+(?:est\s+)?)?"
        rf"(?P<o>adopt|rejet){_OUTCOME_FORMS}\b",
        re.IGNORECASE | re.MULTILINE,
    ),
    # Unaccented capitals: "ADOPTE", "REJETEE" alone at the start of a line.
    re.compile(r"^[\s•\-–]*(?P<o>ADOPT|REJET)(?:E|EE|ES|EES)\b", re.MULTILINE),
    # Anywhere: "vote : adopté à l'unanimité".
    re.compile(r"\b(?P<o>adopt|rejet)\w*\s+(?:à|a)\s+l['’]unanimit", re.IGNORECASE),
)


def _first_match(
    patterns: Iterable[re.Pattern[str]], text: str, start: int
) -> tuple[int, str] | None:
    matches = [m for p in patterns if (m := p.search(text, start))]
    if not matches:
        return None
    first = min(matches, key=lambda m: m.start())
    return first.start(), first["o"]


@dataclass(frozen=True)
class _Votes:
    counts: dict[str, int | None]
    positions: tuple[int, ...]
    voters: int | None
    expressed: int | None
    unanimous: bool


def _votes(norm: str, after_decide: int) -> _Votes:
    """The first vote count of each kind after the decision.

    Some authorities print the counts in the header instead: when none follows the decision,
    the whole text is searched.
    """
    counts: dict[str, int | None] = {}
    positions: list[int] = []
    start = after_decide
    if not any(p.search(norm, after_decide) for ps in _VOTE_PATTERNS.values() for p in ps):
        start = 0
    for kind, patterns in _VOTE_PATTERNS.items():
        # "Contre : 12" is preferred to "12 voix contre" wherever each stands.
        first = next((m for p in patterns if (m := p.search(norm, start))), None)
        counts[kind] = int(first["n"]) if first else None
        if first:
            positions.append(first.start())
    voters = _VOTERS.search(norm)
    expressed = _EXPRESSED.search(norm)
    positions += [m.start() for m in (voters, expressed) if m and m.start() >= after_decide]
    return _Votes(
        counts=counts,
        positions=tuple(positions),
        voters=int(voters["n"]) if voters else None,
        expressed=int(expressed["n"]) if expressed else None,
        unanimous=bool(_UNANIMITY.search(norm, after_decide)),
    )


def _check_votes(votes: _Votes, outcome: Outcome | None, warnings: list[str]) -> None:
    counts = votes.counts
    missing = [_VOTE_WORDS[kind] for kind, n in counts.items() if n is None]
    if len(missing) == len(counts):
        warnings.append(MSG_UNANIMITY_NO_COUNT if votes.unanimous else MSG_NO_VOTES)
        return
    if missing:
        warnings.append(MSG_MISSING_VOTES.format(missing=", ".join(missing)))
    for_, against, abstentions = counts["for"], counts["against"], counts["abstentions"]
    if votes.unanimous and against:
        warnings.append(MSG_UNANIMITY_AGAINST.format(against=against))
    if for_ is not None and against is not None and abstentions is not None:
        total = for_ + against + abstentions
        if votes.voters is not None and total != votes.voters:
            warnings.append(
                MSG_VOTERS_MISMATCH.format(
                    for_=for_,
                    against=against,
                    abstentions=abstentions,
                    total=total,
                    voters=votes.voters,
                )
            )
    if for_ is not None and against is not None:
        if votes.expressed is not None and for_ + against != votes.expressed:
            warnings.append(
                MSG_EXPRESSED_MISMATCH.format(
                    for_=for_, against=against, total=for_ + against, expressed=votes.expressed
                )
            )
        if (outcome == "adopted" and for_ <= against) or (outcome == "rejected" and for_ > against):
            warnings.append(
                MSG_OUTCOME_VS_VOTES.format(
                    outcome=_OUTCOME_WORDS[outcome], for_=for_, against=against
                )
            )


# --- Budget table --------------------------------------------------------------------------------

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


def _budget_rows(segment: str, warnings: list[str]) -> tuple[BudgetRow, ...]:
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
        label = _collapsed(chunk[: run.start()] if run else chunk) or None
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


# --- Fees of purchasing centrals -----------------------------------------------------------------

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
_MONEY = rf"(?P<amount>{_NUMBER})\s*(?:€|euros?\b|EUR\b)"
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


def _fees(norm: str, warnings: list[str]) -> tuple[StatedFee, ...]:
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
                amount=_number(m["amount"]),
                tax=_tax_basis(m["tax"]),
                quote=_collapsed(m[0]),
                position=m.start(),
            )
    grids: dict[str, str] = {}
    for m in _GRID_TAX.finditer(norm):
        body = central_before(m.start())
        if body is not None:
            grids.setdefault(body, _tax_basis(m["tax"]) or "")

    report_at = _first_start(_REPORT_START, norm, default=len(norm))
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
                        grid=f"« {_TAX_WORDS[grid]} »",
                        kept=f"{euros(amount)} {_TAX_WORDS[grid]}",
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
                kept=_TAX_WORDS[taxes[0]],
            )
        )
    if taxes[0] == "TTC":
        warnings.append(MSG_FEE_TTC.format(body=body, quote=stated[0].quote))
        return None
    return "HT" if taxes[0] == "HT" else "net"
