"""`python -m spend`: the dashboard's figures and data from a shell, through the same code."""

import argparse
import json
import logging
import sys
from pathlib import Path

import duckdb

from spend import store
from spend.bootstrap import open_database, seed_database
from spend.cli_french import use_french
from spend.deliberation_reader import DeliberationReadError, read_deliberation_file
from spend.deliberation_records import reading_summary
from spend.exchange_write import exchange_files
from spend.exports import csv_bytes
from spend.importer import import_folder
from spend.paths import default_db_path
from spend.problems import ImportRefused
from spend.reports import collectivity, compute, for_year, load_inputs
from spend.scdl import scdl_csv_bytes, scdl_frame, scdl_problems

FEE_COLUMNS = [
    "convention_id", "body_id", "year", "period_start", "period_end", "months",
    "amount_excl_tax", "vat", "amount_incl_tax", "issue_date", "due_date",
]  # fmt: skip
TOTAL_COLUMNS = ["body_id", "year", "amount_excl_tax", "vat", "amount_incl_tax", "unpriced"]
BALANCE_COLUMNS = ["operation_code", "imputation", "year", "credits", "committed", "balance"]


def _parser() -> argparse.ArgumentParser:
    use_french()
    parser = argparse.ArgumentParser(
        prog="python -m spend",
        description="Cotisations des centrales d'achat et crédits budgétaires.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="commande")

    def with_db(sub: argparse.ArgumentParser) -> argparse.ArgumentParser:
        sub.add_argument("--db", type=Path, help="base DuckDB (défaut : $SPEND_DB ou data/)")
        return sub

    init = with_db(commands.add_parser("init", help="créer la base (avec le jeu initial)"))
    init.add_argument("--empty", action="store_true", help="base vide, sans jeu initial")
    init.add_argument("--force", action="store_true", help="recréer une base existante")
    imp = with_db(commands.add_parser("import", help="importer un dossier de fichiers CSV"))
    imp.add_argument("folder", type=Path)
    exp = with_db(commands.add_parser("export", help="exporter toutes les tables en CSV"))
    exp.add_argument("folder", type=Path)
    exp.add_argument("--excel-fr", action="store_true", help="CSV pour Excel en français")
    read = commands.add_parser("read-deliberation", help="lire une délibération (texte ou PDF)")
    read.add_argument("file", type=Path)
    read.add_argument("--json", action="store_true", help="sortie JSON")
    scdl = with_db(
        commands.add_parser("scdl", help="délibérations au format SCDL (données ouvertes)")
    )
    scdl.add_argument("--output", type=Path, help="fichier CSV (défaut : sortie standard)")
    for name, text in (
        ("fees", "titres de cotisation"),
        ("totals", "totaux par centrale et exercice"),
        ("balance", "solde par ligne budgétaire et exercice"),
    ):
        sub = with_db(commands.add_parser(name, help=text))
        sub.add_argument("--year", type=int, help="un seul exercice")
    return parser


def main(argv: list[str] | None = None) -> int:
    # pypdf logs in English about damaged files; the reader says it in French already.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    args = _parser().parse_args(argv)
    db: Path = getattr(args, "db", None) or default_db_path()
    try:
        return _run(args, db)
    except ImportRefused as refused:
        for problem in refused.problems:
            print(problem, file=sys.stderr)
        print(f"Import refusé : {len(refused.problems)} problème(s), rien n'a été enregistré.",
              file=sys.stderr)  # fmt: skip
        return 1
    except (store.StoreError, DeliberationReadError) as error:
        print(error, file=sys.stderr)
        return 1
    except OSError as error:
        where = f" : {error.filename}" if error.filename else ""
        print(
            f"Écriture ou lecture impossible{where} ({error.strerror or error}).", file=sys.stderr
        )
        return 1


def _run(args: argparse.Namespace, db: Path) -> int:
    if args.command == "read-deliberation":
        reading = read_deliberation_file(args.file)
        if args.json:
            print(json.dumps(reading.to_json_dict(), ensure_ascii=False, indent=2))
        else:
            print(reading_summary(reading))
        return 0
    if args.command == "init":
        if db.exists() and not args.force:
            print(f"La base {db} existe déjà (--force pour la recréer).", file=sys.stderr)
            return 1
        if db.exists():
            db.unlink()
        con = store.connect(db)
        if not args.empty:
            seed_database(con)
        print(f"Base créée : {db}" + (" (vide)" if args.empty else " (jeu initial chargé)"))
        return 0
    if args.command == "import":
        is_new = not db.exists()
        con = open_database(db, seed_if_new=False)
        try:
            result = import_folder(con, args.folder, source=f"import {args.folder.name}")
        except ImportRefused:
            con.close()
            if is_new:  # a refused import leaves no trace, not even an empty database
                db.unlink(missing_ok=True)
            raise
        print(result.summary())
        return 0
    con = open_database(db)
    if args.command == "export":
        write_exchange_folder(con, args.folder, excel_fr=args.excel_fr)
        print(f"Exporté dans {args.folder}")
        return 0
    if args.command == "scdl":
        frame = scdl_frame(
            store.read_table(con, "deliberations"), **collectivity(store.settings(con))
        )
        for problem in scdl_problems(frame):
            print(f"Attention : {problem}", file=sys.stderr)
        content = scdl_csv_bytes(frame)
        if args.output:
            args.output.write_bytes(content)
            print(f"{frame.height} délibération(s) écrite(s) dans {args.output}")
        else:
            sys.stdout.buffer.write(content)
        return 0
    figures = compute(load_inputs(con))
    frame, columns = {
        "fees": (figures.titles, FEE_COLUMNS),
        "totals": (figures.totals, TOTAL_COLUMNS),
        "balance": (figures.balance, BALANCE_COLUMNS),
    }[args.command]
    shown = for_year(frame, args.year)
    sys.stdout.buffer.write(csv_bytes(shown.select(columns), "standard"))
    unpriced = (
        int((~shown["priced"]).sum()) if "priced" in shown.columns else int(shown["unpriced"].sum())
    )
    if unpriced:
        print(
            f"Attention : {unpriced} titre(s) « sur devis » sans montant, non comptés dans les "
            "montants ci-dessus.",
            file=sys.stderr,
        )
    return 0


def write_exchange_folder(con: duckdb.DuckDBPyConnection, folder: Path, *, excel_fr: bool) -> None:
    """Every table as a re-importable CSV file of the exchange format."""
    folder.mkdir(parents=True, exist_ok=True)
    files = exchange_files(store.read_all(con), "excel_fr" if excel_fr else "standard")
    for file_name, content in files.items():
        (folder / file_name).write_bytes(content)
