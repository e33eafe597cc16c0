"""An imputation in no known form, or against the M57 chart, is an alert of its own; a clean
one is not."""

from decimal import Decimal

import polars as pl

from spend.views.alerts import KINDS, imputation_alerts


def _balance(*lines: tuple[str, str]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "operation_code": [op for op, _ in lines for _year in (2022, 2023)],
            "imputation": [imp for _, imp in lines for _year in (2022, 2023)],
            "year": [2022, 2023] * len(lines),
            "committed": [Decimal("0.00")] * 2 * len(lines),
        },
        schema_overrides={"year": pl.Int32, "committed": pl.Decimal(18, 2)},
    )


def test_each_line_to_check_is_said_once_whatever_its_years() -> None:
    balance = _balance(
        ("C06-020M02", "6281/930202"), ("C07", "Informatique"), ("C08", "65-6281-020")
    )
    alerts = imputation_alerts(balance)
    assert alerts["kind"].unique().to_list() == ["imputation"]
    assert alerts["level"].unique().to_list() == ["attention"]
    assert alerts["line"].to_list() == ["C07 / Informatique", "C08 / 65-6281-020"]
    assert alerts["message"].to_list() == [
        "C07 : imputation « Informatique » : forme non reconnue (formes lues : 6281/930202, "
        "011/6281, « chapitre 011, article 6281 » ou 65-6281-020) ; gardée telle quelle.",
        "C08 : imputation « 65-6281-020 » : la nature 6281 (Concours divers (cotisations)) relève "
        "du chapitre 011 dans le plan de comptes M57, pas du chapitre 65.",
    ]
    assert KINDS["imputation"] == "Imputations à vérifier"


def test_the_seed_line_raises_no_imputation_alert() -> None:
    assert imputation_alerts(_balance(("C06-020M02", "6281/930202"))).is_empty()


def test_lines_of_unassigned_fees_are_left_out() -> None:
    balance = _balance(("C07", "Informatique"))
    unassigned = balance.head(1).with_columns(
        pl.lit(None, dtype=pl.String).alias("operation_code"),
        pl.lit(None, dtype=pl.String).alias("imputation"),
    )
    alerts = imputation_alerts(pl.concat([balance, unassigned]))
    assert alerts["line"].to_list() == ["C07 / Informatique"]
