"""`calendar`, `remind` and `feed`: the deadlines as an iCalendar file, as e-mail reminders sent
once, and as a feed that calendar clients subscribe to."""

import argparse
import datetime as dt
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

import duckdb
import polars as pl

from spend import store
from spend.cli.commands import actor, parse_day
from spend.domain.conventions import convention_table
from spend.domain.deadlines import deadlines
from spend.domain.fees import EngineInputs
from spend.domain.figures import compute
from spend.exchange.seed import open_database
from spend.views.deadlines import described


def described_deadlines(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Every deadline of the database with its French texts."""
    return _described(store.load_inputs(con))


def _described(inputs: EngineInputs) -> pl.DataFrame:
    return described(deadlines(convention_table(inputs), compute(inputs).titles))


def calendar_from(inputs: EngineInputs, stored: Mapping[str, str]) -> bytes:
    """The iCalendar file of every deadline, named after the authority."""
    from spend.exchange.calendar import calendar_name, ics_bytes, uid_domain  # icalendar: here only

    return ics_bytes(_described(inputs), name=calendar_name(stored), domain=uid_domain(stored))


def calendar_file(con: duckdb.DuckDBPyConnection) -> bytes:
    return calendar_from(store.load_inputs(con), store.settings(con))


def calendar(args: argparse.Namespace, db: Path) -> int:
    with open_database(db) as con:
        content = calendar_file(con)
    if args.output:
        args.output.write_bytes(content)
        print(f"{content.count(b'BEGIN:VEVENT')} échéance(s) écrite(s) dans {args.output}")
    else:
        sys.stdout.buffer.write(content)
    return 0


def remind(args: argparse.Namespace, db: Path) -> int:
    """Send the reminders due on --today (default: today); 1 when they could not all go."""
    from spend.exchange.reminders import (  # ssl and smtplib: for this command only
        NOT_CONFIGURED,
        ReminderError,
        deliver,
        plan_reminders,
        record_run,
        smtp_config,
    )

    today = parse_day(args.today).date() if args.today else dt.date.today()
    author = actor(args)
    config = smtp_config()
    with open_database(db) as con:
        plan = plan_reminders(con, described_deadlines(con), today, config.sender if config else "")
    if not plan.messages:
        with open_database(db) as con:
            record_run(con, plan, None, actor=author)
        print(
            f"Rien à envoyer au {today:%d/%m/%Y} : aucune échéance nouvelle dans les délais "
            "de rappel."
        )
        return 0
    # The database is free while the SMTP server answers.
    try:
        if config is None:
            raise ReminderError(NOT_CONFIGURED)
        delivery = deliver(config, plan.messages)
    except ReminderError as error:
        with open_database(db) as con:
            record_run(con, plan, None, actor=author, failure=str(error).rstrip("."))
        print(
            f"{error} Rien n'est noté comme envoyé : la prochaine exécution réessaiera.",
            file=sys.stderr,
        )
        return 1
    with open_database(db) as con:
        result = record_run(con, plan, delivery, actor=author)
    print(
        f"{result.messages} message(s) envoyé(s) ({result.deadlines} échéance(s)) : "
        f"{', '.join(delivery.sent) or 'personne'}."
    )
    if delivery.failure:
        print(f"Envoi interrompu : {delivery.failure}.", file=sys.stderr)
        return 1
    return 0


def feed(args: argparse.Namespace, db: Path) -> int:
    from spend.cli.feed_server import serve

    if not db.exists():
        print(
            f"La base {db} est introuvable : le flux du calendrier n'a rien à servir.",
            file=sys.stderr,
        )
        return 1
    return serve(db, args.host, args.port, calendar_from)


def add_commands(
    commands: argparse._SubParsersAction,
    with_db: Callable[[argparse.ArgumentParser], argparse.ArgumentParser],
) -> None:
    """The three sub-commands, added to `python -m spend`."""
    ics = with_db(commands.add_parser("calendar", help="les échéances en iCalendar (.ics)"))
    ics.set_defaults(func=calendar)
    ics.add_argument("--output", type=Path, help="fichier .ics (défaut : sortie standard)")
    mail = with_db(
        commands.add_parser("remind", help="envoyer les rappels d'échéances par e-mail (cron)")
    )
    mail.set_defaults(func=remind)
    mail.add_argument(
        "--today", metavar="AAAA-MM-JJ", help="date de référence (défaut : aujourd'hui)"
    )
    served = with_db(
        commands.add_parser("feed", help="servir le flux du calendrier (abonnement par adresse)")
    )
    served.set_defaults(func=feed)
    served.add_argument("--port", type=int, default=8502, help="port (défaut : 8502)")
    served.add_argument("--host", default="127.0.0.1", help="adresse d'écoute (défaut : 127.0.0.1)")
