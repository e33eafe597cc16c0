"""Export deliberations in the SCDL « délibérations » open-data format (OpenDataFrance).

Reference: schema 2.1.5 of https://schema.data.gouv.fr/scdl/deliberations/ (a copy, with its
source, in tests/fixtures/scdl/): 17 columns in a fixed order, dates as AAAA-MM-JJ, missing
values empty, and the schema's custom checks (SIRET key, ACTES subject, votes, budget,
prefecture date) which `frictionless` and Validata apply.

The published values are the stored values: a title beginning with « - » or « = » is published
as it is (the spreadsheet guard of the other downloads would change it); the manager is told.
A row a validator would refuse is left out of the file, and the manager is told why; vote fields
that cannot all be given are left out together (the schema allows it), and said too.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any

import polars as pl

from spend.exchange.settings import siret_problem

SCDL_COLUMNS: tuple[str, ...] = (
    "COLL_NOM",
    "COLL_SIRET",
    "DELIB_ID",
    "DELIB_DATE",
    "DELIB_MATIERE_CODE",
    "DELIB_MATIERE_NOM",
    "DELIB_OBJET",
    "BUDGET_ANNEE",
    "BUDGET_NOM",
    "PREF_ID",
    "PREF_DATE",
    "VOTE_EFFECTIF",
    "VOTE_REEL",
    "VOTE_POUR",
    "VOTE_CONTRE",
    "VOTE_ABSTENTION",
    "DELIB_URL",
)

# All five given, or none (the schema's cohesive-columns rule on VOTE_EFFECTIF).
VOTE_COLUMNS: tuple[str, ...] = (
    "VOTE_EFFECTIF",
    "VOTE_REEL",
    "VOTE_POUR",
    "VOTE_CONTRE",
    "VOTE_ABSTENTION",
)
COUNTS = ("VOTE_POUR", "VOTE_CONTRE", "VOTE_ABSTENTION")

# Required by the schema, with what the user calls them.
REQUIRED_FIELDS: dict[str, str] = {
    "COLL_NOM": "nom de la collectivité",
    "COLL_SIRET": "SIRET de la collectivité",
    "DELIB_ID": "numéro de délibération",
    "DELIB_DATE": "date de la délibération",
    "DELIB_MATIERE_CODE": "code matière ACTES",
    "DELIB_MATIERE_NOM": "matière ACTES",
    "DELIB_OBJET": "objet de la délibération",
}

# The first level of the ACTES nomenclature, by its number, and how many second-level subjects
# each has (« 7.1 » to « 7.10 »), as the schema's description of DELIB_MATIERE_CODE lists them.
ACTES_FIRST_LEVEL: dict[int, tuple[str, int]] = {
    1: ("Commande publique", 7),
    2: ("Urbanisme", 3),
    3: ("Domaine et patrimoine", 6),
    4: ("Fonction publique", 5),
    5: ("Institutions et vie politique", 8),
    6: ("Libertés publiques et pouvoirs de police", 5),
    7: ("Finances locales", 10),
    8: ("Domaines de compétences par thèmes", 9),
    9: ("Autres domaines de compétences", 4),
}

# Characters that make a spreadsheet run a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def collectivity(settings: dict[str, str]) -> dict[str, Any]:
    """The authority publishing the deliberations, from the settings (SCDL's COLL_ columns)."""
    return {
        "coll_name": settings.get("collectivity_name", ""),
        "coll_siret": settings.get("collectivity_siret") or None,
    }


def _text(value: object) -> str | None:
    """A cell as the CSV writes it: None for a blank."""
    if value is None:
        return None
    text = value.isoformat() if isinstance(value, date) else str(value)
    return text if text.strip() else None


def _votes(row: dict) -> tuple[dict[str, str | None], str | None]:
    """The five vote fields of a stored deliberation, or none of them with the reason."""
    counts = (row.get("votes_for"), row.get("votes_against"), row.get("abstentions"))
    members = row.get("members_in_office")
    none = dict.fromkeys(VOTE_COLUMNS)
    if all(c is None for c in counts) and members is None:
        return none, None
    if any(c is None for c in counts):
        return none, "votes incomplets (pour, contre, abstentions)"
    if members is None:
        return none, "nombre de membres en exercice (VOTE_EFFECTIF) inconnu"
    voters = sum(int(c) for c in counts if c is not None)
    if members < voters:
        return none, f"membres en exercice ({members}) moins nombreux que les votants ({voters})"
    return {
        "VOTE_EFFECTIF": str(members),
        "VOTE_REEL": str(voters),
        "VOTE_POUR": str(counts[0]),
        "VOTE_CONTRE": str(counts[1]),
        "VOTE_ABSTENTION": str(counts[2]),
    }, None


def _scdl_rows(
    deliberations: pl.DataFrame, coll_name: str, coll_siret: str | None
) -> tuple[list[dict[str, str | None]], list[str]]:
    siret = re.sub(r"[\s.\-\u00a0\u202f]", "", coll_siret or "") or None
    rows, notices = [], []
    for row in deliberations.iter_rows(named=True):
        if row.get("outcome") == "rejected":
            continue
        votes, why = _votes(row)
        if why:
            notices.append(
                f"Délibération {row['deliberation_id']} : votes non publiés, {why} (le format "
                "SCDL publie les cinq champs de vote ensemble ou aucun)."
            )
        rows.append(
            {
                "COLL_NOM": _text(coll_name.strip()),
                "COLL_SIRET": siret,
                "DELIB_ID": _text(row["deliberation_id"]),
                "DELIB_DATE": _text(row["date"]),
                "DELIB_MATIERE_CODE": _text(row.get("subject_code")),
                "DELIB_MATIERE_NOM": _text(row.get("subject_name")),
                "DELIB_OBJET": _text(row.get("title")),
                "BUDGET_ANNEE": _text(row.get("budget_year")),
                "BUDGET_NOM": _text(row.get("budget_name")),
                "PREF_ID": _text(row.get("prefecture_id")),
                "PREF_DATE": _text(row.get("prefecture_date")),
                **votes,
                "DELIB_URL": _text(row.get("url")),
            }
        )
    return rows, notices


def _frame(rows: list[dict[str, str | None]]) -> pl.DataFrame:
    return pl.DataFrame(
        [{c: row.get(c) for c in SCDL_COLUMNS} for row in rows],
        schema=dict.fromkeys(SCDL_COLUMNS, pl.String),
    )


def scdl_frame(
    deliberations: pl.DataFrame, *, coll_name: str, coll_siret: str | None
) -> pl.DataFrame:
    """The store's deliberations as SCDL rows, every column a string, unknown values null.

    Only adopted deliberations (or those whose outcome is not recorded) are exported: the
    standard describes deliberations adopted by the authority, and DELIB_DATE is the date of
    adoption. The vote fields are given together (VOTE_REEL the sum of the three counts) when
    every count and the members in office are known, consistently; otherwise none.
    """
    return _frame(_scdl_rows(deliberations, coll_name, coll_siret)[0])


@dataclass(frozen=True)
class ScdlExport:
    """What the open-data file publishes, and what the manager is told about it."""

    frame: pl.DataFrame  # every adopted deliberation, as SCDL rows
    published: pl.DataFrame  # the rows a validator accepts: the file
    problems: list[str]  # why each row left out is left out
    notices: list[str]  # what is published differently from what a reader might expect

    def csv_bytes(self) -> bytes:
        return scdl_csv_bytes(self.published)


def scdl_export(deliberations: pl.DataFrame, settings: dict[str, str]) -> ScdlExport:
    """The open-data file of the store's deliberations, never one a validator refuses."""
    rows, notices = _scdl_rows(deliberations, **collectivity(settings))
    frame = _frame(rows)
    kept: list[dict[str, str | None]] = []
    problems: list[str] = []
    for line, row in enumerate(rows, start=2):
        found = row_problems(row, line)
        if found:
            problems.extend(f"{p} Délibération non publiée." for p in found)
        else:
            kept.append(row)
            title = row["DELIB_OBJET"] or ""
            if title.startswith(FORMULA_STARTS):
                notices.append(
                    f"Délibération {row['DELIB_ID']} : l'objet commence par « {title[0]} » ; il "
                    "est publié tel quel (un tableur qui ouvrirait le fichier pourrait le lire "
                    "comme une formule)."
                )
    return ScdlExport(frame, _frame(kept), problems, notices)


def scdl_problems(frame: pl.DataFrame) -> list[str]:
    """The schema's rules broken by an SCDL frame, as French sentences, in row order.

    Each sentence names the deliberation and its line in the CSV file (the header is line 1).
    Blank strings count as missing, so a frame read back from a CSV is checked the same way.
    """
    missing_columns = [c for c in SCDL_COLUMNS if c not in frame.columns]
    problems = [f"Colonne SCDL absente : {c}." for c in missing_columns]
    text = frame.select(pl.col(c).cast(pl.String) for c in SCDL_COLUMNS if c in frame.columns)
    for line, row in enumerate(text.iter_rows(named=True), start=2):
        problems.extend(row_problems({k: _text(v) for k, v in row.items()}, line))
    return problems


def row_problems(row: dict[str, str | None], line: int) -> list[str]:
    """The rules of schema 2.1.5 one SCDL row breaks, with the validators' meaning."""
    who = (
        f"Délibération {row['DELIB_ID']} (ligne {line})"
        if row.get("DELIB_ID")
        else f"Délibération sans numéro (ligne {line})"
    )
    said = [
        f"champ obligatoire « {label} » ({column}) non renseigné."
        for column, label in REQUIRED_FIELDS.items()
        if not row.get(column)
    ]
    siret = row.get("COLL_SIRET")
    if siret and (problem := _siret_problem(siret)):
        said.append(f"COLL_SIRET : {problem}")
    said += _date_problems(row) + _subject_problems(row) + _budget_problems(row)
    said += _vote_problems(row)
    url = row.get("DELIB_URL")
    if url and not re.fullmatch(r"https?://[^\s<>\"]+", url):
        said.append(f"DELIB_URL : adresse « {url} » illisible (http:// ou https:// attendu).")
    return [f"{who} : {s}" for s in said]


# Every row of a file names the same authority: its SIRET is checked once.
_siret_problem = functools.lru_cache(maxsize=64)(siret_problem)


@functools.lru_cache(maxsize=4096)
def _day(value: str | None) -> date | None:
    if not value or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


DATE_FIELDS = {
    "DELIB_DATE": "date de la délibération",
    "PREF_DATE": "date de réception en préfecture",
}


def _date_problems(row: dict[str, str | None]) -> list[str]:
    said = []
    for column, label in DATE_FIELDS.items():
        value = row.get(column)
        if value and _day(value) is None:
            said.append(f"{label} ({column}) invalide : « {value} » (AAAA-MM-JJ attendu).")
    adopted, received = _day(row.get("DELIB_DATE")), _day(row.get("PREF_DATE"))
    if adopted and received and received < adopted:
        said.append(
            f"PREF_DATE ({received:%d/%m/%Y}) antérieure à DELIB_DATE ({adopted:%d/%m/%Y}) : "
            "la préfecture reçoit la délibération après son adoption."
        )
    return said


def _plain(text: str) -> str:
    """Lower case without accents, as the ACTES check compares first levels."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


_KNOWN_FIRST_LEVELS = {_plain(n): number for number, (n, _) in ACTES_FIRST_LEVEL.items()}


def _subject_problems(row: dict[str, str | None]) -> list[str]:
    said = []
    code, name = row.get("DELIB_MATIERE_CODE"), row.get("DELIB_MATIERE_NOM")
    first_code = None
    if code:
        match = re.fullmatch(r"(\d)\.(\d{1,2})", code)
        level = ACTES_FIRST_LEVEL.get(int(match[1])) if match else None
        if match is None or level is None or not 1 <= int(match[2]) <= level[1]:
            said.append(
                f"code matière (DELIB_MATIERE_CODE) « {code} » hors de la nomenclature ACTES "
                "(de 1.1 à 9.4, par exemple 1.4)."
            )
        else:
            first_code = int(match[1])
    if name:
        first = name.split("/", 1)[0]
        known = _KNOWN_FIRST_LEVELS
        if "/" not in name:
            said.append(
                f"matière (DELIB_MATIERE_NOM) « {name} » sans barre oblique : « Niveau 1/Niveau "
                "2 » attendu, par exemple « Commande publique/Autres types de contrats »."
            )
        elif first.strip() != first or "/ " in name:
            said.append(
                f"matière (DELIB_MATIERE_NOM) « {name} » : pas d'espace avant ni après la barre "
                "oblique."
            )
        elif _plain(first) not in known:
            said.append(
                f"matière (DELIB_MATIERE_NOM) « {name} » : le premier niveau « {first} » n'est "
                "pas de la nomenclature ACTES ("
                + ", ".join(n for n, _ in ACTES_FIRST_LEVEL.values())
                + ")."
            )
        elif first_code is not None and known[_plain(first)] != first_code:
            said.append(
                f"code matière « {code} » et matière « {name} » ne concordent pas (le code "
                f"{known[_plain(first)]}.x désigne « {first} »)."
            )
    return said


def _budget_problems(row: dict[str, str | None]) -> list[str]:
    said = []
    year, name = row.get("BUDGET_ANNEE"), row.get("BUDGET_NOM")
    if year:
        match = re.fullmatch(r"(\d{4})(?:/(\d{4}))?", year)
        if match is None:
            said.append(f"année du budget (BUDGET_ANNEE) « {year} » illisible : AAAA ou AAAA/AAAA.")
        elif match[2] and int(match[2]) <= int(match[1]):
            said.append(
                f"année du budget (BUDGET_ANNEE) « {year} » : la seconde année suit la première."
            )
    if bool(year) != bool(name):
        said.append(
            "BUDGET_ANNEE et BUDGET_NOM se renseignent ensemble ou pas du tout (manquant : "
            f"{'BUDGET_NOM' if year else 'BUDGET_ANNEE'})."
        )
    return said


def _vote_problems(row: dict[str, str | None]) -> list[str]:
    said, count = [], {}
    for column in VOTE_COLUMNS:
        value = row.get(column)
        if value is None:
            continue
        if re.fullmatch(r"\d+", value):
            count[column] = int(value)
        else:
            said.append(f"{column} n'est pas un nombre entier positif ou nul : « {value} ».")
    given = [c for c in VOTE_COLUMNS if row.get(c) is not None]
    if given and len(given) < len(VOTE_COLUMNS):
        missing = ", ".join(c for c in VOTE_COLUMNS if c not in given)
        said.append(
            "votes incomplets : VOTE_EFFECTIF, VOTE_REEL, VOTE_POUR, VOTE_CONTRE et "
            f"VOTE_ABSTENTION se renseignent tous ou aucun (manquant : {missing})."
        )
    real = count.get("VOTE_REEL")
    members = count.get("VOTE_EFFECTIF")
    if real is not None and members is not None and members < real:
        said.append(f"VOTE_REEL ({real}) dépasse VOTE_EFFECTIF ({members}).")
    if real is not None:
        said.extend(
            f"{c} ({count[c]}) dépasse VOTE_REEL ({real})."
            for c in COUNTS
            if c in count and count[c] > real
        )
    if real is not None and all(c in count for c in COUNTS):
        total = sum(count[c] for c in COUNTS)
        if total != real:
            said.append(
                f"VOTE_POUR + VOTE_CONTRE + VOTE_ABSTENTION = {total}, différent de VOTE_REEL "
                f"= {real}."
            )
    return said


def scdl_csv_bytes(frame: pl.DataFrame) -> bytes:
    """The standard's CSV: UTF-8 without BOM, comma-separated, SCDL header, empty when missing.

    Values are written as they are: the open-data file publishes what is stored.
    """
    missing_columns = [c for c in SCDL_COLUMNS if c not in frame.columns]
    if missing_columns:
        raise ValueError(f"Colonnes SCDL absentes : {', '.join(missing_columns)}.")
    text = frame.select(pl.col(c).cast(pl.String) for c in SCDL_COLUMNS)
    return text.write_csv(separator=",", include_bom=False).encode("utf-8")
