"""What each sub-command of `python -m spend` does, through the same code as the pages."""

import argparse
import datetime as dt
import getpass
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from spend import store
from spend.cli import authorities
from spend.domain.access import COMMAND_LINE, Actor, Role
from spend.domain.figures import Figures, compute, for_year
from spend.exchange.decp import DecpError, accepted_end_dates, decp_proposals, read_decp
from spend.exchange.demo import demo_source, write_demo
from spend.exchange.exports import csv_bytes
from spend.exchange.importer import import_folder, import_raw_tables
from spend.exchange.problems import ImportRefused
from spend.exchange.scdl import scdl_export
from spend.exchange.seed import seed_database
from spend.exchange.settings import check_values, with_defaults
from spend.exchange.undo import undo
from spend.exchange.worker import WorkerStopped, deliberation_seconds, run_bounded
from spend.exchange.writing import write_exchange
from spend.store.backend import database_url
from spend.store.backups import backup_dir, list_backups
from spend.store.journal import journal_frame
from spend.store.restore import backup_now, reset, restore

if TYPE_CHECKING:
    from spend.deliberations.model import DeliberationReading

FEE_COLUMNS = [
    "convention_id", "body_id", "year", "period_start", "period_end", "months",
    "amount_excl_tax", "vat", "amount_incl_tax", "issue_date", "due_date",
]  # fmt: skip  # several names to a line: a list, not a column
TOTAL_COLUMNS = ["body_id", "year", "amount_excl_tax", "vat", "amount_incl_tax", "unpriced"]
BALANCE_COLUMNS = ["operation_code", "imputation", "year", "credits", "committed", "balance"]


def read_deliberation(args: argparse.Namespace, db: Path) -> int:
    """A file: its reading, as a summary or --json. A folder (and its sub-folders): one JSON line
    per file, with the reading or the French error for that file, so that an archive is read in
    one pass; the exit code is 1 when any file could not be read. Each file is read in a bounded
    child process (`_read_bounded`)."""
    # Imported here: the other commands never pay for the reader.
    from spend.deliberations.model import DeliberationReadError
    from spend.deliberations.records import reading_summary

    if not args.file.is_dir():
        reading = _read_bounded(args.file)
        if args.json:
            print(json.dumps(reading.to_json_dict(), ensure_ascii=False, indent=2))
        else:
            print(reading_summary(reading))
        return 0
    files = sorted(
        path
        for path in args.file.rglob("*")
        if path.is_file() and not any(p.startswith(".") for p in path.relative_to(args.file).parts)
    )
    failed = 0
    for path in files:
        line: dict[str, object] = {"file": path.relative_to(args.file).as_posix()}
        try:
            line["reading"] = _read_bounded(path).to_json_dict()
        except DeliberationReadError as error:
            line["error"] = str(error)
            failed += 1
        print(json.dumps(line, ensure_ascii=False), flush=True)
    print(f"{len(files)} fichier(s) lu(s), dont {failed} illisible(s).", file=sys.stderr)
    return 1 if failed else 0


def _read_bounded(path: Path) -> "DeliberationReading":
    """A deliberation file read in a child process capped in memory and time (a PDF whose pages
    share one long content stream would keep the reader busy for an hour)."""
    from spend.deliberations.model import DeliberationReadError

    try:
        return run_bounded(
            "spend.deliberations.reader:read_deliberation_file",
            path,
            seconds=deliberation_seconds(),
        )
    except WorkerStopped as stopped:
        message = stopped.french(f"La lecture de « {path.name} » a été arrêtée") + "."
        raise DeliberationReadError(message) from None


def actor(args: argparse.Namespace) -> Actor:
    """Who writes from the command line: the operating-system user, or `--as NAME` (a script
    run by a service account names the person or job it acts for). A shell on the server can
    change the file anyway: its user has every right."""
    name = getattr(args, "actor", None) or getpass.getuser()
    return Actor(name, Role.ADMIN, COMMAND_LINE)


def journal(args: argparse.Namespace, db: Path) -> int:
    """The journal as CSV: id, at, actor, source, action, table, key, before, after."""
    since = parse_day(args.since) if args.since else None
    with store.connect(db, create=False) as con:
        entries = journal_frame(con, args.table, since)
    sys.stdout.buffer.write(csv_bytes(entries, "standard"))
    return 0


def parse_day(text: str) -> dt.datetime:
    for layout in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text.strip(), layout)
        except ValueError:
            continue
    raise store.StoreError(f"Date illisible « {text} » : AAAA-MM-JJ ou JJ/MM/AAAA attendu.")


def undo_entry(args: argparse.Namespace, db: Path) -> int:
    with store.connect(db, create=False) as con:
        result = undo(con, args.entry, actor=actor(args), and_after=args.after)
    print(
        f"Annulé : {result.entries} entrée(s) du journal, {result.rows} ligne(s) remise(s) "
        "dans leur état d'avant ; l'annulation est elle-même au journal."
    )
    return 0


def init(args: argparse.Namespace, db: Path) -> int:
    """The only command that creates a database."""
    if database_url() is not None:  # an authority on the PostgreSQL server
        return authorities.init(args)
    if getattr(args, "from_file", None) is not None:
        print(
            "--from transfère une base DuckDB dans une collectivité du serveur PostgreSQL : "
            "donnez SPEND_DATABASE_URL=postgresql://… et --authority ID ; rien n'a été créé.",
            file=sys.stderr,
        )
        return 1
    if db.exists() and not args.force:
        print(f"La base {db} existe déjà (--force pour la recréer).", file=sys.stderr)
        return 1
    if not db.exists() and not args.force and (earlier := _earlier_backups(db)):
        print(earlier, file=sys.stderr)
        return 1
    safety = reset(db, None if args.empty else seed_database)
    if safety is not None:
        print(f"Sauvegarde de l'ancienne base : {safety.path}")
    print(f"Base créée : {db}" + (" (vide)" if args.empty else " (jeu initial chargé)"))
    return 0


def _earlier_backups(db: Path) -> str | None:
    """What to say when backups of an earlier database lie where a new one would go."""
    found = list_backups(db)
    if not found:
        return None
    return (
        f"La base {db} est introuvable, mais {len(found)} sauvegarde(s) d'une base précédente "
        f"sont à côté d'elle (la dernière : {found[0].name}). Pour la remettre en place, avec "
        f"les écritures faites depuis : python -m spend restore --db {db} ; pour créer quand "
        "même une base nouvelle (les sauvegardes de l'ancienne sont gardées) : --force."
    )


def backup(args: argparse.Namespace, db: Path) -> int:
    if database_url() is not None:  # pg_dump of the authority: spend/cli/authorities.py
        return authorities.backup(args)
    made = backup_now(db, "manuelle")
    print(f"Sauvegarde : {made.path}")
    return 0


def backups(args: argparse.Namespace, db: Path) -> int:
    """The backups of the database, the newest first, one per line."""
    if database_url() is not None:  # pg_dump of the authority: spend/cli/authorities.py
        return authorities.list_backups(args)
    found = list_backups(db)
    if not found:
        print(f"Aucune sauvegarde de {db} (dossier {backup_dir(db)}).", file=sys.stderr)
        return 0
    for item in found:
        print(f"{item.taken_at:%d/%m/%Y %H:%M:%S}  {item.path}")
    return 0


def restore_backup(args: argparse.Namespace, db: Path) -> int:
    if database_url() is not None:  # pg_dump of the authority: spend/cli/authorities.py
        return authorities.restore(args, actor(args))
    used, safety = restore(db, args.file, actor=actor(args), until=args.until)
    if safety is not None:
        print(f"Sauvegarde de la base remplacée : {safety.path}")
    else:
        print("La base remplacée ne s'ouvrait pas (ou n'existait plus) : rien à sauvegarder.")
    print(f"Base restaurée depuis {used}")
    return 0


def count(text: str) -> int:
    """A number of rows for argparse: a whole number, 0 or more (« 100000 » or « 100_000 »)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"nombre entier attendu : {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"nombre positif ou nul attendu : {text}")
    return value


def demo(args: argparse.Namespace, db: Path) -> int:
    """A new database filled with synthetic data; an existing file is never touched."""
    if db.exists() or _earlier_backups(db):
        print(
            f"La base {db} existe déjà, ou des sauvegardes d'une base précédente sont à côté "
            "d'elle : la démonstration s'écrit dans une base nouvelle (choisissez un autre --db).",
            file=sys.stderr,
        )
        return 1
    try:
        with store.connect(db, create=True) as con:
            write_demo(con, args.conventions, args.seed, actor(args))
    except BaseException:
        db.unlink(missing_ok=True)  # no half-written demo left behind
        raise
    print(f"Base de démonstration créée : {db} — {demo_source(args.conventions, args.seed)}.")
    return 0


def import_files(args: argparse.Namespace, db: Path) -> int:
    """Into the database; a first import may start an empty one, never where backups of an
    earlier database lie (`store.connect`'s default)."""
    is_new = not db.exists()
    try:
        with store.connect(db) as con:
            result = import_folder(
                con, args.folder, actor=actor(args), source=f"import {args.folder.name}"
            )
    except ImportRefused:
        if is_new:  # a refused import leaves no trace, not even an empty database
            db.unlink(missing_ok=True)
        raise
    print(result.summary())
    return 0


def export(args: argparse.Namespace, db: Path) -> int:
    """A workbook for PATH.xlsx, a zip for PATH.zip, a folder otherwise."""
    with store.connect(db, create=False) as con:
        kind = write_exchange(con, args.folder, excel_fr=args.excel_fr)
    what = {"workbook": "Classeur écrit :", "zip": "Archive écrite :", "folder": "Exporté dans"}
    print(f"{what[kind]} {args.folder}")
    return 0


def scdl(args: argparse.Namespace, db: Path) -> int:
    """The open-data file: only rows the validators accept; what is left out said on stderr."""
    with store.connect(db, create=False) as con:
        deliberations, settings = store.read_table(con, "deliberations"), store.settings(con)
    export = scdl_export(deliberations, settings)
    for line in (*export.problems, *export.notices):
        print(f"Attention : {line}", file=sys.stderr)
    content = export.csv_bytes()
    if args.output:
        args.output.write_bytes(content)
        print(
            f"{export.published.height} délibération(s) écrite(s) dans {args.output}"
            + (
                f" ; {export.frame.height - export.published.height} laissée(s) de côté."
                if export.published.height < export.frame.height
                else ""
            )
        )
    else:
        sys.stdout.buffer.write(content)
    return 0


def settings(args: argparse.Namespace, db: Path) -> int:
    """Without NAME=VALUE: every setting as `name;value`. With: set them, through the checks,
    rights and journal of the Administration page; nothing is changed when one is refused."""
    typed: dict[str, str] = {}
    for item in args.assignments:
        name, equals, value = item.partition("=")
        if not equals or not name.strip():
            print(f"« {item} » : NOM=VALEUR attendu (vat_rate=5,5).", file=sys.stderr)
            return 2
        typed[name.strip()] = value
    if not typed:
        with store.connect(db, create=False) as con:
            current = with_defaults(store.settings(con))
        for name, value in current.items():
            print(f"{name};{value}")
        return 0
    cleaned, problems = check_values(typed)
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        print("Paramètres refusés : rien n'a été modifié.", file=sys.stderr)
        return 1
    with store.connect(db, create=False) as con:
        store.update_settings(con, cleaned, actor=actor(args), source="ligne de commande")
    for name, value in cleaned.items():
        print(f"{name};{value}")
    return 0


def decp(args: argparse.Namespace, db: Path) -> int:
    """The agreements' end dates a DECP file proposes, as CSV; with --apply, those accepted are
    written through the import's checks and journal."""
    try:
        rows = read_decp(args.file)
    except DecpError as error:
        print(error, file=sys.stderr)
        return 1
    with store.connect(db, create=False) as con:
        agreements = store.read_table(con, "agreements")
        proposals = decp_proposals(rows, agreements, store.read_table(con, "bodies"))
        if not args.apply:
            sys.stdout.buffer.write(csv_bytes(proposals, "standard"))
            if proposals.is_empty():
                print(
                    "Aucun accord-cadre trouvé dans ce fichier (SIRET de la centrale et "
                    "référence de l'accord-cadre).",
                    file=sys.stderr,
                )
            return 0
        try:
            accepted = accepted_end_dates(proposals, agreements, args.apply)
        except DecpError as error:
            print(error, file=sys.stderr)
            return 1
        result = import_raw_tables(
            con, [accepted.raw_table()], actor=actor(args), source=f"DECP {args.file.name}"
        )
    print(result.summary())
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


def _figures(db: Path) -> Figures:
    with store.connect(db, create=False) as con:
        return compute(store.load_inputs(con))


def _print_csv(frame, unpriced: int) -> None:
    """The frame in the exchange format on stdout; unknown amounts said on stderr."""
    sys.stdout.buffer.write(csv_bytes(frame, "standard"))
    if unpriced:
        print(
            f"Attention : {unpriced} titre(s) « sur devis » sans montant, non comptés dans les "
            "montants ci-dessus.",
            file=sys.stderr,
        )
