"""`python -m spend read-deliberation FOLDER`: one JSON line per file, read or refused."""

import json
import shutil
from pathlib import Path

import pytest

from spend.cli import main
from tests.deliberations.conftest import CORPUS_DIR
from tests.deliberations.pdfs import write_pdf


def test_folder_gives_one_json_line_per_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = tmp_path / "archive"
    (archive / "2024").mkdir(parents=True)
    shutil.copy(CORPUS_DIR / "cm_2023_12_sans_budget.txt", archive / "cm_2023_12.txt")
    text = (CORPUS_DIR / "bc_2024_012_bureau_communautaire.txt").read_text(encoding="utf-8")
    write_pdf(text, archive / "2024" / "bc_2024_012.pdf", font=None)
    (archive / "notes.docx").write_bytes(b"PK\x03\x04")
    (archive / ".cache").write_text("caché")

    code = main(["read-deliberation", str(archive)])

    out, err = capsys.readouterr()
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["file"] for line in lines] == [
        "2024/bc_2024_012.pdf",
        "cm_2023_12.txt",
        "notes.docx",
    ]
    assert lines[0]["reading"]["deliberation_id"] == "B2024-012"
    assert lines[0]["reading"]["assembly"] == "Bureau communautaire"
    assert lines[1]["reading"]["deliberation_id"] == "2023-12"
    assert lines[1]["reading"]["outcome"] == "adopted"
    assert lines[2] == {
        "file": "notes.docx",
        "error": "Le document « notes.docx » est illisible ou endommagé : enregistrez-le de "
        "nouveau depuis le traitement de texte, ou fournissez un PDF.",
    }
    assert code == 1
    assert err == "3 fichier(s) lu(s), dont 1 illisible(s).\n"


def test_folder_read_whole_exits_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("cp_2023_118_plusieurs_lignes.txt", "sm_2022_38_comite_syndical.txt"):
        shutil.copy(CORPUS_DIR / name, tmp_path / name)

    assert main(["read-deliberation", str(tmp_path)]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["reading"]["deliberation_id"] for line in lines] == ["2023-118", "2022-38"]


def test_single_file_still_gives_the_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["read-deliberation", str(CORPUS_DIR / "cp_2016_09_6_extrait_numero_a_points.txt")])
        == 0
    )

    summary = capsys.readouterr().out
    assert summary.startswith("Délibération n° 2016.09.6 du 19/09/2016\n")
    assert "Collectivité : Département de la Charente-Littorale" in summary
    assert "Assemblée : Commission Permanente" in summary
    assert "Ne prennent pas part au vote : 1" in summary
