"""Deadlines on the pages: the Overview's counts and calendar download, and the Administration
tab of the reminders (settings, a test message, the last runs) and of the calendar feed."""

import datetime as dt

import polars as pl
import streamlit as st

from spend import store
from spend.domain.access import AccessRefused, Actor
from spend.domain.deadlines import counted, deadlines
from spend.domain.french import paris_time
from spend.exchange import feed
from spend.exchange.calendar import calendar_name, ics_bytes, uid_domain
from spend.exchange.reminders import (
    REMINDER_SETTINGS,
    ReminderError,
    SmtpConfig,
    check_reminder_settings,
    deliver,
    last_runs,
    record_run,
    reminder_settings,
    smtp_config,
    trial_plan,
)
from spend.ui.cache import (
    after_write,
    cached_baseline,
    cached_conventions,
    cached_settings,
    data_version,
    session,
)
from spend.ui.widgets import Download, download_row, table
from spend.views.deadlines import deadline_table, described, runs_table
from spend.views.formatting import inert, thousands

ICS = "text/calendar"
COUNT_LABELS = {
    "notice_7": "Préavis dans les 7 jours",
    "notice_30": "Préavis dans les 30 jours",
    "end_90": "Fins de convention dans les 90 jours",
}


@st.cache_resource(show_spinner=False, max_entries=2)
def cached_deadlines(version: str) -> pl.DataFrame:
    """Every deadline of the recorded data, with its French texts."""
    return described(deadlines(cached_conventions(version), cached_baseline(version).titles))


def calendar_bytes(version: str) -> bytes:
    stored = cached_settings(version)
    return ics_bytes(
        cached_deadlines(version), name=calendar_name(stored), domain=uid_domain(stored)
    )


def deadline_counts(version: str, today: dt.date) -> None:
    """Notices within 7 and 30 days, convention ends within 90: each count opens its list;
    then the calendar of every deadline to download."""
    st.subheader("Échéances à venir")
    found = counted(cached_deadlines(version), today)
    for column, (name, frame) in zip(st.columns(len(found)), found.items(), strict=True):
        with column.popover(
            f"{COUNT_LABELS[name]} : **{thousands(frame.height)}**", width="stretch"
        ):
            if frame.is_empty():
                st.caption(f"Aucune échéance de ce type au {today:%d/%m/%Y}.")
            else:
                table(deadline_table(frame), key=f"deadlines_{name}", file_stem=f"echeances_{name}")
    download_row(
        [
            Download(
                "Calendrier des échéances (.ics)",
                lambda: calendar_bytes(version),
                "echeances.ics",
                ICS,
                "Préavis, fins de convention et d'accord-cadre, paiements des titres : un "
                "événement d'une journée par échéance, à importer dans un agenda.",
            )
        ],
        key="overview_calendar",
    )


# --- the Administration tab --------------------------------------------------------------------


def reminders_tab(actor: Actor) -> None:
    """Reminder settings, the SMTP server, a test message, the last runs, the calendar feed."""
    if message := st.session_state.pop("reminders_message", None):
        st.success(message, icon=":material/check_circle:")
    _settings_form(actor)
    _server(actor)
    _feed(actor)


def _settings_form(actor: Actor) -> None:
    st.markdown(
        "**Rappels par e-mail.** `python -m spend remind`, lancé chaque jour (cron ou minuterie "
        "systemd), envoie à chaque destinataire un message listant les échéances entrées dans "
        "leur délai de rappel, une seule fois chacune (de nouveau si sa date change)."
    )
    stored = cached_settings(data_version())
    typed = {
        s.name: st.text_input(s.label, value=stored.get(s.name, s.default), key=f"admin_{s.name}")
        for s in REMINDER_SETTINGS
    }
    if st.button("Enregistrer les réglages des rappels", key="admin_reminders_save"):
        values, problems = check_reminder_settings(typed)
        for problem in problems:
            st.error(inert(problem), icon=":material/block:")
        if not problems:
            _write(
                lambda con: store.update_settings(con, values, actor=actor, source="rappels"),
                "Réglages des rappels enregistrés.",
            )


def _server(actor: Actor) -> None:
    try:
        config = smtp_config()
    except ReminderError as error:
        st.error(inert(str(error)), icon=":material/block:")
        return
    if config is None:
        st.info(
            "Serveur d'envoi non configuré : section [smtp] de .streamlit/secrets.toml "
            "(smtp_host, smtp_port, smtp_from, smtp_user, smtp_password) ou variables "
            "d'environnement SMTP_HOST, SMTP_PORT, SMTP_FROM, SMTP_USER, SMTP_PASSWORD.",
            icon=":material/mail:",
        )
    else:
        who = f", identifiant {config.user}" if config.user else ""
        st.caption(
            inert(
                f"Serveur d'envoi : {config.host}:{config.port}, expéditeur {config.sender}{who}."
            )
        )
    recipients = reminder_settings(cached_settings(data_version())).recipients
    if (
        st.button(
            "Envoyer un message d'essai",
            key="admin_reminders_test",
            disabled=config is None or not recipients,
            help="Un message d'essai à chaque destinataire des rappels.",
        )
        and config is not None
    ):
        _send_trial(config, recipients, actor)
    st.markdown("**Dernières exécutions**")
    with session() as con:
        runs = last_runs(con)
    if runs.is_empty():
        st.caption("Aucun rappel envoyé pour l'instant.")
    else:
        table(runs_table(runs), key="admin_reminder_runs", file_stem="rappels")


def _send_trial(config: SmtpConfig, recipients: list[str], actor: Actor) -> None:
    plan = trial_plan(recipients, config.sender, dt.date.today())
    try:
        delivery = deliver(config, plan.messages)
    except ReminderError as error:
        with session() as con:
            record_run(con, plan, None, actor=actor, failure=str(error).rstrip("."))
        st.error(inert(str(error)), icon=":material/block:")
        return
    _write(
        lambda con: record_run(con, plan, delivery, actor=actor, status="test"),
        f"Message d'essai envoyé à {', '.join(delivery.sent)}."
        if not delivery.failure
        else f"Envoi interrompu : {delivery.failure}.",
    )


def _feed(actor: Actor) -> None:
    st.markdown(
        "**Flux du calendrier.** Une adresse secrète à laquelle un agenda (Outlook, Thunderbird, "
        "Google Agenda) s'abonne : les échéances seules, sans autre montant que celui des "
        "titres. Coupé par défaut ; servi par `python -m spend feed` derrière le même serveur "
        "que le tableau de bord."
    )
    if token := st.session_state.pop("feed_new_token", None):
        st.warning(
            "Copiez cette adresse maintenant : elle n'est montrée qu'une fois (seule son "
            "empreinte est gardée).",
            icon=":material/key:",
        )
        st.code(feed_address(token), language=None)
    with session() as con:
        tokens = feed.feed_tokens(con)
    active = tokens.filter(pl.col("active"))
    if active.is_empty():
        st.caption("Flux coupé : aucune adresse active.")
    else:
        since = active.row(0, named=True)
        st.caption(
            inert(
                f"Flux actif depuis le {paris_time(since['created_at'])} (heure de Paris), "
                f"adresse créée par {since['created_by']}."
            )
        )
    label = "Activer le flux" if active.is_empty() else "Nouvelle adresse (révoque l'actuelle)"
    left, right = st.columns(2)
    if left.button(label, key="admin_feed_on"):
        made: list[str] = []
        _write(
            lambda con: made.append(feed.turn_on(con, actor=actor)),
            None,
            before_rerun=lambda: st.session_state.update(feed_new_token=made[0]),
        )
    if right.button("Révoquer l'adresse", key="admin_feed_off", disabled=active.is_empty()):
        _write(lambda con: feed.turn_off(con, actor=actor), "Adresse révoquée : flux coupé.")


def feed_address(token: str) -> str:
    """The address to subscribe to, on the origin the dashboard is seen at (its reverse proxy
    sends /calendrier/ to the feed's process)."""
    path = feed.FEED_PATH.format(token=token)
    url = st.context.url or ""
    origin = "/".join(url.split("/")[:3]) if url.startswith("http") else ""
    return f"{origin}{path}" if origin else path


def _write(action, message: str | None, before_rerun=None) -> None:
    try:
        with session() as con:
            action(con)
    except (store.StoreError, AccessRefused) as error:
        st.error(inert(str(error)), icon=":material/block:")
        return
    after_write()
    if before_rerun is not None:
        before_rerun()
    if message:
        st.session_state.reminders_message = message
    st.rerun()
