"""Export deliberations in the SCDL « délibérations » open-data format (OpenDataFrance).

Reference: https://schema.data.gouv.fr/scdl/deliberations/ — 17 columns in a fixed order, every
value a string in the CSV, dates as AAAA-MM-JJ, missing values empty.
"""

from __future__ import annotations

import polars as pl

from spend.exchange.exports import neutralise

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

# The vote columns the store can fill. VOTE_EFFECTIF (members in office) is not recorded, so the
# "all or none" rule covers the four others; it would otherwise flag every exported row.
VOTE_COLUMNS: tuple[str, ...] = ("VOTE_REEL", "VOTE_POUR", "VOTE_CONTRE", "VOTE_ABSTENTION")

# Required by the standard and fillable from the store, with what the user calls them.
REQUIRED_FIELDS: dict[str, str] = {
    "COLL_NOM": "nom de la collectivité",
    "COLL_SIRET": "SIRET de la collectivité",
    "DELIB_ID": "numéro de délibération",
    "DELIB_DATE": "date de la délibération",
    "DELIB_OBJET": "objet de la délibération",
}

_STORE_VOTES = ("votes_for", "votes_against", "abstentions")
_NON_DIGITS_IN_SIRET = r"[\s.\-]"


def collectivity(settings: dict[str, str]) -> dict[str, str | None]:
    """The authority publishing the deliberations, from the settings (SCDL's COLL_ columns)."""
    return {
        "coll_name": settings.get("collectivity_name", ""),
        "coll_siret": settings.get("collectivity_siret") or None,
    }


def scdl_frame(
    deliberations: pl.DataFrame, *, coll_name: str, coll_siret: str | None
) -> pl.DataFrame:
    """The store's deliberations as SCDL rows, every column a string, unknown values null.

    Only adopted deliberations (or those whose outcome is not recorded) are exported: the
    standard describes deliberations adopted by the authority, and DELIB_DATE is the date of
    adoption. VOTE_REEL is the sum of the three counts when all three are known.
    """
    all_votes_known = pl.all_horizontal(pl.col(c).is_not_null() for c in _STORE_VOTES)
    return (
        deliberations.lazy()
        .filter(pl.col("outcome").ne_missing("rejected"))
        .select(
            _filled(pl.lit(coll_name, dtype=pl.String)).alias("COLL_NOM"),
            _filled(
                pl.lit(coll_siret, dtype=pl.String).str.replace_all(_NON_DIGITS_IN_SIRET, "")
            ).alias("COLL_SIRET"),
            _filled(pl.col("deliberation_id").cast(pl.String)).alias("DELIB_ID"),
            pl.col("date").dt.to_string("%Y-%m-%d").alias("DELIB_DATE"),
            pl.lit(None, dtype=pl.String).alias("DELIB_MATIERE_CODE"),
            pl.lit(None, dtype=pl.String).alias("DELIB_MATIERE_NOM"),
            _filled(pl.col("title").cast(pl.String)).alias("DELIB_OBJET"),
            pl.lit(None, dtype=pl.String).alias("BUDGET_ANNEE"),
            pl.lit(None, dtype=pl.String).alias("BUDGET_NOM"),
            pl.lit(None, dtype=pl.String).alias("PREF_ID"),
            pl.lit(None, dtype=pl.String).alias("PREF_DATE"),
            pl.lit(None, dtype=pl.String).alias("VOTE_EFFECTIF"),
            pl.when(all_votes_known)
            .then(pl.sum_horizontal(_STORE_VOTES))
            .cast(pl.String)
            .alias("VOTE_REEL"),
            pl.col("votes_for").cast(pl.String).alias("VOTE_POUR"),
            pl.col("votes_against").cast(pl.String).alias("VOTE_CONTRE"),
            pl.col("abstentions").cast(pl.String).alias("VOTE_ABSTENTION"),
            pl.lit(None, dtype=pl.String).alias("DELIB_URL"),
        )
        .collect()
    )


def _filled(text: pl.Expr) -> pl.Expr:
    """Whitespace collapsed; a blank value becomes null so that it counts as missing."""
    collapsed = text.str.replace_all(r"\s+", " ").str.strip_chars()
    return pl.when(collapsed.str.len_chars() > 0).then(collapsed)


def scdl_problems(frame: pl.DataFrame) -> list[str]:
    """The standard's consistency rules broken by an SCDL frame, as French sentences.

    Each sentence names the deliberation (or its row when DELIB_ID is missing). Blank strings
    count as missing, so a frame read back from a CSV is checked the same way.
    """
    missing_columns = [c for c in SCDL_COLUMNS if c not in frame.columns]
    problems = [f"Colonne SCDL absente : {c}." for c in missing_columns]
    checked = frame.with_columns(
        pl.lit(None, dtype=pl.String).alias(c) for c in missing_columns
    ).with_columns(_filled(pl.col(c).cast(pl.String)).alias(c) for c in SCDL_COLUMNS)
    who = pl.coalesce(
        pl.format("Délibération {}", pl.col("DELIB_ID")),
        pl.format("Délibération sans numéro (ligne {} du tableau)", pl.int_range(1, pl.len() + 1)),
    )
    rules = [*_required_rules(who), _siret_rule(who), _date_rule(who), *_vote_rules(who)]
    found = (
        checked.select(pl.concat_list(rules).list.drop_nulls().alias("problem"))
        .explode("problem")
        .drop_nulls()
        .get_column("problem")
        .to_list()
    )
    return problems + found


def _required_rules(who: pl.Expr) -> list[pl.Expr]:
    """A required field left empty."""
    return [
        pl.when(pl.col(column).is_null()).then(
            pl.format(
                "{} : champ obligatoire « {} » ({}) non renseigné.",
                who,
                pl.lit(label),
                pl.lit(column),
            )
        )
        for column, label in REQUIRED_FIELDS.items()
    ]


def _siret_rule(who: pl.Expr) -> pl.Expr:
    siret = pl.col("COLL_SIRET")
    return pl.when(siret.is_not_null() & ~siret.str.contains(r"^\d{14}$")).then(
        pl.format(
            "{} : SIRET de la collectivité (COLL_SIRET) invalide : « {} » (14 chiffres attendus).",
            who,
            siret,
        )
    )


def _date_rule(who: pl.Expr) -> pl.Expr:
    day = pl.col("DELIB_DATE")
    invalid = (
        ~day.str.contains(r"^\d{4}-\d{2}-\d{2}$")
        | day.str.to_date("%Y-%m-%d", strict=False).is_null()
    )
    return pl.when(day.is_not_null() & invalid).then(
        pl.format(
            "{} : date de la délibération (DELIB_DATE) invalide : « {} » (format AAAA-MM-JJ "
            "attendu).",
            who,
            day,
        )
    )


def _vote_rules(who: pl.Expr) -> list[pl.Expr]:
    """Counts that are whole numbers, all four given or none, adding up, within the members."""
    count = {c: pl.col(c).cast(pl.Int64, strict=False) for c in (*VOTE_COLUMNS, "VOTE_EFFECTIF")}
    vote_sum = count["VOTE_POUR"] + count["VOTE_CONTRE"] + count["VOTE_ABSTENTION"]
    filled_votes = pl.sum_horizontal(pl.col(c).is_not_null() for c in VOTE_COLUMNS)
    missing_votes = pl.concat_str(
        [pl.when(pl.col(c).is_null()).then(pl.lit(c)) for c in VOTE_COLUMNS],
        separator=", ",
        ignore_nulls=True,
    )
    return [
        *(
            pl.when(pl.col(column).is_not_null() & ~(count[column] >= 0).fill_null(False)).then(
                pl.format(
                    "{} : {} n'est pas un nombre entier positif ou nul : « {} ».",
                    who,
                    pl.lit(column),
                    pl.col(column),
                )
            )
            for column in count
        ),
        pl.when(filled_votes.is_between(1, len(VOTE_COLUMNS) - 1)).then(
            pl.format(
                "{} : votes incomplets, renseigner VOTE_REEL, VOTE_POUR, VOTE_CONTRE et "
                "VOTE_ABSTENTION, ou aucun (manquant : {}).",
                who,
                missing_votes,
            )
        ),
        pl.when(vote_sum != count["VOTE_REEL"]).then(
            pl.format(
                "{} : VOTE_POUR + VOTE_CONTRE + VOTE_ABSTENTION = {}, différent de VOTE_REEL = {}.",
                who,
                vote_sum,
                count["VOTE_REEL"],
            )
        ),
        pl.when(count["VOTE_REEL"] > count["VOTE_EFFECTIF"]).then(
            pl.format(
                "{} : VOTE_REEL ({}) dépasse VOTE_EFFECTIF ({}).",
                who,
                count["VOTE_REEL"],
                count["VOTE_EFFECTIF"],
            )
        ),
    ]


def scdl_csv_bytes(frame: pl.DataFrame) -> bytes:
    """The standard's CSV: UTF-8 without BOM, comma-separated, SCDL header, empty when missing.

    Like every export, a cell a spreadsheet would run as a formula (a title « =HYPERLINK(…) »)
    gets a leading apostrophe; the standard's own values (dates, counts, SIRET) never begin so.
    """
    missing_columns = [c for c in SCDL_COLUMNS if c not in frame.columns]
    if missing_columns:
        raise ValueError(f"Colonnes SCDL absentes : {', '.join(missing_columns)}.")
    text = frame.select(pl.col(c).cast(pl.String) for c in SCDL_COLUMNS)
    return neutralise(text).write_csv(separator=",", include_bom=False).encode("utf-8")
