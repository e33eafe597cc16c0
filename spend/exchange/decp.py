"""The agreements' end dates from public procurement data (DECP), proposed for review.

Two files a manager downloads (nothing is fetched here):

- the consolidated DECP table (`ColinMaudry/decp-processing`, `reference/schema_base.json`), as
  CSV or Parquet: one row per contract, holder and modification, with `id`, `acheteur_id`,
  `objet`, `dateNotification`, `dureeMois`, `modification_id` (0 for the initial data) and
  `donneesActuelles` (the row that holds the contract's current data);
- a DECP 2.0 JSON file (`139bercy/format-commande-publique`): `{"marches": {"marche": [...]}}`,
  each contract with `acheteur.id`, `dateNotification`, `dureeMois` and its `modifications`
  (each `{"modification": {"id", "dureeMois", …}}`).

A contract is an agreement's when its buyer (`acheteur_id`) is the agreement's central (its
SIRET) and its `id` is the agreement's reference (compared without case, spaces or
punctuation); otherwise a contract of that central whose object shares most of the
agreement's title words is proposed « par objet », to be checked. The end date is the
notification date plus the current duration (the last modification's, when one changes it),
less one day: a 48-month contract notified on 15/05/2024 ends on 14/05/2028.
"""

from __future__ import annotations

import io
import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import polars as pl

from spend.domain.records import TABLES
from spend.exchange.reading import RawTable, raw_table_from_frame

MAX_DECP_BYTES = 2_000_000_000  # the national consolidated file in Parquet is some 500 MB

# The rows read from either format: one per contract and modification.
DECP_SCHEMA = {
    "id": pl.String,
    "acheteur_id": pl.String,
    "objet": pl.String,
    "dateNotification": pl.Date,
    "dureeMois": pl.Int64,
    "modification_id": pl.Int64,
    "donneesActuelles": pl.Boolean,
}
PROPOSAL_COLUMNS = (
    "agreement_id", "body_id", "reference", "title", "stored_end_date", "proposed_end_date",
    "match", "decp_id", "decp_objet", "notification", "duration_months", "modifications",
)  # fmt: skip  # several names to a line: a list, not a column
BY_ID, BY_OBJECT = "identifiant", "par objet (à vérifier)"


class DecpError(ValueError):
    """A DECP file that cannot be read, said in French."""


def _key(text: str | None) -> str:
    """A reference compared without case, accents, spaces or punctuation."""
    plain = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return re.sub(r"[^0-9a-z]", "", plain.lower())


def _words(text: str | None) -> set[str]:
    plain = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().lower()
    return {w for w in re.findall(r"[a-z0-9]+", plain) if len(w) > 3}


def read_decp(path: Path) -> pl.DataFrame:
    """A DECP file (consolidated CSV or Parquet, or DECP 2.0 JSON) as rows of DECP_SCHEMA."""
    if not path.is_file():
        raise DecpError(f"Fichier DECP introuvable : {path}.")
    if path.stat().st_size > MAX_DECP_BYTES:
        raise DecpError(f"{path.name} : fichier DECP de plus de 2 Go, refusé.")
    return read_decp_bytes(path.read_bytes(), path.name)


def read_decp_bytes(content: bytes, name: str) -> pl.DataFrame:
    """The same from a file's bytes (an upload), its format told by its name's extension."""
    suffix = Path(name).suffix.lower()
    try:
        if suffix == ".json":
            return _from_json(content, name)
        if suffix == ".parquet":
            frame = pl.read_parquet(io.BytesIO(content))
        else:
            header = content.split(b"\n", 1)[0]
            separator = ";" if header.count(b";") > header.count(b",") else ","
            frame = pl.read_csv(io.BytesIO(content), separator=separator, infer_schema=False)
    except (pl.exceptions.PolarsError, OSError, UnicodeDecodeError) as error:
        raise DecpError(f"{name} : fichier DECP illisible ({error}).") from None
    return _from_table(frame, name)


def _from_table(frame: pl.DataFrame, name: str) -> pl.DataFrame:
    needed = ("id", "acheteur_id", "dateNotification", "dureeMois")
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise DecpError(
            f"{name} : colonne(s) {', '.join(missing)} absente(s) : le fichier consolidé des DECP "
            "(schéma decp-processing) est attendu."
        )
    text = {c: pl.col(c).cast(pl.String).str.strip_chars() for c in frame.columns}
    current = text.get("donneesActuelles", pl.lit(None, dtype=pl.String)).str.to_lowercase()
    return frame.select(
        text["id"].alias("id"),
        # An integer column in the schema: « 2.1860194600013e13 » or « 21860194600013.0 » too.
        # a SIRET read as a number loses its leading zeros: 14 digits again
        text["acheteur_id"].str.replace(r"\.0+$", "").str.zfill(14).alias("acheteur_id"),
        text.get("objet", pl.lit(None, dtype=pl.String)).alias("objet"),
        text["dateNotification"]
        .str.slice(0, 10)
        .str.to_date("%Y-%m-%d", strict=False)
        .alias("dateNotification"),
        text["dureeMois"].cast(pl.Float64, strict=False).round(0).cast(pl.Int64).alias("dureeMois"),
        text.get("modification_id", pl.lit("0"))
        .cast(pl.Float64, strict=False)
        .fill_null(0)
        .cast(pl.Int64)
        .alias("modification_id"),
        pl.when(current.is_in(["true", "1", "oui", "vrai"]))
        .then(True)
        .when(current.is_in(["false", "0", "non", "faux"]))
        .then(False)
        .alias("donneesActuelles"),
    )


def _from_json(content: bytes, name: str) -> pl.DataFrame:
    try:
        document = json.loads(content)
    except (ValueError, UnicodeDecodeError) as error:
        raise DecpError(f"{name} : JSON illisible ({error}).") from None
    contracts = document.get("marches") if isinstance(document, dict) else None
    if isinstance(contracts, dict):
        contracts = contracts.get("marche")
    if not isinstance(contracts, list):
        raise DecpError(f"{name} : liste « marches » absente : un fichier DECP 2.0 est attendu.")
    rows = []
    for contract in contracts:
        if not isinstance(contract, dict):
            continue
        buyer = contract.get("acheteur") or {}
        base = {
            "id": _str(contract.get("id")),
            "acheteur_id": _str(buyer.get("id") if isinstance(buyer, dict) else None),
            "objet": _str(contract.get("objet")),
            "dateNotification": _day(contract.get("dateNotification")),
        }
        listed = contract.get("modifications") or []
        if isinstance(listed, dict):  # {"modification": [...]} as converted from XML
            listed = listed.get("modification") or []
        listed = [m.get("modification", m) for m in listed if isinstance(m, dict)]
        changes = sorted(
            (c for c in listed if isinstance(c, dict)), key=lambda c: _int(c.get("id")) or 0
        )
        duration = _int(contract.get("dureeMois"))
        current = {"modification_id": 0, "donneesActuelles": not changes}
        rows.append({**base, "dureeMois": duration, **current})
        for number, change in enumerate(changes, start=1):
            if change.get("dureeMois") is not None:
                duration = _int(change.get("dureeMois"))
            current = {
                "modification_id": _int(change.get("id")) or number,
                "donneesActuelles": number == len(changes),
            }
            rows.append({**base, "dureeMois": duration, **current})
    return pl.DataFrame(rows, schema=DECP_SCHEMA)


def _str(value: object) -> str | None:
    return None if value is None else str(value).strip()


def _int(value: object) -> int | None:
    try:
        return None if value is None else int(float(str(value)))
    except ValueError:
        return None


def _day(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def end_of(notification: date, months: int) -> date:
    """The last day of a contract notified on `notification` that lasts `months` months."""
    month = notification.month - 1 + months
    year, month = notification.year + month // 12, month % 12 + 1
    for day in range(notification.day, 27, -1):
        try:
            return date(year, month, day) - timedelta(days=1)
        except ValueError:
            continue
    return date(year, month, notification.day) - timedelta(days=1)


def _contracts(rows: pl.DataFrame) -> pl.DataFrame:
    """One line per contract (buyer and id): first notification, current duration, count of
    modifications."""
    return (
        rows.sort("modification_id")
        .group_by("acheteur_id", "id", maintain_order=True)
        .agg(
            pl.col("objet").drop_nulls().first().alias("objet"),
            pl.col("dateNotification")
            .filter(pl.col("modification_id") == 0)
            .min()
            .fill_null(pl.col("dateNotification").min())
            .alias("notification"),
            pl.col("dureeMois")
            .filter(pl.col("donneesActuelles").fill_null(False))
            .drop_nulls()
            .last()
            .fill_null(pl.col("dureeMois").drop_nulls().last())
            .alias("duration_months"),
            pl.col("modification_id")
            .filter(pl.col("modification_id") > 0)
            .n_unique()
            .alias("modifications"),
        )
    )


def decp_proposals(
    rows: pl.DataFrame, agreements: pl.DataFrame, bodies: pl.DataFrame
) -> pl.DataFrame:
    """For each agreement found in the DECP rows, its stored and proposed end dates."""
    sirets = {
        b: re.sub(r"\D", "", s or "") for b, s in bodies.select("body_id", "siret").iter_rows()
    }
    contracts = _contracts(rows.filter(pl.col("acheteur_id").is_in(list(set(sirets.values())))))
    by_buyer: dict[str, list[dict]] = {}
    for contract in contracts.iter_rows(named=True):
        by_buyer.setdefault(contract["acheteur_id"], []).append(contract)
    out = []
    for agreement in agreements.iter_rows(named=True):
        candidates = by_buyer.get(sirets.get(agreement["body_id"]) or "", [])
        found, how = _match(agreement, candidates)
        if found is None:
            continue
        proposed = (
            end_of(found["notification"], found["duration_months"])
            if found["notification"] and found["duration_months"] is not None
            else None
        )
        out.append(
            {
                "agreement_id": agreement["agreement_id"],
                "body_id": agreement["body_id"],
                "reference": agreement["reference"],
                "title": agreement["title"],
                "stored_end_date": agreement["end_date"],
                "proposed_end_date": proposed,
                "match": how,
                "decp_id": found["id"],
                "decp_objet": found["objet"],
                "notification": found["notification"],
                "duration_months": found["duration_months"],
                "modifications": found["modifications"],
            }
        )
    schema = {
        **dict.fromkeys(PROPOSAL_COLUMNS, pl.String),
        "stored_end_date": pl.Date,
        "proposed_end_date": pl.Date,
        "notification": pl.Date,
        "duration_months": pl.Int64,
        "modifications": pl.Int64,
    }
    return pl.DataFrame(out, schema=schema).select(PROPOSAL_COLUMNS)


def _match(agreement: dict, candidates: list[dict]) -> tuple[dict | None, str]:
    reference = _key(agreement.get("reference"))
    if reference:
        same = [c for c in candidates if _key(c["id"]) == reference]
        if same:
            return same[0], BY_ID
    title = _words(agreement.get("title"))
    if not title:
        return None, ""
    scored = [(len(title & _words(c["objet"])) / len(title), c) for c in candidates]
    scored = [(score, c) for score, c in scored if score >= 0.5]
    if not scored:
        return None, ""
    return max(scored, key=lambda s: s[0])[1], BY_OBJECT


@dataclass(frozen=True)
class EndDates:
    """The agreements' rows with the end dates a manager accepted, to import as any edit."""

    rows: pl.DataFrame

    def raw_table(self) -> RawTable:
        return raw_table_from_frame("DECP (dates de fin)", TABLES["agreements"], self.rows)


def accepted_end_dates(
    proposals: pl.DataFrame, agreements: pl.DataFrame, accepted: list[str]
) -> EndDates:
    """The stored agreements of `accepted` ids with their proposed end date, nothing else
    changed; an id without a proposal is refused in French."""
    unknown = [a for a in accepted if a not in set(proposals["agreement_id"])]
    if unknown:
        raise DecpError(
            f"Pas de date de fin proposée pour : {', '.join(unknown)} (voir la liste proposée)."
        )
    chosen = proposals.filter(pl.col("agreement_id").is_in(accepted)).select(
        "agreement_id", pl.col("proposed_end_date").alias("end_date")
    )
    rows = (
        agreements.drop("end_date")
        .join(chosen, on="agreement_id", how="inner")
        .select(agreements.columns)
        .with_columns(pl.col("end_date").dt.to_string("%Y-%m-%d"))
    )
    return EndDates(rows)
