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

from spend.views.formatting import budget_line_label, euros_expr

DARK, LIGHT, MID = "#1f4e79", "#9dc3e6", "#5b8fbf"
ALERT = "#c00000"
FONT = "Source Sans Pro, sans-serif"
# Vega formats numbers the English way; French thousands take a space, decimals a comma.
FRENCH_AXIS = alt.Axis(
    format=",.0f",
    labelExpr="replace(datum.label, /,/g, '\u00a0')",
)


PALETTE = [DARK, LIGHT, MID, "#404040", "#bfbfbf", "#7f7f7f"]


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


def budget_chart(balance: pl.DataFrame) -> alt.TopLevelMixin:
    """Commitments (fees and others) against credits per year, balance written: of the one
    budget line the frame holds, or of all its lines added up (one chart whatever their number).
    """
    lines = balance.select("operation_code", "imputation").unique().height
    title = "Engagements et crédits par exercice (trait noir : crédits)"
    if lines > 1:
        title = f"Toutes les lignes budgétaires ({lines}) : {title[0].lower()}{title[1:]}"
        balance = (
            balance.group_by("year")
            .agg(
                pl.col("credits", "committed_fees", "committed_other", "committed", "balance").sum()
            )
            .sort("year")
        )
    line = pl.lit(f"toutes les lignes ({lines})") if lines > 1 else budget_line_label()
    data = (
        _floats(balance, ["credits", "committed", "balance"])
        .with_columns(
            pl.col("year").cast(pl.String),
            line.alias("line"),
            euros_expr("credits").alias("credits_text"),
            euros_expr("committed").alias("committed_text"),
            euros_expr("balance").alias("balance_text"),
            (pl.col("balance") < 0).alias("negative"),
        )
        .with_columns(
            pl.when(pl.col("negative"))
            .then(pl.concat_str(pl.lit("▼ Solde "), pl.col("balance_text")))
            .otherwise(pl.concat_str(pl.lit("Solde "), pl.col("balance_text")))
            .alias("balance_label"),
            pl.max_horizontal("credits_value", "committed_value").alias("top_value"),
        )
    )
    parts = data.unpivot(
        index=["year", "line", "credits_text", "committed_text", "balance_text"],
        on=["committed_fees", "committed_other"],
        variable_name="part",
        value_name="amount",
    ).with_columns(
        pl.col("amount").cast(pl.Float64).alias("amount_value"),
        euros_expr("amount").alias("amount_text"),
        pl.col("part").replace_strict(
            {"committed_fees": "Cotisations", "committed_other": "Autres engagements"}
        ),
    )
    return readable(_line_budget_chart(data, parts).properties(height=440, title=title))


def _line_budget_chart(data: pl.DataFrame, parts: pl.DataFrame) -> alt.LayerChart:
    tooltip = [
        alt.Tooltip("year:N", title="Exercice"),
        alt.Tooltip("line:N", title="Ligne"),
        alt.Tooltip("credits_text:N", title="Crédits"),
        alt.Tooltip("committed_text:N", title="Engagé"),
        alt.Tooltip("balance_text:N", title="Solde"),
    ]
    x = alt.X("year:N", title="Exercice", axis=alt.Axis(labelAngle=0))
    bars = (
        alt.Chart(_plottable(parts))
        .mark_bar(size=46)
        .encode(
            x=x,
            y=alt.Y("amount_value:Q", title="Montant TTC (€)", stack="zero", axis=FRENCH_AXIS),
            color=alt.Color(
                "part:N",
                title="Engagé",
                scale=alt.Scale(domain=["Cotisations", "Autres engagements"], range=[DARK, LIGHT]),
                legend=alt.Legend(orient="top"),
            ),
            tooltip=[*tooltip, alt.Tooltip("amount_text:N", title="Part")],
        )
    )
    credits = (
        alt.Chart(_plottable(data))
        .mark_tick(color="black", thickness=3, size=70)
        .encode(x=x, y="credits_value:Q", tooltip=tooltip)
    )
    labels = (
        alt.Chart(_plottable(data))
        .mark_text(dy=-12, fontWeight="bold", font=FONT, fontSize=13)
        .encode(
            x=x,
            y="top_value:Q",
            text="balance_label:N",
            color=alt.condition("datum.negative", alt.value(ALERT), alt.value("#222222")),
            tooltip=tooltip,
        )
    )
    return alt.layer(bars, credits, labels)


def fees_chart(totals: pl.DataFrame, bodies: pl.DataFrame) -> alt.TopLevelMixin:
    """Fees including tax per central and year, stacked."""
    data = totals.join(bodies.select("body_id", "name"), on="body_id", how="left").with_columns(
        pl.col("year").cast(pl.String),
        pl.col("amount_incl_tax").cast(pl.Float64).alias("ttc_value"),
        euros_expr("amount_incl_tax").alias("ttc_text"),
        euros_expr("amount_excl_tax").alias("ht_text"),
        pl.coalesce("name", "body_id").alias("body"),
    )
    return readable(
        alt.Chart(_plottable(data))
        .mark_bar(size=46, stroke="white", strokeWidth=1)
        .encode(
            x=alt.X("year:N", title="Exercice", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("ttc_value:Q", title="Cotisations TTC (€)", stack="zero", axis=FRENCH_AXIS),
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
        .properties(height=400, title="Cotisations par centrale et par exercice (TTC)")
    )


def timeline_chart(
    conventions: pl.DataFrame, today: dt.date, body_ids: list[str] | None = None
) -> alt.TopLevelMixin:
    """One bar per dated convention from start to end; today and notice deadlines marked."""
    dated = conventions.filter(
        pl.col("start_date").is_not_null() & pl.col("effective_end_date").is_not_null()
    ).with_columns(
        pl.concat_str(pl.col("body_id"), pl.lit(" · "), pl.col("formula").fill_null("")).alias(
            "label"
        ),
        pl.col("start_date").dt.strftime("%d/%m/%Y").alias("start_text"),
        pl.col("effective_end_date").dt.strftime("%d/%m/%Y").alias("end_text"),
        pl.col("notice_deadline").dt.strftime("%d/%m/%Y").fill_null("—").alias("notice_text"),
    )
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
            tooltip=tooltip,
        )
    )
    notices = (
        alt.Chart(_plottable(dated.filter(pl.col("notice_deadline").is_not_null())))
        .mark_point(
            shape="triangle-down", size=260, filled=True, color=ALERT, stroke="white",
            strokeWidth=1.5, yOffset=-14,
        )
        .encode(x="notice_deadline:T", y=y, tooltip=tooltip)
    )  # fmt: skip
    title = "Durée des conventions (▼ : date limite de préavis)"
    layers = [bars, notices]
    # Today is drawn only when it falls near the conventions; far away it would squeeze them.
    if _near(today, dated):
        today_frame = pl.DataFrame({"today": [today], "text": [f"Aujourd'hui {today:%d/%m/%Y}"]})
        layers.append(
            alt.Chart(today_frame).mark_rule(color="black", strokeDash=[6, 3]).encode(x="today:T")
        )
        layers.append(
            alt.Chart(today_frame)
            .mark_text(align="left", dx=4, dy=-6, font=FONT, color=AXIS_TEXT)
            .encode(x="today:T", y=alt.value(0), text="text:N")
        )
    else:
        title += f" — aujourd'hui ({today:%d/%m/%Y}) hors de la période affichée"
    return readable(
        alt.layer(*layers).properties(height=160 + 48 * max(dated.height, 1), title=title)
    )


def _near(today: dt.date, dated: pl.DataFrame) -> bool:
    """Whether today lies within a year of the conventions' span."""
    if dated.is_empty():
        return True
    first, last = dated["start_date"].min(), dated["effective_end_date"].max()
    return first - dt.timedelta(days=365) <= today <= last + dt.timedelta(days=365)


SCENARIO_DATA = "balances"


def _scenario_data(comparison: pl.DataFrame) -> pl.DataFrame:
    """Balance per year, recorded and scenario, as the chart draws them."""
    return _plottable(
        comparison.group_by("year")
        .agg(pl.col("balance_baseline").sum(), pl.col("balance_scenario").sum())
        .unpivot(index="year", variable_name="series", value_name="balance")
        .with_columns(
            pl.col("year").cast(pl.String),
            pl.col("series").replace_strict(
                {"balance_baseline": "Enregistré", "balance_scenario": "Scénario"}
            ),
            pl.col("balance").cast(pl.Float64).alias("balance_value"),
            euros_expr("balance").alias("balance_text"),
            (pl.col("balance") < 0).alias("negative"),
        )
        .sort("year", "series")
    )


def _scenario_layers(data: pl.DataFrame | alt.Data) -> alt.TopLevelMixin:
    x = alt.X("year:N", title="Exercice", axis=alt.Axis(labelAngle=0))
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=x,
            xOffset=alt.XOffset("series:N", sort=["Enregistré", "Scénario"]),
            y=alt.Y("balance_value:Q", title="Solde (€)", axis=FRENCH_AXIS),
            color=alt.Color(
                "series:N",
                title=None,
                scale=alt.Scale(domain=["Enregistré", "Scénario"], range=[LIGHT, DARK]),
                legend=alt.Legend(orient="top"),
            ),
            stroke=alt.condition("datum.negative", alt.value(ALERT), alt.value(None)),
            strokeWidth=alt.condition("datum.negative", alt.value(2), alt.value(0)),
            tooltip=[
                alt.Tooltip("year:N", title="Exercice"),
                alt.Tooltip("series:N", title="Série"),
                alt.Tooltip("balance_text:N", title="Solde"),
            ],
        )
    )
    zero = alt.Chart(alt.Data(values=[{"zero": 0.0}])).mark_rule(color="black").encode(y="zero:Q")
    return readable(
        alt.layer(bars, zero).properties(
            height=420,
            title="Solde par exercice : enregistré et scénario (bordure rouge : négatif)",
        )
    )


def scenario_chart(comparison: pl.DataFrame) -> alt.TopLevelMixin:
    """Balance per year, recorded beside scenario, the zero line marked."""
    return _scenario_layers(_scenario_data(comparison))


@functools.cache
def _scenario_template() -> dict[str, Any]:
    """The scenario chart's description without its data, built (and validated) once."""
    return _scenario_layers(alt.Data(name=SCENARIO_DATA)).to_dict()


def scenario_chart_spec(comparison: pl.DataFrame) -> dict[str, Any]:
    """The same chart as `scenario_chart`, as its Vega-Lite description: the template made
    once, the data put in at each slider move (building an Altair chart costs more than the
    rest of a move)."""
    spec = copy.deepcopy(_scenario_template())
    spec.setdefault("datasets", {})[SCENARIO_DATA] = _scenario_data(comparison).to_dicts()
    return spec
