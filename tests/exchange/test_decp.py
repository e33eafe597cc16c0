"""DECP files propose the agreements' end dates: notification plus the current duration."""

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from spend.exchange.decp import (
    BY_ID,
    BY_OBJECT,
    DecpError,
    accepted_end_dates,
    decp_proposals,
    end_of,
    read_decp,
)
from spend.paths import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "decp"
RESAH = "13000501000025"

AGREEMENTS = pl.DataFrame(
    {
        "agreement_id": ["RESAH-2020-027-L1", "RESAH-OTHER", "CAIH-SO360"],
        "body_id": ["RESAH", "RESAH", "CAIH"],
        "reference": ["2020-027 lot 1", "9999", "2020-027-LOT1"],
        "title": [
            "Hébergement cloud hybride avec services et offre de cybersécurité",
            "Mobilier",
            "Sécurité opérée",
        ],
        "end_date": [date(2024, 8, 27), None, date(2023, 7, 16)],
    }
)
BODIES = pl.DataFrame(
    {
        "body_id": ["RESAH", "CAIH"],
        "name": ["Resah", "CAIH"],
        "siret": ["130 005 010 00025", None],
        "address": [None, None],
    }
)


@pytest.mark.parametrize(
    ("notified", "months", "end"),
    [
        (date(2024, 5, 15), 48, date(2028, 5, 14)),
        (date(2020, 8, 28), 60, date(2025, 8, 27)),
        (date(2023, 1, 31), 1, date(2023, 2, 27)),  # no 31 February: from the 28th
        (date(2023, 3, 1), 12, date(2024, 2, 29)),
    ],
)
def test_end_is_notification_plus_duration_less_a_day(notified: date, months: int, end: date):
    assert end_of(notified, months) == end


def test_consolidated_file_with_two_modifications_proposes_the_last_duration() -> None:
    rows = read_decp(FIXTURES / "decp_consolide.csv")
    proposals = decp_proposals(rows, AGREEMENTS, BODIES)

    # The other buyer's contract with the same id, and CAIH (no SIRET), are not ours.
    assert proposals.select("agreement_id", "match", "decp_id").rows() == [
        ("RESAH-2020-027-L1", BY_ID, "2020-027-LOT1")
    ]
    row = proposals.row(0, named=True)
    assert (row["notification"], row["duration_months"], row["modifications"]) == (
        date(2020, 8, 28),
        60,
        2,
    )
    assert (row["stored_end_date"], row["proposed_end_date"]) == (
        date(2024, 8, 27),
        date(2025, 8, 27),
    )


def test_the_current_row_decides_even_when_rows_come_unsorted(tmp_path: Path) -> None:
    lines = (FIXTURES / "decp_consolide.csv").read_text(encoding="utf-8").splitlines()
    shuffled = tmp_path / "decp.csv"
    shuffled.write_text("\n".join([lines[0], lines[3], lines[1], lines[2]]), encoding="utf-8")
    proposals = decp_proposals(read_decp(shuffled), AGREEMENTS, BODIES)
    assert proposals["proposed_end_date"].to_list() == [date(2025, 8, 27)]


def test_decp_2_json_is_read_and_matched_by_object() -> None:
    rows = read_decp(FIXTURES / "decp_2_0.json")
    # Initial data and three modifications, the last one current; the third keeps 66 months.
    contract = rows.filter(pl.col("id") == "RESAH-2020-027")
    assert contract.select("modification_id", "dureeMois", "donneesActuelles").rows() == [
        (0, 48, False),
        (1, 54, False),
        (2, 66, False),
        (3, 66, True),
    ]
    proposals = decp_proposals(rows, AGREEMENTS, BODIES)
    assert proposals.select("agreement_id", "match", "proposed_end_date").rows() == [
        ("RESAH-2020-027-L1", BY_OBJECT, date(2026, 2, 27))
    ]


def test_accepted_dates_change_only_the_end_date() -> None:
    proposals = decp_proposals(read_decp(FIXTURES / "decp_consolide.csv"), AGREEMENTS, BODIES)
    accepted = accepted_end_dates(proposals, AGREEMENTS, ["RESAH-2020-027-L1"])
    assert accepted.rows.rows() == [
        (
            "RESAH-2020-027-L1",
            "RESAH",
            "2020-027 lot 1",
            "Hébergement cloud hybride avec services et offre de cybersécurité",
            "2025-08-27",
        )
    ]
    with pytest.raises(DecpError, match="Pas de date de fin proposée pour : CAIH-SO360"):
        accepted_end_dates(proposals, AGREEMENTS, ["CAIH-SO360"])


@pytest.mark.parametrize(
    ("name", "content", "said"),
    [
        ("a.csv", "x,y\n1,2\n", "colonne(s) id, acheteur_id, dateNotification, dureeMois absente"),
        ("a.json", "{", "JSON illisible"),
        ("a.json", '{"marches": 3}', "liste « marches » absente"),
        ("a.parquet", "pas du parquet", "fichier DECP illisible"),
    ],
)
def test_unreadable_files_are_said_in_french(
    tmp_path: Path, name: str, content: str, said: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DecpError, match=said.replace("(", r"\(").replace(")", r"\)")):
        read_decp(path)
    with pytest.raises(DecpError, match="introuvable"):
        read_decp(tmp_path / "absent.csv")


def test_parquet_is_read_like_csv(tmp_path: Path) -> None:
    path = tmp_path / "decp.parquet"
    pl.read_csv(FIXTURES / "decp_consolide.csv").write_parquet(path)
    assert read_decp(path).equals(read_decp(FIXTURES / "decp_consolide.csv"))


def test_json_as_converted_from_xml_and_stray_entries_are_read(tmp_path: Path) -> None:
    path = tmp_path / "decp.json"
    path.write_text(
        '{"marches": [{"id": "2020-027 LOT 1", "acheteur": {"id": "13000501000025"}, '
        '"dateNotification": "2020-08-28", "dureeMois": "48", "modifications": {"modification": '
        '[{"id": "1", "dureeMois": 60}, "texte", null]}}, "pas un marché"]}',
        encoding="utf-8",
    )
    proposals = decp_proposals(read_decp(path), AGREEMENTS, BODIES)
    assert proposals.select("match", "proposed_end_date", "modifications").rows() == [
        (BY_ID, date(2025, 8, 27), 1)
    ]
