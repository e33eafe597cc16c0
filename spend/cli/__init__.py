"""`python -m spend`: the dashboard's figures and data from a shell, through the same code."""

import argparse
import logging
import sys
from pathlib import Path

from spend import store
from spend.cli import authorities, budget_cycle, commands, deadlines
from spend.cli.french import use_french
from spend.deliberations.model import DeliberationReadError
from spend.domain.french import thousands
from spend.exchange.problems import ImportRefused
from spend.paths import default_db_path


def _parser() -> argparse.ArgumentParser:
    use_french()
    parser = argparse.ArgumentParser(
        prog="python -m spend",
        description="Cotisations des centrales d'achat et crédits budgétaires.",
    )
    subcommands = parser.add_subparsers(dest="command", required=True, metavar="commande")

    def with_db(sub: argparse.ArgumentParser) -> argparse.ArgumentParser:
        sub.add_argument("--db", type=Path, help="base DuckDB (défaut : $SPEND_DB ou data/)")
        authorities.add_option(sub)  # PostgreSQL's schemas: spend/cli/authorities.py
        sub.add_argument(
            "--as",
            dest="actor",
            metavar="NOM",
            help="l'auteur des écritures dans le journal (défaut : l'utilisateur du système)",
        )
        return sub

    init = with_db(subcommands.add_parser("init", help="créer la base (avec le jeu initial)"))
    init.set_defaults(func=commands.init)
    init.add_argument("--empty", action="store_true", help="base vide, sans jeu initial")
    init.add_argument(
        "--force", action="store_true", help="recréer une base existante (après une sauvegarde)"
    )
    init.add_argument(
        "--from",
        dest="from_file",
        type=Path,
        metavar="FICHIER.duckdb",
        help="avec --authority : transférer une base DuckDB (données, paramètres, droits, "
        "journal) dans la collectivité",
    )
    save = with_db(subcommands.add_parser("backup", help="sauvegarder la base (copie datée)"))
    save.set_defaults(func=commands.backup)
    listing = with_db(subcommands.add_parser("backups", help="lister les sauvegardes"))
    listing.set_defaults(func=commands.backups)
    back = with_db(
        subcommands.add_parser("restore", help="remettre une sauvegarde (la dernière par défaut)")
    )
    back.set_defaults(func=commands.restore_backup)
    back.add_argument(
        "file", type=Path, nargs="?", metavar="sauvegarde", help="fichier de sauvegarde"
    )
    back.add_argument(
        "--until",
        type=int,
        metavar="ÉCRITURE",
        help="rejouer le journal des sauvegardes jusqu'à cette écriture (n° write_id) incluse",
    )
    imp = with_db(
        subcommands.add_parser(
            "import", help="importer un dossier de fichiers CSV, un zip ou un classeur XLSX"
        )
    )
    imp.set_defaults(func=commands.import_files)
    imp.add_argument("folder", type=Path)
    exp = with_db(
        subcommands.add_parser(
            "export", help="exporter toutes les tables : classeur (.xlsx), zip (.zip) ou dossier"
        )
    )
    exp.set_defaults(func=commands.export)
    exp.add_argument("folder", type=Path, metavar="chemin")
    exp.add_argument("--excel-fr", action="store_true", help="CSV pour Excel en français")
    read = subcommands.add_parser(
        "read-deliberation", help="lire une délibération (texte ou PDF) ou tout un dossier"
    )
    read.set_defaults(func=commands.read_deliberation)
    read.add_argument(
        "file", type=Path, metavar="chemin", help="fichier, ou dossier : une ligne JSON par fichier"
    )
    read.add_argument("--json", action="store_true", help="sortie JSON (pour un fichier)")
    scdl = with_db(
        subcommands.add_parser("scdl", help="délibérations au format SCDL (données ouvertes)")
    )
    scdl.set_defaults(func=commands.scdl)
    setting = with_db(
        subcommands.add_parser(
            "settings", help="lister les paramètres, ou en modifier (NOM=VALEUR)"
        )
    )
    setting.set_defaults(func=commands.settings)
    setting.add_argument(
        "assignments", nargs="*", metavar="NOM=VALEUR", help="vat_rate=5,5 collectivity_siret=…"
    )
    decp = with_db(
        subcommands.add_parser("decp", help="dates de fin des accords-cadres d'après les DECP")
    )
    decp.set_defaults(func=commands.decp)
    decp.add_argument(
        "file",
        type=Path,
        metavar="fichier",
        help="DECP consolidé (CSV, Parquet) ou DECP 2.0 (JSON)",
    )
    decp.add_argument(
        "--apply", nargs="+", metavar="ACCORD", help="enregistrer la date proposée de ces accords"
    )
    journal = with_db(subcommands.add_parser("journal", help="le journal des écritures, en CSV"))
    journal.set_defaults(func=commands.journal)
    journal.add_argument("--table", help="une seule table (bodies, conventions…)")
    journal.add_argument("--since", help="depuis une date (AAAA-MM-JJ ou JJ/MM/AAAA)")
    back_out = with_db(subcommands.add_parser("undo", help="annuler une entrée du journal"))
    back_out.set_defaults(func=commands.undo_entry)
    back_out.add_argument("entry", type=int, metavar="ID", help="le numéro de l'entrée")
    back_out.add_argument(
        "--after", action="store_true", help="et toutes les entrées qui la suivent"
    )
    scdl.add_argument("--output", type=Path, help="fichier CSV (défaut : sortie standard)")
    demo = subcommands.add_parser(
        "demo", help="créer une base de démonstration synthétique, de la taille voulue"
    )
    demo.set_defaults(func=commands.demo)
    demo.add_argument(
        "--db", type=Path, required=True, metavar="base", help="nouvelle base DuckDB à créer"
    )
    demo.add_argument(
        "--conventions",
        type=commands.count,
        required=True,
        metavar="nombre",
        help="nombre de conventions",
    )
    demo.add_argument(
        "--seed", type=int, default=2022, metavar="graine", help="graine (défaut : 2022)"
    )
    for name, text, func in (
        ("fees", "titres de cotisation", commands.fees),
        ("totals", "totaux par centrale et exercice", commands.totals),
        ("balance", "solde par ligne budgétaire et exercice", commands.balance),
    ):
        sub = with_db(subcommands.add_parser(name, help=text))
        sub.set_defaults(func=func)
        sub.add_argument("--year", type=int, help="un seul exercice")
    deadlines.add_commands(subcommands, with_db)
    budget_cycle.add_commands(subcommands, with_db)
    authorities.add_commands(subcommands)
    return parser


def main(argv: list[str] | None = None) -> int:
    # pypdf logs in English about damaged files; the reader says it in French already.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    args = _parser().parse_args(argv)
    db: Path = getattr(args, "db", None) or default_db_path()
    try:
        authorities.choose(args)
        return args.func(args, db)
    except ImportRefused as refused:
        for line in refused.lines():
            print(line, file=sys.stderr)
        print(
            f"Import refusé : {thousands(refused.count)} problème(s), rien n'a été enregistré.",
            file=sys.stderr,
        )
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
    except KeyboardInterrupt:
        print("Interrompu.", file=sys.stderr)
        return 130
    except Exception as error:  # the last resort: a French sentence, never a traceback
        logging.getLogger("spend").debug("erreur inattendue", exc_info=True)
        print(
            "Erreur inattendue : la commande s'est arrêtée ; une écriture en cours n'a pas été "
            f"enregistrée (détail technique : {type(error).__name__} : {error}).",
            file=sys.stderr,
        )
        return 1
