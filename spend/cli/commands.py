"""What each sub-command of `python -m spend` does, through the same code as the pages."""

import argparse
import json
import sys
from pathlib import Path

from spend import store
from spend.deliberations.reader import read_deliberation_file
from spend.deliberations.records import reading_summary
from spend.domain.figures import compute, for_year
from spend.exchange.exports import csv_bytes
from spend.exchange.importer import import_folder
from spend.exchange.problems import ImportRefused
from spend.exchange.scdl import collectivity, scdl_csv_bytes, scdl_frame, scdl_problems
from spend.exchange.seed import open_database, seed_database
from spend.exchange.writing import write_exchange_folder

FEE_COLUMNS = [
    "convention_id", "body_id", "year", "period_start", "period_end", "months",
    "amount_excl_tax", "vat", "amount_incl_tax", "issue_date", "due_date",
]  # fmt: skip
TOTAL_COLUMNS = ["body_id", "year", "amount_excl_tax", "vat", "amount_incl_tax", "unpriced"]
BALANCE_COLUMNS = ["operation_code", "imputation", "year", "credits", "committed", "balance"]


def read_deliberation(args: argparse.Namespace, db: Path) -> int:
    reading = read_deliberation_file(args.file)
    if args.json:
        print(json.dumps(reading.to_json_dict(), ensure_ascii=False, indent=2))
    else:
        print(reading_summary(reading))
    return 0


def init(args: argparse.Namespace, db: Path) -> int:
    if db.exists() and not args.force:
        print(f"La base {db} existe déjà (--force pour la recréer).", file=sys.stderr)
        return 1
    if db.exists():
        db.unlink()
    with store.connect(db) as con:
        if not args.empty:
            seed_database(con)
    print(f"Base créée : {db}" + (" (vide)" if args.empty else " (jeu initial chargé)"))
    return 0


def import_files(args: argparse.Namespace, db: Path) -> int:
    is_new = not db.exists()
    try:
        with open_database(db, seed_if_new=False) as con:
            result = import_folder(con, args.folder, source=f"import {args.folder.name}")
    except ImportRefused:
        if is_new:  # a refused import leaves no trace, not even an empty database
            db.unlink(missing_ok=True)
        raise
    print(result.summary())
    return 0


def export(args: argparse.Namespace, db: Path) -> int:
    with open_database(db) as con:
        write_exchange_folder(con, args.folder, excel_fr=args.excel_fr)
    print(f"Exporté dans {args.folder}")
    return 0


def scdl(args: argparse.Namespace, db: Path) -> int:
    with open_database(db) as con:
        deliberations, settings = store.read_table(con, "deliberations"), store.settings(con)
    frame = scdl_frame(deliberations, **collectivity(settings))
    for problem in scdl_problems(frame):
        print(f"Attention : {problem}", file=sys.stderr)
    content = scdl_csv_bytes(frame)
    if args.output:
        args.output.write_bytes(content)
        print(f"{frame.height} délibération(s) écrite(s) dans {args.output}")
    else:
        sys.stdout.buffer.write(content)
    return 0


def fees(args: argparse.Namespace, db: Path) -> int:
    titles = for_year(_figures(db).titles, args.year)
    _print_csv(titles.select(FEE_COLUMNS), int((~titles["priced"]).sum()))
    return 0


def totals(args: argparse.Namespace, db: Path) -> int:
    shown = for_year(_figures(db).totals, args.year)
    _print_csv(shown.select(TOTAL_COLUMNS), int(shown["unpriced"].sum()))
    return 0


def balance(args: argparse.Namespace, db: Path) -> int:
    shown = for_year(_figures(db).balance, args.year)
    _print_csv(shown.select(BALANCE_COLUMNS), int(shown["unpriced"].sum()))
    return 0


def _figures(db: Path):
    return compute(store.load_inputs(open_database(db)))


def _print_csv(frame, unpriced: int) -> None:
    """The frame in the exchange format on stdout; unknown amounts said on stderr."""
    sys.stdout.buffer.write(csv_bytes(frame, "standard"))
    if unpriced:
        print(
            f"Attention : {unpriced} titre(s) « sur devis » sans montant, non comptés dans les "
            "montants ci-dessus.",
            file=sys.stderr,
        )
