"""E-mail reminders of deadlines: their settings, the SMTP server, what is due, sent once.

A run (`python -m spend remind`, from cron or a systemd timer) sends each person named in
`reminder_to` one French message listing the deadlines within their kind's lead time that this
person has not been sent yet; each (deadline, kind, date) sent is recorded per person, so a
second run the same day sends nothing and a deadline whose date moved is sent again. The
database is held only to read what is due and to record what went: never while the SMTP
server answers. A server that cannot be reached records nothing as sent.

The SMTP server and its credentials live outside the database: `[smtp]` of
.streamlit/secrets.toml, or the environment (SMTP_HOST, SMTP_PORT, SMTP_FROM, SMTP_USER,
SMTP_PASSWORD), the environment first.
"""

import datetime as dt
import os
import smtplib
import ssl
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

import duckdb
import polars as pl

from spend.domain.access import Actor
from spend.domain.deadlines import due_for_reminder
from spend.exchange.settings import REMINDER_SETTING_NAMES, SETTINGS, check_values
from spend.paths import ROOT
from spend.store.database import StoreError, load_query, query, settings
from spend.store.journal import append, event
from spend.store.writes import transaction

# --- settings (kept in the database, declared in the one settings table) ----------------------

REMINDER_SETTINGS = tuple(SETTINGS[name] for name in REMINDER_SETTING_NAMES)
LEAD_SETTINGS = {
    "notice": "reminder_days_notice",
    "end": "reminder_days_end",
    "payment": "reminder_days_payment",
}


def check_reminder_settings(values: Mapping[str, str]) -> tuple[dict[str, str], list[str]]:
    """The cleaned values of the reminder settings given, or the French problems."""
    return check_values({n: values[n] for n in REMINDER_SETTING_NAMES if n in values})


@dataclass(frozen=True)
class ReminderSettings:
    recipients: list[str]
    lead_days: dict[str, int]


def reminder_settings(stored: Mapping[str, str]) -> ReminderSettings:
    """The settings in force: the stored ones, each unreadable or missing one at its default."""
    values = {}
    for setting in REMINDER_SETTINGS:
        try:
            values[setting.name] = setting.check(stored.get(setting.name, setting.default))
        except ValueError:
            values[setting.name] = setting.default
    recipients = [a for a in values["reminder_to"].split(", ") if a]
    leads = {kind: int(values[name]) for kind, name in LEAD_SETTINGS.items()}
    return ReminderSettings(recipients, leads)


# --- the SMTP server (outside the database) ----------------------------------------------------


class ReminderError(StoreError):
    """A reminder that cannot be sent, said in French (the command line says a StoreError
    and exits with 1)."""


SECRETS_FILE = ROOT / ".streamlit" / "secrets.toml"
SMTP_KEYS = ("smtp_host", "smtp_port", "smtp_from", "smtp_user", "smtp_password")
NOT_CONFIGURED = (
    "Serveur d'envoi non configuré : renseignez smtp_host et smtp_from dans la section [smtp] "
    "de .streamlit/secrets.toml (ou les variables SMTP_HOST et SMTP_FROM)."
)


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    sender: str
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout: float = 20.0


def smtp_config(
    environ: Mapping[str, str] | None = None, secrets_file: Path | None = None
) -> SmtpConfig | None:
    """The SMTP server from the environment, else `[smtp]` of the secrets file; None when
    neither names a host and a sender."""
    environ = os.environ if environ is None else environ
    path = secrets_file or Path(environ.get("SPEND_SECRETS_FILE", SECRETS_FILE))
    section: dict = {}
    if path.is_file():
        try:
            section = tomllib.loads(path.read_text(encoding="utf-8")).get("smtp", {})
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            raise ReminderError(f"Fichier {path} illisible : {error}.") from None
    values = {}
    for key in SMTP_KEYS:
        short = key.removeprefix("smtp_")
        found = environ.get(key.upper()) or section.get(key) or section.get(short)
        values[short] = str(found) if found not in (None, "") else None
    if not values["host"] or not values["from"]:
        return None
    try:
        port = int(values["port"] or 587)
    except ValueError:
        raise ReminderError(f"Port SMTP illisible « {values['port']} ».") from None
    return SmtpConfig(values["host"], port, values["from"], values["user"], values["password"])


def _connect(config: SmtpConfig) -> smtplib.SMTP:
    """A connection, encrypted: implicit TLS on port 465, else STARTTLS when offered."""
    context = ssl.create_default_context()
    if config.port == 465:
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(
            config.host, config.port, timeout=config.timeout, context=context
        )
    else:
        smtp = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
    try:
        smtp.ehlo()
        if smtp.has_extn("starttls"):
            smtp.starttls(context=context)
            smtp.ehlo()
        if config.user:
            smtp.login(config.user, config.password or "")
    except BaseException:
        smtp.close()
        raise
    return smtp


def _french(error: BaseException, config: SmtpConfig) -> str:
    where = f"{config.host}:{config.port}"
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return f"le serveur d'envoi {where} refuse l'identifiant ou le mot de passe (smtp_user)"
    if isinstance(error, ssl.SSLError | ssl.CertificateError):
        return f"la connexion chiffrée avec {where} a échoué (certificat : {error})"
    if isinstance(error, TimeoutError):
        return f"le serveur d'envoi {where} ne répond pas (délai dépassé)"
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return f"le serveur d'envoi {where} refuse le destinataire"
    if isinstance(error, smtplib.SMTPSenderRefused):
        return f"le serveur d'envoi {where} refuse l'expéditeur {config.sender}"
    if isinstance(error, smtplib.SMTPException):
        return f"le serveur d'envoi {where} a refusé le message ({error})"
    return (
        f"le serveur d'envoi {where} est injoignable ({getattr(error, 'strerror', None) or error})"
    )


@dataclass
class Delivery:
    """Who received their message, and what stopped the others."""

    sent: list[str]
    failure: str | None = None


def deliver(config: SmtpConfig, messages: list[EmailMessage]) -> Delivery:
    """Send the messages over one connection. One that cannot be opened raises ReminderError
    (nothing went); one that breaks midway leaves the earlier messages sent."""
    try:
        smtp = _connect(config)
    except (OSError, smtplib.SMTPException) as error:
        raise ReminderError(f"Aucun message envoyé : {_french(error, config)}.") from None
    delivery = Delivery([])
    try:
        for message in messages:
            smtp.send_message(message)
            delivery.sent.append(str(message["To"]))
    except (OSError, smtplib.SMTPException) as error:
        delivery.failure = _french(error, config)
    finally:
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()
    return delivery


# --- a run: what is due, the messages, what went ----------------------------------------------


SENT_SCHEMA = {
    "recipient": pl.String,
    "kind": pl.String,
    "deadline_key": pl.String,
    "deadline_date": pl.Date,
}


@dataclass(frozen=True)
class Plan:
    """What a run will send: one message per person, and each person's deadlines."""

    today: dt.date
    messages: list[EmailMessage]
    rows: pl.DataFrame  # recipient, kind, deadline_key, deadline_date
    deadlines: int

    @property
    def recipients(self) -> list[str]:
        return [str(m["To"]) for m in self.messages]


SUBJECT = "Échéances des adhésions aux centrales d'achat : {count} à surveiller"
INTRO = (
    "Bonjour,\n\nVoici les échéances des adhésions aux centrales d'achat{of} à surveiller, "
    "au {today} :\n\n"
)
OUTRO = (
    "\n\nChaque échéance n'est rappelée qu'une fois (de nouveau si sa date change) : les préavis "
    "{notice} jours avant, les fins {end} jours avant, les paiements {payment} jours avant.\n"
    "Message automatique du tableau de bord des cotisations ; le détail est sur sa page "
    "« Vue d'ensemble ».\n"
)


def _message(sender: str, to: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message.set_content(body)
    return message


def plan_reminders(
    con: duckdb.DuckDBPyConnection, described: pl.DataFrame, today: dt.date, sender: str
) -> Plan:
    """The messages of a run on `today`: the deadlines (with their French `line`, from
    views.deadlines.described) within their lead time, less those each person had already."""
    stored = settings(con)
    chosen = reminder_settings(stored)
    if not chosen.recipients:
        raise ReminderError(
            "Aucun destinataire : renseignez reminder_to (adresses séparées par des virgules)."
        )
    due = due_for_reminder(described, today, chosen.lead_days)
    already = query(con, "read_reminders_sent").select(
        "recipient", "kind", "deadline_key", pl.col("deadline_date").alias("date")
    )
    pending = (
        pl.DataFrame({"recipient": chosen.recipients})
        .join(due, how="cross")
        .join(already, on=["recipient", "kind", "deadline_key", "date"], how="anti")
        .sort("recipient", "date", "kind", "deadline_key")
    )
    name = stored.get("collectivity_name", "").strip()
    messages = []
    for (recipient,), rows in pending.group_by("recipient", maintain_order=True):
        body = (
            INTRO.format(of=f" de {name}" if name else "", today=f"{today:%d/%m/%Y}")
            + "\n".join(rows["line"].to_list())
            + OUTRO.format(**chosen.lead_days)
        )
        subject = SUBJECT.format(count=rows.height)
        messages.append(_message(sender, str(recipient), subject, body))
    return Plan(
        today,
        messages,
        pending.select("recipient", "kind", "deadline_key", pl.col("date").alias("deadline_date")),
        pending["deadline_key"].n_unique(),
    )


@dataclass(frozen=True)
class RunResult:
    status: str
    messages: int
    deadlines: int
    detail: str


def record_run(
    con: duckdb.DuckDBPyConnection,
    plan: Plan,
    delivery: Delivery | None,
    *,
    actor: Actor,
    failure: str | None = None,
    status: str | None = None,
) -> RunResult:
    """Record a run: the reminders that went (per person), and the run itself, journaled.
    No backup: nothing the figures depend on changes."""
    sent_to = set(delivery.sent) if delivery else set()
    sent = plan.rows.filter(pl.col("recipient").is_in(sorted(sent_to)))
    failure = failure or (delivery.failure if delivery else None)
    if status is None:
        status = "échec" if failure else ("envoyé" if sent_to else "rien à envoyer")
    if failure:
        detail = f"{failure} ; envoyé à : {', '.join(sorted(sent_to)) or 'personne'}"
    elif sent_to:
        detail = f"envoyé à : {', '.join(sorted(sent_to))}"
    else:
        detail = "aucune échéance nouvelle dans les délais de rappel"
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    result = RunResult(status, len(sent_to), sent["deadline_key"].n_unique(), detail)
    with transaction(
        con, actor=actor, action="rappels", source="rappels par e-mail", detail=detail, backup=False
    ) as (cursor, write):
        run_id = int(cursor.sql(load_query("next_reminder_run")).fetchall()[0][0])
        if not sent.is_empty():
            cursor.register("sent_rows", sent)
            cursor.execute(load_query("record_reminders_sent"), {"sent_at": now, "run_id": run_id})
            cursor.unregister("sent_rows")
        cursor.execute(
            load_query("record_reminder_run"),
            {
                "run_id": run_id,
                "started_at": now,
                "actor": actor.name,
                "reference_date": plan.today,
                "status": status,
                "messages": result.messages,
                "deadlines": result.deadlines,
                "detail": detail,
            },
        )
        append(
            cursor,
            event(write, f"rappels du {plan.today:%d/%m/%Y} : {status}, {detail}"),
            load_query("append_journal"),
        )
    return result


def last_runs(con: duckdb.DuckDBPyConnection, limit: int = 20) -> pl.DataFrame:
    return query(con, "read_reminder_runs", limit=limit)


TEST_SUBJECT = "Essai des rappels d'échéances du tableau de bord des cotisations"
TEST_BODY = (
    "Bonjour,\n\nCeci est un message d'essai : les rappels d'échéances (préavis, fins de "
    "convention, paiements) vous parviendront à cette adresse.\n"
)


def trial_plan(recipients: list[str], sender: str, today: dt.date) -> Plan:
    """A test message to each recipient, listing no deadline (so recording none)."""
    messages = [_message(sender, to, TEST_SUBJECT, TEST_BODY) for to in recipients]
    return Plan(today, messages, pl.DataFrame(schema=SENT_SCHEMA), 0)
