"""A synthetic data set of any size, to try the dashboard and measure it: `python -m spend demo`.

Every name says it is fictitious and the import log says « démo synthétique », so that nobody
takes its figures for real ones. The same seed gives the same tables, row for row: the small
tables are drawn with `random.Random(seed)` one row at a time, the large ones (conventions,
commitments, deliberations) as columns of random integers turned into values by Polars
expressions, so that a million conventions take seconds.

Credits are sized from what the engine commits on each line and year, so that some years are
over-committed and others not; the latest years have no credits voted yet.
"""

import random
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import duckdb
import polars as pl

from spend import store
from spend.domain.access import SYSTEM, Actor
from spend.domain.fees import DEFAULT_VAT_RATE, EngineInputs
from spend.domain.figures import compute
from spend.domain.money import from_cents, to_cents
from spend.domain.records import TABLES

SOURCE_PREFIX = "démo synthétique"
DEMO_AUTHORITY = "Collectivité fictive (démo)"
REFERENCE_DATE = date(2026, 1, 1)  # the day the statuses are as of (fixed: reproducible)
FIRST_START, LAST_START = date(2015, 1, 1), date(2030, 12, 31)
FIRST_YEAR, LAST_CREDIT_YEAR, LAST_YEAR = 2015, 2029, 2030

# (body_id, name, town): fictitious centrals, after the kinds that exist (CAIH, Resah, UGAP…).
BODIES = (
    ("CAHN", "Centrale d'achat hospitalière du numérique (fictive)", "69003 Lyon"),
    ("RAHT", "Réseau des acheteurs hospitaliers et territoriaux (fictif)", "75011 Paris"),
    ("UGAN", "Union générale des achats numériques (fictive)", "77420 Champs-sur-Marne"),
    ("UHTA", "Union des hôpitaux et territoires pour les achats (fictive)", "75014 Paris"),
    ("SIPN", "Syndicat intercommunal pour le numérique (fictif)", "92120 Montrouge"),
    ("APRS", "Approvisionnements publics régionaux solidaires (fictif)", "13002 Marseille"),
    ("CANO", "Centrale d'achat du numérique et des objets connectés (fictive)", "59000 Lille"),
    ("GIPT", "GIP des territoires numériques (fictif)", "35000 Rennes"),
    ("CATE", "Centrale d'achat des télécommunications (fictive)", "31000 Toulouse"),
    ("ACHL", "Achats collectifs des hôpitaux locaux (fictif)", "67000 Strasbourg"),
    ("MUTU", "Mutualisation informatique des collectivités (fictive)", "44000 Nantes"),
    ("SOLI", "Solutions logicielles intercommunales (fictives)", "33000 Bordeaux"),
    ("EDUN", "Centrale de l'éducation numérique (fictive)", "21000 Dijon"),
    ("SANT", "Groupement santé et social numérique (fictif)", "86000 Poitiers"),
    ("ENER", "Centrale énergie et réseaux (fictive)", "63000 Clermont-Ferrand"),
    ("MOBI", "Centrale des mobilités et flottes (fictive)", "45000 Orléans"),
    ("CART", "Centrale de cartographie publique (fictive)", "34000 Montpellier"),
    ("ARCH", "Archives et dématérialisation mutualisées (fictives)", "14000 Caen"),
    ("SECU", "Sécurité numérique partagée (fictive)", "57000 Metz"),
    ("FORM", "Formation et accompagnement numériques (fictifs)", "80000 Amiens"),
)
DOMAINS = (
    "Hébergement cloud hybride", "Sécurité opérée", "Télécommunications et prestations associées",
    "Logiciels multi-éditeurs", "Postes de travail et périphériques", "Impression et reprographie",
    "Infogérance", "Réseaux locaux et wifi", "Téléphonie mobile", "Visioconférence",
    "Archivage électronique", "Dématérialisation des marchés", "Maintenance applicative",
    "Sauvegarde externalisée", "Systèmes d'information géographique", "Cybersécurité",
)  # fmt: skip  # several names to a line: a list, not a column
FORMULAS = ("Cotisation annuelle", "Essentiel", "Sécurité", "Hébergement", "Intégral")
CATEGORIES = (
    ("Établissement de moins de 100 agents", Decimal("0.5")),
    ("Établissement de 100 à 500 agents", Decimal("1")),
    ("Établissement de plus de 500 agents", Decimal("2")),
    ("Groupement de 2 à 9 membres / département", Decimal("3")),
    ("Groupement de 10 membres ou plus / région", Decimal("5")),
)
ON_QUOTE_CATEGORY = "Autres structures (sur devis)"
BASE_FEES = (100, 150, 200, 250, 300, 400, 500, 750, 1000, 1250, 1500, 2000)
LINES = (
    ("C06-020M02", "6281/930202", "Informatique-Fonctionnement"),
    ("C06-020M03", "6281/930201", "Télécommunications-Fonctionnement"),
    ("C06-021M01", "6156/930202", "Maintenance informatique"),
    ("C07-011A01", "6281/930221", "Numérique des collèges"),
    ("C06-030M05", "6288/930202", "Services numériques mutualisés"),
    ("C06-020M07", "6283/930202", "Hébergement et sécurité"),
    ("C09-002M01", "6281/930050", "Numérique social et médico-social"),
    ("C02-004M01", "6281/930204", "Archives et dématérialisation"),
)
COMMITMENT_LABELS = (
    "Bon de commande licences", "Marché subséquent matériel", "Prestation de maintenance",
    "Abonnement logiciel", "Accompagnement au déploiement", "Formation des agents",
)  # fmt: skip  # several names to a line: a list, not a column


def demo_source(conventions: int, seed: int) -> str:
    """What the import log says of the demo, so that the UI can say its figures are synthetic."""
    return f"{SOURCE_PREFIX} ({conventions:_} conventions, graine {seed})".replace("_", " ")


def demo_tables(conventions: int, seed: int) -> dict[str, pl.DataFrame]:
    """Every table of the store, synthetic, with exactly the store's columns and types."""
    rng = random.Random(seed)
    bodies = _bodies(_body_count(conventions))
    agreements = _agreements(rng, bodies)
    fee_grid = _fee_grid(rng, agreements, bodies)
    lines = LINES[: _line_count(conventions)]
    deliberations = _deliberations(rng, max(3, min(5_000, conventions // 25)))
    adopted = deliberations.filter(pl.col("outcome") == "adopted")["deliberation_id"]
    convention_rows = _conventions(rng, conventions, agreements, fee_grid, lines, adopted)
    commitments = _commitments(rng, max(10, conventions // 20), lines)
    tables = {
        "bodies": bodies,
        "deliberations": deliberations,
        "agreements": agreements,
        "fee_grid": fee_grid,
        "conventions": convention_rows,
        "commitments": commitments,
    }
    tables = {name: _typed(name, frame) for name, frame in tables.items()}
    tables["budget_lines"] = _typed("budget_lines", _budget_lines(rng, tables, lines))
    return tables


def write_demo(
    con: duckdb.DuckDBPyConnection, conventions: int, seed: int, actor: Actor = SYSTEM
) -> None:
    """Write the synthetic tables into the store, logged as « démo synthétique (…) »."""
    tables = demo_tables(conventions, seed)
    detail = ", ".join(f"{name}={frame.height}" for name, frame in tables.items())
    store.update_settings(
        con,
        {"collectivity_name": DEMO_AUTHORITY},
        actor=actor,
        source=demo_source(conventions, seed),
        action="seed",
    )
    store.write_tables(
        con,
        tables,
        actor=actor,
        action="import",
        source=demo_source(conventions, seed),
        detail=detail,
    )


# --- sizes -------------------------------------------------------------------------------------


def _magnitude(conventions: int) -> int:
    return len(str(max(conventions, 1))) - 1  # 0 below 10, 3 for a thousand, 6 for a million


def _body_count(conventions: int) -> int:
    return min(len(BODIES), 6 + 2 * _magnitude(conventions))


def _line_count(conventions: int) -> int:
    return min(len(LINES), 2 + _magnitude(conventions))


# --- random columns ----------------------------------------------------------------------------


def _uniform(rng: random.Random, rows: int, name: str) -> pl.Series:
    """`rows` integers drawn uniformly in [0, 2³²), from the seeded generator's bytes."""
    return pl.Series(name, memoryview(rng.randbytes(4 * rows)).cast("I")).cast(pl.Int64)


def _draws(rng: random.Random, rows: int, names: tuple[str, ...]) -> pl.DataFrame:
    return pl.DataFrame([_uniform(rng, rows, name) for name in names])


def _below(draw: str, bound: int | pl.Expr) -> pl.Expr:
    """A draw as an integer in [0, bound): the bound scales the 32-bit draw."""
    return (pl.col(draw) * bound) // (1 << 32)


def _chance(draw: str, probability: float) -> pl.Expr:
    return pl.col(draw) < int(probability * (1 << 32))


def _pick(draw: str, values: tuple[str, ...]) -> pl.Expr:
    return _pick_at(_below(draw, len(values)), list(values))


def _pick_at(index: pl.Expr, values: list[object]) -> pl.Expr:
    return pl.lit(pl.Series(values)).gather(index)


def _days_after(first: date, days: pl.Expr) -> pl.Expr:
    return pl.lit(first) + pl.duration(days=days)


def _padded(prefix: str, number: pl.Expr, width: int) -> pl.Expr:
    return pl.concat_str(pl.lit(prefix), number.cast(pl.String).str.zfill(width))


def _empty(name: str) -> pl.DataFrame:
    return pl.DataFrame(schema=TABLES[name].schema)


def _typed(name: str, frame: pl.DataFrame) -> pl.DataFrame:
    """The table's columns, in its order, with the store's types (absent ones null)."""
    return frame.select(
        (pl.col(c.name) if c.name in frame.columns else pl.lit(None)).cast(c.dtype).alias(c.name)
        for c in TABLES[name].columns
    )


# --- the small tables, a row at a time ----------------------------------------------------------


def _bodies(count: int) -> pl.DataFrame:
    rows = [
        {
            "body_id": body_id,
            "name": name,
            "address": f"{number} rue de la Démonstration, {town}",
        }
        for number, (body_id, name, town) in enumerate(BODIES[:count], start=1)
    ]
    return pl.DataFrame(rows)


def _agreements(rng: random.Random, bodies: pl.DataFrame) -> pl.DataFrame:
    rows = []
    for body_id in bodies["body_id"]:
        for number in range(1, rng.randint(2, 8) + 1):
            year = rng.randint(2016, 2026)
            ends = rng.random() < 0.85
            rows.append(
                {
                    "agreement_id": f"{body_id}-AC{number:02}",
                    "body_id": body_id,
                    "reference": f"AC-{year}-{rng.randint(1, 999):03} (fictif)",
                    "title": f"{rng.choice(DOMAINS)} – lot {rng.randint(1, 4)}",
                    "end_date": date(year + rng.randint(4, 8), rng.randint(1, 12), 28)
                    if ends
                    else None,
                }
            )
    return pl.DataFrame(rows, schema_overrides={"end_date": pl.Date})


def _rounded_fee(amount: Decimal, rng: random.Random) -> Decimal | None:
    """To 5 €, sometimes with odd cents; now and then « sur devis » (no amount)."""
    if rng.random() < 0.03:
        return None
    fee = (amount / 5).to_integral_value(rounding=ROUND_HALF_UP) * 5
    if rng.random() < 0.15:
        fee += Decimal(rng.randint(1, 99)) / 100
    return fee


def _fee_grid(rng: random.Random, agreements: pl.DataFrame, bodies: pl.DataFrame) -> pl.DataFrame:
    """Each central bills by one rule mostly; each agreement has formulas × categories."""
    body_rule = {b: rng.random() < 0.5 for b in bodies["body_id"]}  # True: calendar_year
    rows = []
    for agreement_id, body_id in agreements.select("agreement_id", "body_id").iter_rows():
        calendar = body_rule[body_id] != (rng.random() < 0.15)
        tax = "HT" if calendar != (rng.random() < 0.1) else "net"
        payment_days = rng.choice((30, 45, 50, 60)) if calendar or rng.random() < 0.3 else None
        rule = "calendar_year" if calendar else "anniversary_prorated"
        base = Decimal(rng.choice(BASE_FEES))
        first = rng.randint(0, 2)
        categories = CATEGORIES[first : first + rng.randint(2, 5 - first)]
        on_quote = rng.random() < 0.25
        for f_index, formula in enumerate(rng.sample(FORMULAS, rng.randint(1, 3))):
            for category, weight in categories:
                fee = _rounded_fee(base * weight * (2 + f_index) / 2, rng)
                rows.append((agreement_id, formula, category, fee, tax, rule, payment_days))
            if on_quote:
                rows.append(
                    (agreement_id, formula, ON_QUOTE_CATEGORY, None, tax, rule, payment_days)
                )
    return pl.DataFrame(
        rows,
        schema={
            "agreement_id": pl.String,
            "formula": pl.String,
            "category": pl.String,
            "annual_fee": pl.Decimal(18, 2),
            "tax": pl.String,
            "billing_rule": pl.String,
            "payment_days": pl.Int32,
        },
        orient="row",
    )


# --- the large tables, a column at a time -------------------------------------------------------


def _deliberations(rng: random.Random, count: int) -> pl.DataFrame:
    """Deliberations from 2014 to 2030, the last few rejected (no convention cites those)."""
    adopted = max(1, count - count // 30)
    draws = _draws(rng, count, ("day", "assembly", "for", "against", "abstain"))
    first, last = date(2014, 6, 1), date(2030, 6, 30)
    dated = draws.with_row_index("number", offset=1).with_columns(
        _days_after(first, _below("day", (last - first).days)).alias("date")
    )
    return dated.select(
        pl.format(
            "DEMO-{}-{}", pl.col("date").dt.year(), pl.col("number").cast(pl.String).str.zfill(5)
        ).alias("deliberation_id"),
        "date",
        pl.when(_chance("assembly", 0.7))
        .then(pl.lit("Commission Permanente"))
        .otherwise(pl.lit("Conseil départemental"))
        .alias("assembly"),
        pl.lit("Adhésion à des centrales d'achat (délibération fictive)").alias("title"),
        (20 + _below("for", 41)).alias("votes_for"),
        pl.when(_chance("against", 0.8))
        .then(0)
        .otherwise(_below("against", 6))
        .alias("votes_against"),
        pl.when(_chance("abstain", 0.7))
        .then(0)
        .otherwise(_below("abstain", 6))
        .alias("abstentions"),
        pl.when(pl.col("number") <= adopted)
        .then(pl.lit("adopted"))
        .otherwise(pl.lit("rejected"))
        .alias("outcome"),
        # What the open-data file needs: the ACTES subject and the members in office (above
        # the most voters a draw gives, 70).
        pl.lit("1.4").alias("subject_code"),
        pl.lit("Commande publique/Autres types de contrats").alias("subject_name"),
        pl.lit(80, dtype=pl.Int32).alias("members_in_office"),
    )


CONVENTION_DRAWS = (
    "agreement", "grid", "start", "january", "duration_kind", "duration", "unknown", "assumed",
    "notice", "notice_months", "line_kind", "line", "deliberation", "no_deliberation",
)  # fmt: skip  # several names to a line: a list, not a column


def _conventions(
    rng: random.Random,
    count: int,
    agreements: pl.DataFrame,
    fee_grid: pl.DataFrame,
    lines: tuple[tuple[str, str, str], ...],
    deliberation_ids: pl.Series,
) -> pl.DataFrame:
    """Conventions spread over the agreements (some much more joined than others), their
    formula and category from the agreement's grid, dates from 2015 to 2030."""
    body_ids = agreements["body_id"].unique(maintain_order=True).to_list()
    agreement_terms = agreements.with_row_index("agreement_index").select(
        "agreement_index",
        "agreement_id",
        pl.col("title").alias("agreement_title"),
        pl.col("end_date").alias("agreement_end"),
        pl.col("body_id")
        .replace_strict(body_ids, list(range(len(body_ids))), return_dtype=pl.Int64)
        .alias("body_index"),
    )
    grid_rows = (
        fee_grid.with_row_index("grid_index")
        .group_by("agreement_id", maintain_order=True)
        .agg(pl.col("grid_index").min().alias("grid_first"), pl.len().alias("grid_rows"))
    )
    draws = _draws(rng, count, CONVENTION_DRAWS).with_row_index("number", offset=1)
    popular = (pl.col("agreement").cast(pl.Float64) / (1 << 32)).pow(2) * agreements.height
    start = _days_after(FIRST_START, _below("start", (LAST_START - FIRST_START).days + 1))
    kind = _below("duration_kind", 100)
    own_end = (
        pl.when(kind < 10)  # a few months
        .then(pl.col("start_date") + pl.duration(days=30 + _below("duration", 300)))
        .when(kind < 55)  # whole years: every period complete
        .then(
            pl.col("start_date").dt.offset_by(pl.format("{}mo", 12 * (1 + _below("duration", 5))))
            - pl.duration(days=1)
        )
        .otherwise(pl.col("start_date") + pl.duration(days=365 + _below("duration", 1825)))
    )
    takes_agreement_end = (kind >= 90) & pl.col("agreement_end").is_not_null()
    line_index = (
        pl.when(_chance("line_kind", 0.85))
        .then(pl.col("body_index") % len(lines))
        .otherwise(_below("line", len(lines)))
    )
    no_line = _below("line_kind", 100) == 99
    unknown = _below("unknown", 100)
    width = len(str(count))
    frame = (
        draws.with_columns(popular.floor().cast(pl.Int64).alias("agreement_index"))
        .join(agreement_terms, on="agreement_index", how="left")
        .join(grid_rows, on="agreement_id", how="left")
        .with_columns((pl.col("grid_first") + _below("grid", pl.col("grid_rows"))).alias("g"))
        .join(
            fee_grid.with_row_index("g").select(pl.col("g").cast(pl.Int64), "formula", "category"),
            on="g",
            how="left",
        )
        .with_columns(
            pl.when(_chance("january", 0.2))
            .then(pl.date(start.dt.year(), 1, 1))
            .otherwise(start)
            .alias("start_date")
        )
        .with_columns(
            # Taking the agreement's end, the convention must start before it.
            pl.when(takes_agreement_end)
            .then(pl.min_horizontal("start_date", pl.col("agreement_end") - pl.duration(days=90)))
            .otherwise("start_date")
            .alias("start_date"),
            pl.when(takes_agreement_end).then(None).otherwise(own_end).alias("end_date"),
        )
        .with_columns(
            pl.when(unknown == 0).then(None).otherwise("start_date").alias("start_date"),
            pl.when(unknown == 1).then(None).otherwise("formula").alias("formula"),
            pl.when(unknown == 1).then(None).otherwise("category").alias("category"),
        )
    )
    effective_end = pl.coalesce("end_date", "agreement_end")
    return frame.select(
        _padded("CV-", pl.col("number"), width).alias("convention_id"),
        "agreement_id",
        pl.concat_str(
            pl.lit("Adhésion « "), "agreement_title", pl.lit(" » n° "), pl.col("number")
        ).alias("title"),
        "formula",
        "category",
        "start_date",
        "end_date",
        pl.when(_chance("notice", 0.7))
        .then(pl.lit(pl.Series([1, 2, 3, 3, 6])).gather(_below("notice_months", 5)))
        .alias("notice_months"),
        pl.when(~no_line)
        .then(_pick_at(line_index, [c for c, _, _ in lines]))
        .alias("operation_code"),
        pl.when(~no_line).then(_pick_at(line_index, [i for _, i, _ in lines])).alias("imputation"),
        pl.when(~_chance("no_deliberation", 0.05))
        .then(pl.lit(deliberation_ids).gather(_below("deliberation", deliberation_ids.len())))
        .alias("deliberation_id"),
        pl.when(pl.col("start_date").is_null() | pl.col("formula").is_null())
        .then(pl.lit("incomplete"))
        .when(effective_end < REFERENCE_DATE)
        .then(pl.lit("ended"))
        .when(pl.col("start_date") > REFERENCE_DATE)
        .then(pl.lit("planned"))
        .otherwise(pl.lit("active"))
        .alias("status"),
        (_chance("assumed", 0.03) & pl.col("start_date").is_not_null()).alias("start_date_assumed"),
    )


def _commitments(
    rng: random.Random, count: int, lines: tuple[tuple[str, str, str], ...]
) -> pl.DataFrame:
    """Orders entered by hand: mostly committed (engaged, mandated or paid, when the store knows
    those M57 words), some planned, a few cancelled."""
    draws = _draws(rng, count, ("line", "year", "amount", "label", "day", "status"))
    line_index = _below("line", len(lines))
    year = FIRST_YEAR + _below("year", LAST_YEAR - FIRST_YEAR + 1)
    status = _below("status", 100)
    known = set(TABLES["commitments"].column("status").accepted)
    return draws.with_row_index("number", offset=1).select(
        _padded("ENG-", pl.col("number"), len(str(count))).alias("commitment_id"),
        _pick_at(line_index, [c for c, _, _ in lines]).alias("operation_code"),
        _pick_at(line_index, [i for _, i, _ in lines]).alias("imputation"),
        year.alias("year"),
        from_cents(5_000 + _below("amount", 2_000_000)).alias("amount_incl_tax"),
        _pick("label", COMMITMENT_LABELS).alias("label"),
        (pl.date(year, 1, 1) + pl.duration(days=_below("day", 365))).alias("date"),
        pl.when(status < 50)
        .then(pl.lit("committed"))
        .when(status < 75)
        .then(pl.lit("paid" if "paid" in known else "committed"))
        .when(status < 80)
        .then(pl.lit("mandated" if "mandated" in known else "committed"))
        .when(status < 90)
        .then(pl.lit("planned"))
        .otherwise(pl.lit("cancelled"))
        .alias("status"),
    )


def _budget_lines(
    rng: random.Random,
    tables: dict[str, pl.DataFrame],
    lines: tuple[tuple[str, str, str], ...],
) -> pl.DataFrame:
    """Credits per line and year, from 85 % to 125 % of what is committed on them (so that
    some years are over-committed); a few years without credits, none after 2029."""
    key = ["operation_code", "imputation", "year"]
    committed = _committed_cents(tables)
    grid = _line_years(lines)
    draws = _draws(rng, grid.height, ("factor", "missing", "floor", "decision", "raise"))
    bp = (
        pl.concat([grid, draws], how="horizontal")
        .lazy()
        .join(committed.lazy(), on=key, how="left")
        .filter(~_chance("missing", 0.05))
        .with_columns(
            pl.when(pl.col("committed").fill_null(0) > 0)
            # committed × (85 … 125) %, to the hundred euros
            .then((pl.col("committed") * (85 + _below("factor", 41)) // 100 // 10_000) * 10_000)
            .otherwise(100_000 + _below("floor", 90) * 10_000)
            .alias("credits_cents"),
            pl.lit("BP").alias("stage"),
        )
    )
    # A few years get a décision modificative: +10 % or −5 % of the BP, to the hundred euros
    # (crédits ouverts stay positive).
    decisions = bp.filter(_chance("decision", 0.04)).with_columns(
        pl.when(_chance("raise", 0.5))
        .then(pl.col("credits_cents") // 10 // 10_000 * 10_000)
        .otherwise(-(pl.col("credits_cents") // 20 // 10_000 * 10_000))
        .alias("credits_cents"),
        pl.lit("DM1").alias("stage"),
    )
    return (
        pl.concat([bp, decisions])
        .select(
            *key,
            "label",
            from_cents(pl.col("credits_cents")).alias("credits"),
            "stage",
        )
        .sort([*key, "stage"])
        .collect()
    )


def _committed_cents(tables: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """What the engine commits per line and year (fees and other commitments), in cents."""
    inputs = EngineInputs(
        bodies=tables["bodies"],
        agreements=tables["agreements"],
        fee_grid=tables["fee_grid"],
        conventions=tables["conventions"],
        budget_lines=_empty("budget_lines"),
        commitments=tables["commitments"],
        vat_rate=DEFAULT_VAT_RATE,
    )
    return compute(inputs).balance.select(
        "operation_code", "imputation", "year", to_cents(pl.col("committed")).alias("committed")
    )


def _line_years(lines: tuple[tuple[str, str, str], ...]) -> pl.DataFrame:
    """Each line (code, imputation, label) once per year up to LAST_CREDIT_YEAR."""
    return pl.DataFrame(
        [
            (code, imputation, label, year)
            for code, imputation, label in lines
            for year in range(FIRST_YEAR, LAST_CREDIT_YEAR + 1)
        ],
        schema={
            "operation_code": pl.String,
            "imputation": pl.String,
            "label": pl.String,
            "year": pl.Int32,
        },
        orient="row",
    )
