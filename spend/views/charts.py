"""Charts as pure functions of the engine's frames, returning alt.Chart objects.

Positions are drawn from floats (a pixel needs no cent); every figure a user reads, in labels and
tooltips, is the exact amount formatted in French. Colours differ in lightness as well as hue,
and negative balances also carry a sign and a label, so the charts read in grey.
"""

import copy
import datetime as dt
import functools
from typing import Any

import altair as alt
import polars as pl

from spend.views.budget import OTHER_BODIES, OTHER_COMMITMENTS, committed_parts, year_totals
from spend.views.formatting import budget_line_text, date_expr, euros_expr

DARK, LIGHT, MID = "#1f4e79", "#9dc3e6", "#5b8fbf"
ALERT = "#c00000"
FONT = "Source Sans Pro, sans-serif"
# Vega formats numbers the English way; French thousands take a space, decimals a comma.
FRENCH_AXIS = alt.Axis(
    format=",.0f",
    labelExpr="replace(datum.label, /,/g, '\u00a0')",
)


# Ten centrals told apart by hue and lightness; the grouped ones and the other commitments in
# greys that no central takes; red is kept for what goes wrong.
CENTRAL_COLOURS = [
    DARK, "#f28e2b", "#59a14f", LIGHT, "#b07aa1", "#9c755f", "#edc948", "#76b7b2", "#ff9da7",
    MID,
]  # fmt: skip  # several colours to a line: a palette, not a column
OTHER_BODIES_COLOUR, OTHER_COMMITMENTS_COLOUR = "#bab0ac", "#4d4d4d"
# A colour per central on the timeline and the fees chart (Tableau 20 without its reds): 14
# centrals, 14 colours.
PALETTE = [
    "#4e79a7", "#a0cbe8", "#f28e2b", "#ffbe7d", "#59a14f", "#8cd17d", "#b6992d", "#f1ce63",
    "#499894", "#86bcb6", "#79706e", "#bab0ac", "#d37295", "#fabfd2", "#b07aa1", "#d4a6c8",
    "#9d7660", "#d7b5a6",
]  # fmt: skip  # several colours to a line: a palette, not a column
SERIES = ["Enregistré", "Scénario"]


AXIS_TEXT = "#333333"  # Streamlit's chart grey is under RGAA's 4.5:1 contrast on white


def readable(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """Axis, legend and title text dark enough to read (and to pass an accessibility audit)."""
    return (
        chart.configure_axis(labelColor=AXIS_TEXT, titleColor=AXIS_TEXT, labelFontSize=12)
        .configure_legend(labelColor=AXIS_TEXT, titleColor=AXIS_TEXT, labelFontSize=12)
        .configure_title(color="#111111", fontSize=15, anchor="start")
    )


def body_scale(body_ids: list[str]) -> alt.Scale:
    """The same colour for a central on every chart, whatever the filter shows."""
    domain = sorted(body_ids)
    return alt.Scale(domain=domain, range=[PALETTE[i % len(PALETTE)] for i in range(len(domain))])


def _plottable(frame: pl.DataFrame) -> pl.DataFrame:
    """Vega reads JSON numbers: exact decimals, already formatted for the eye, become floats."""
    return frame.with_columns(
        pl.col(c).cast(pl.Float64) for c, t in frame.schema.items() if isinstance(t, pl.Decimal)
    )


def _floats(frame: pl.DataFrame, columns: list[str]) -> pl.DataFrame:
    return frame.with_columns(pl.col(c).cast(pl.Float64).alias(f"{c}_value") for c in columns)


BAR_PARTS = "parts"  # the names of a budget picture's datasets (its template's too)
CREDITS = "credits"
BALANCE_LABELS = "labels"
TABLE = "tableau"
# What a screen reader says of a mark: a French sentence (Vega's own lists the data's column
# names and writes numbers and dates in English).
DESCRIPTION = "description"  # what « Afficher les données » shows: French headers, French figures


def budget_chart(
    balance: pl.DataFrame,
    titles: pl.DataFrame,
    year: int | None,
    body_id: str | None = None,
    names: dict[str, str] | None = None,
) -> alt.TopLevelMixin:
    """Committed per year, split by central (the largest named, the others grouped; with a
    central chosen, its share) and other commitments, against the credits drawn as a line, of
    the one budget line the frame holds or of all its lines added up; the balance is written
    for the chosen year only, so that 22 years stay readable."""
    parts = committed_parts(balance, titles, body_id, names)
    data = budget_picture_data(parts, year_totals(balance), year)
    return readable(_budget_layers(data, _part_colours(parts), series=False)).properties(
        height=440, title=_budget_title(balance, body_id)
    )


def _budget_title(balance: pl.DataFrame, body_id: str | None) -> str:
    lines = balance.select("operation_code", "imputation").unique().height
    if lines > 1:
        where = f"toutes les lignes budgétaires ({lines})"
    elif lines == 1:
        where = budget_line_text(*balance.select("operation_code", "imputation").row(0))
    else:
        where = "aucune ligne"
    share = f", part de {body_id} en couleur" if body_id else ""
    return f"Engagé par centrale et crédits (trait noir) par exercice — {where}{share}"


def budget_chart_spec(
    balance: pl.DataFrame,
    titles: pl.DataFrame,
    year: int | None,
    body_id: str | None = None,
    names: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The same chart as `budget_chart`, as its Vega-Lite description (from its template)."""
    parts = committed_parts(balance, titles, body_id, names)
    data = budget_picture_data(parts, year_totals(balance), year)
    return _from_template(False, data, _part_colours(parts), _budget_title(balance, body_id))


def _part_colours(parts: pl.DataFrame) -> tuple[list[str], list[str]]:
    """Each part's colour: the centrals named in turn, the grouped ones and the other
    commitments in greys that no central takes."""
    domain = parts.sort("order")["part"].unique(maintain_order=True).to_list()
    colours, named = [], 0
    for part in domain:
        if part == OTHER_BODIES:
            colours.append(OTHER_BODIES_COLOUR)
        elif part == OTHER_COMMITMENTS:
            colours.append(OTHER_COMMITMENTS_COLOUR)
        else:
            colours.append(CENTRAL_COLOURS[named % len(CENTRAL_COLOURS)])
            named += 1
    return domain, colours


def label_year(totals: pl.DataFrame, year: int | None) -> int | None:
    """The year whose balance is written: the chosen one, else the last one shown."""
    years = totals["year"].to_list()
    if year in years:
        return year
    return max(years) if years else None


def budget_picture_data(
    parts: pl.DataFrame, totals: pl.DataFrame, year: int | None
) -> dict[str, pl.DataFrame]:
    """The datasets of a budget picture: bars, credits, the chosen year's balance, and the
    table a reader sees in French. A `series` column (recorded, scenario) puts them side by
    side."""
    keys = ["year", "series"] if "series" in totals.columns else ["year"]
    texts = totals.with_columns(
        euros_expr("credits").alias("credits_text"),
        euros_expr("committed").alias("committed_text"),
        euros_expr("balance").alias("balance_text"),
    )
    bars = (
        parts.join(
            texts.select(*keys, "credits_text", "committed_text", "balance_text"),
            on=keys,
            how="left",
        )
        .with_columns(
            pl.col("amount").cast(pl.Float64).alias("amount_value"),
            euros_expr("amount").alias("amount_text"),
        )
        .with_columns(
            pl.format("{}, {} : {}", _year_said(keys), "part", "amount_text").alias(DESCRIPTION)
        )
    )
    texts = texts.with_columns(
        pl.format(
            "{} : crédits {}, engagé {}, solde {}",
            _year_said(keys),
            "credits_text",
            "committed_text",
            "balance_text",
        ).alias(DESCRIPTION)
    )
    labels = _balance_labels(texts, label_year(totals, year), scenario="series" in keys)
    credits = texts.with_columns(pl.col("credits").cast(pl.Float64).alias("credits_value"))
    year_texts = ["credits_text", "committed_text", "balance_text"]
    year_key = [pl.col("year").cast(pl.String), *map(pl.col, keys[1:])]
    return {
        TABLE: _picture_table(bars, keys),
        BAR_PARTS: bars.select(
            *year_key, "part", "order", "amount_value", "amount_text", *year_texts, DESCRIPTION
        ),
        CREDITS: credits.select(*year_key, "credits_value", *year_texts, DESCRIPTION),
        BALANCE_LABELS: labels.select(
            *year_key, "top_value", "negative", "balance_label", *year_texts, DESCRIPTION
        ),
    }


def _year_said(keys: list[str]) -> pl.Expr:
    """« Exercice 2022 », and its series when the picture has two (« Exercice 2022, scénario »)."""
    year = pl.format("Exercice {}", "year")
    if "series" not in keys:
        return year
    return pl.format("{}, {}", year, pl.col("series").str.to_lowercase())


def _balance_labels(texts: pl.DataFrame, chosen: int | None, *, scenario: bool) -> pl.DataFrame:
    """The chosen year's balance, written above its bar (the scenario's beside the recorded)."""
    labels = (
        texts.filter(pl.col("year").eq_missing(chosen))
        .with_columns(
            pl.max_horizontal(
                pl.col("credits").cast(pl.Float64), pl.col("committed").cast(pl.Float64)
            ).alias("top_value"),
            (pl.col("balance") < 0).alias("negative"),
        )
        .with_columns(
            pl.concat_str(
                pl.when(pl.col("negative")).then(pl.lit("▼ Solde ")).otherwise(pl.lit("Solde ")),
                pl.col("balance_text"),
            ).alias("balance_label")
        )
    )
    if not scenario:
        return labels
    # One balance written: the scenario's, beside the recorded one.
    recorded = labels.filter(pl.col("series") == SERIES[0]).select("year", "balance_text")
    return (
        labels.filter(pl.col("series") == SERIES[1])
        .join(recorded, on="year", how="left", suffix="_recorded")
        .with_columns(
            pl.format(
                "{} scénario {} (enregistré {})",
                pl.when(pl.col("negative")).then(pl.lit("▼ Solde")).otherwise(pl.lit("Solde")),
                pl.col("balance_text"),
                pl.col("balance_text_recorded").fill_null("—"),
            ).alias("balance_label")
        )
    )


def _picture_table(bars: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    """What « Afficher les données » shows: French headers and French figures."""
    series = [pl.col("series").alias("Série")] if "series" in keys else []
    return bars.sort(*keys, "order").select(
        pl.col("year").cast(pl.String).alias("Exercice"),
        *series,
        pl.col("part").alias("Part de l'engagé"),
        pl.col("amount_text").alias("Montant TTC"),
        pl.col("credits_text").alias("Crédits de l'exercice"),
        pl.col("committed_text").alias("Engagé de l'exercice"),
        pl.col("balance_text").alias("Solde de l'exercice"),
    )


def _budget_layers(
    data: dict[str, pl.DataFrame] | dict[str, alt.Data],
    colours: tuple[list[str], list[str]],
    *,
    series: bool,
) -> alt.LayerChart | alt.FacetChart:
    """Stacked bars of the parts, the credits as a line, the chosen year's balance written."""
    x = alt.X("year:N", title="Exercice", axis=alt.Axis(labelAngle=0, labelOverlap=True))
    offset = {"xOffset": alt.XOffset("series:N", sort=SERIES, title="Série")} if series else {}
    year_tooltip = _year_tooltip(series)
    bars = (
        alt.Chart(data[BAR_PARTS])
        .mark_bar(stroke="white", strokeWidth=0.5)
        .encode(
            x=x,
            y=alt.Y("amount_value:Q", title="Montant TTC (€)", stack="zero", axis=FRENCH_AXIS),
            color=alt.Color(
                "part:N",
                title="Engagé",
                scale=alt.Scale(domain=colours[0], range=colours[1]),
                legend=alt.Legend(orient="top", columns=6, labelLimit=180),
            ),
            order=alt.Order("order:Q"),
            description=f"{DESCRIPTION}:N",
            tooltip=[
                alt.Tooltip("part:N", title="Part"),
                alt.Tooltip("amount_text:N", title="Montant"),
                *year_tooltip,
            ],
            **offset,
        )
    )
    labels = (
        alt.Chart(data[BALANCE_LABELS])
        .mark_text(dy=-22, fontWeight="bold", font=FONT, fontSize=13)
        .encode(
            x=x,
            y="top_value:Q",
            text="balance_label:N",
            color=alt.condition("datum.negative", alt.value(ALERT), alt.value("#222222")),
            description=f"{DESCRIPTION}:N",
            tooltip=year_tooltip,
            **offset,
        )
    )
    return alt.layer(bars, _credits_line(data, x, series), labels, data=data[TABLE])


def _year_tooltip(series: bool) -> list[alt.Tooltip]:
    """A year's figures, as every mark of the budget picture shows them."""
    in_series = [alt.Tooltip("series:N", title="Série")] if series else []
    return [
        alt.Tooltip("year:N", title="Exercice"),
        *in_series,
        alt.Tooltip("credits_text:N", title="Crédits"),
        alt.Tooltip("committed_text:N", title="Engagé"),
        alt.Tooltip("balance_text:N", title="Solde"),
    ]


def _credits_line(
    data: dict[str, pl.DataFrame] | dict[str, alt.Data], x: alt.X, series: bool
) -> alt.Chart:
    """The credits as a black line (dashed for the scenario's)."""
    dash = (
        {
            "strokeDash": alt.StrokeDash(
                "series:N",
                sort=SERIES,
                title="Crédits",
                scale=alt.Scale(domain=SERIES, range=[[1, 0], [6, 3]]),
                legend=alt.Legend(orient="top"),
            )
        }
        if series
        else {}
    )
    return (
        alt.Chart(data[CREDITS])
        .mark_line(color="black", strokeWidth=2.5, point=alt.OverlayMarkDef(color="black"))
        .encode(
            x=x,
            y="credits_value:Q",
            description=f"{DESCRIPTION}:N",
            tooltip=_year_tooltip(series),
            **dash,
        )
    )


def fees_chart(totals: pl.DataFrame, bodies: pl.DataFrame) -> alt.TopLevelMixin:
    """Fees including tax per central and year, stacked."""
    data = (
        totals.join(bodies.select("body_id", "name"), on="body_id", how="left")
        .with_columns(
            pl.col("year").cast(pl.String),
            pl.col("amount_incl_tax").cast(pl.Float64).alias("ttc_value"),
            euros_expr("amount_incl_tax").alias("ttc_text"),
            euros_expr("amount_excl_tax").alias("ht_text"),
            pl.coalesce("name", "body_id").alias("body"),
        )
        .with_columns(
            pl.format("{}, {} : {} TTC", "year", "body", "ttc_text").alias(DESCRIPTION),
        )
    )
    table = data.sort("year", "body_id").select(
        pl.col("year").alias("Exercice"),
        pl.col("body").alias("Centrale"),
        pl.col("ht_text").alias("Montant HT"),
        pl.col("ttc_text").alias("Montant TTC"),
        pl.col("unpriced").alias("Titres sans montant"),
    )
    bars = (
        alt.Chart(_plottable(data))
        .mark_bar(stroke="white", strokeWidth=1)
        .encode(
            x=alt.X("year:N", title="Exercice", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("ttc_value:Q", title="Cotisations TTC (€)", stack="zero", axis=FRENCH_AXIS),
            description=f"{DESCRIPTION}:N",
            color=alt.Color(
                "body_id:N",
                title="Centrale",
                scale=body_scale(bodies["body_id"].to_list()),
                legend=alt.Legend(orient="top"),
            ),
            tooltip=[
                alt.Tooltip("body:N", title="Centrale"),
                alt.Tooltip("year:N", title="Exercice"),
                alt.Tooltip("ht_text:N", title="HT"),
                alt.Tooltip("ttc_text:N", title="TTC"),
                alt.Tooltip("unpriced:Q", title="Titres sans montant"),
            ],
        )
    )
    return readable(
        alt.layer(bars, data=table).properties(
            height=400, title="Cotisations par centrale et par exercice (TTC)"
        )
    )


def _notice_marks(dated: pl.DataFrame, y: alt.Y, tooltip: list[alt.Tooltip]) -> alt.Chart:
    """A red triangle above each bar at its convention's notice deadline."""
    return (
        alt.Chart(_plottable(dated.filter(pl.col("notice_deadline").is_not_null())))
        .mark_point(
            shape="triangle-down",
            size=260,
            filled=True,
            color=ALERT,
            stroke="white",
            strokeWidth=1.5,
            yOffset=-14,
        )
        .encode(x="notice_deadline:T", y=y, description=f"{DESCRIPTION}:N", tooltip=tooltip)
    )


def timeline_chart(
    conventions: pl.DataFrame, today: dt.date, body_ids: list[str] | None = None
) -> alt.TopLevelMixin:
    """One bar per dated convention from start to end; today and notice deadlines marked."""
    dated = _timeline_rows(conventions)
    y = alt.Y("convention_id:N", title=None, axis=alt.Axis(labelLimit=260))
    tooltip = [
        alt.Tooltip("convention_id:N", title="Convention"),
        alt.Tooltip("label:N", title="Centrale · formule"),
        alt.Tooltip("start_text:N", title="Début"),
        alt.Tooltip("end_text:N", title="Fin"),
        alt.Tooltip("notice_text:N", title="Préavis au plus tard"),
    ]
    bars = (
        alt.Chart(_plottable(dated))
        .mark_bar(height=18, cornerRadius=3)
        .encode(
            x=alt.X("start_date:T", title=None, axis=alt.Axis(format="%m/%Y")),
            x2="effective_end_date:T",
            y=y,
            color=alt.Color(
                "body_id:N",
                title="Centrale",
                scale=body_scale(body_ids or conventions["body_id"].unique().to_list()),
                legend=alt.Legend(orient="top"),
            ),
            description=f"{DESCRIPTION}:N",
            tooltip=tooltip,
        )
    )
    notices = _notice_marks(dated, y, tooltip)
    title = "Durée des conventions (▼ : date limite de préavis)"
    layers: list[alt.Chart] = [bars, notices]
    # Today is drawn only when it falls near the conventions; far away it would squeeze them.
    if _near(today, dated):
        layers.extend(_today_marks(today))
    else:
        title += f" — aujourd'hui ({today:%d/%m/%Y}) hors de la période affichée"
    table = dated.select(
        pl.col("convention_id").alias("Convention"),
        pl.col("label").alias("Centrale · formule"),
        pl.col("start_text").alias("Début"),
        pl.col("end_text").alias("Fin"),
        pl.col("notice_text").alias("Préavis au plus tard"),
    )
    return readable(
        alt.layer(*layers, data=table).properties(
            height=160 + 48 * max(dated.height, 1), title=title
        )
    )


def _timeline_rows(conventions: pl.DataFrame) -> pl.DataFrame:
    """The dated conventions, with their label and dates as the tooltips write them."""
    return (
        conventions.filter(
            pl.col("start_date").is_not_null() & pl.col("effective_end_date").is_not_null()
        )
        .with_columns(
            pl.concat_str(pl.col("body_id"), pl.lit(" · "), pl.col("formula").fill_null("")).alias(
                "label"
            ),
            date_expr("start_date").alias("start_text"),
            date_expr("effective_end_date").alias("end_text"),
            date_expr("notice_deadline").alias("notice_text"),
        )
        .with_columns(
            pl.format(
                "Convention {} ({}) : du {} au {}, préavis au plus tard le {}",
                "convention_id",
                "label",
                "start_text",
                "end_text",
                "notice_text",
            ).alias(DESCRIPTION)
        )
    )


def _today_marks(today: dt.date) -> list[alt.Chart]:
    """Today as a dashed rule, with its date written beside."""
    today_frame = pl.DataFrame({"today": [today], "text": [f"Aujourd'hui {today:%d/%m/%Y}"]})
    return [
        alt.Chart(today_frame)
        .mark_rule(color="black", strokeDash=[6, 3])
        .encode(x="today:T", description="text:N"),
        alt.Chart(today_frame)
        .mark_text(align="left", dx=4, dy=-6, font=FONT, color=AXIS_TEXT)
        .encode(x="today:T", y=alt.value(0), text="text:N", description="text:N"),
    ]


def _near(today: dt.date, dated: pl.DataFrame) -> bool:
    """Whether today lies within a year of the conventions' span."""
    if dated.is_empty():
        return True
    first: dt.date = dated["start_date"].min()  # type: ignore[assignment]  # a Date column
    last: dt.date = dated["effective_end_date"].max()  # type: ignore[assignment]  # a Date column
    return first - dt.timedelta(days=365) <= today <= last + dt.timedelta(days=365)


def _series(balance: pl.DataFrame, titles: pl.DataFrame, name: str) -> tuple[pl.DataFrame, ...]:
    return tuple(frame.with_columns(pl.lit(name).alias("series")) for frame in (balance, titles))


def scenario_picture_data(
    recorded: tuple[pl.DataFrame, pl.DataFrame],
    scenario: tuple[pl.DataFrame, pl.DataFrame],
    year: int | None,
    body_id: str | None = None,
) -> tuple[dict[str, pl.DataFrame], tuple[list[str], list[str]]]:
    """The budget picture's datasets for the recorded figures and the scenario side by side
    (each a pair balance, titles), and the colours of their parts."""
    pairs = [_series(*recorded, SERIES[0]), _series(*scenario, SERIES[1])]
    balance = pl.concat([pair[0] for pair in pairs], how="diagonal_relaxed")
    titles = pl.concat([pair[1] for pair in pairs], how="diagonal_relaxed")
    parts = committed_parts(balance, titles, body_id)
    return budget_picture_data(parts, year_totals(balance), year), _part_colours(parts)


SCENARIO_TITLE = "Engagé par centrale et crédits, enregistré (à gauche) et scénario (à droite)"


def _scenario_title(body_id: str | None) -> str:
    share = f", part de {body_id} en couleur" if body_id else ""
    return f"{SCENARIO_TITLE}{share} — trait plein : crédits enregistrés, pointillés : scénario"


def scenario_chart(
    recorded: tuple[pl.DataFrame, pl.DataFrame],
    scenario: tuple[pl.DataFrame, pl.DataFrame],
    year: int | None,
    body_id: str | None = None,
) -> alt.TopLevelMixin:
    """The budget picture of every line, the recorded figures beside the scenario's."""
    data, colours = scenario_picture_data(recorded, scenario, year, body_id)
    return readable(_budget_layers(data, colours, series=True)).properties(
        height=440, title=_scenario_title(body_id)
    )


@functools.cache
def _template(series: bool) -> dict[str, Any]:
    """A budget picture's description without its data, built once (unvalidated: a page's
    first run would wait for it; the tests validate the same chart through Altair)."""
    named = {name: alt.Data(name=name) for name in (TABLE, BAR_PARTS, CREDITS, BALANCE_LABELS)}
    chart = readable(_budget_layers(named, (["-"], ["#000000"]), series=series))
    return chart.properties(height=440, title=SCENARIO_TITLE).to_dict(validate=False)


def _from_template(
    series: bool,
    data: dict[str, pl.DataFrame],
    colours: tuple[list[str], list[str]],
    title: str,
) -> dict[str, Any]:
    spec = copy.deepcopy(_template(series))
    spec["title"] = title
    spec["layer"][0]["encoding"]["color"]["scale"] = {"domain": colours[0], "range": colours[1]}
    # The table first: it is what « Afficher les données » shows.
    spec["datasets"] = {name: data[name].to_dicts() for name in data}
    return spec


def scenario_chart_spec(
    recorded: tuple[pl.DataFrame, pl.DataFrame],
    scenario: tuple[pl.DataFrame, pl.DataFrame],
    year: int | None,
    body_id: str | None = None,
) -> dict[str, Any]:
    """The same chart as `scenario_chart`, as its Vega-Lite description: the template made
    once, the data and colours put in at each slider move (building an Altair chart costs more
    than the rest of a move)."""
    data, colours = scenario_picture_data(recorded, scenario, year, body_id)
    return _from_template(True, data, colours, _scenario_title(body_id))
