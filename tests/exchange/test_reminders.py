"""Reminders through a real SMTP server on the loopback: sent once per deadline, kind and date,
again when the date changes, nothing recorded when the server cannot be reached."""

from pathlib import Path

import duckdb
import polars as pl
import pytest

from spend import store
from spend.exchange.reminders import (
    check_reminder_settings,
    reminder_settings,
    smtp_config,
)
from tests.conftest import ADMIN, run_cli
from tests.exchange.smtp_server import HOST, free_port, make_certificate, smtp_server

PEOPLE = "g.martin@exemple.fr, dsi@exemple.fr"


@pytest.fixture
def db(tmp_path: Path, seeded_file: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A seeded database whose reminders go to two people; no secrets file in the way."""
    path = tmp_path / "spend.duckdb"
    path.write_bytes(seeded_file.read_bytes())
    con = store.connect(path)
    store.update_settings(con, {"reminder_to": PEOPLE}, actor=ADMIN, source="tests")
    con.close()
    monkeypatch.setenv("SPEND_SECRETS_FILE", str(tmp_path / "absent.toml"))
    monkeypatch.setenv("SMTP_FROM", "tableau-de-bord@exemple.fr")
    for name in ("SMTP_USER", "SMTP_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    return path


def use_server(monkeypatch: pytest.MonkeyPatch, port: int) -> None:
    monkeypatch.setenv("SMTP_HOST", HOST)
    monkeypatch.setenv("SMTP_PORT", str(port))


def table(path: Path, name: str) -> pl.DataFrame:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.sql(f"select * from {name} order by all").pl()
    finally:
        con.close()


def remind(path: Path, day: str):
    return run_cli("remind", "--db", str(path), "--today", day)


def test_a_run_sends_once_then_nothing_the_same_day(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with smtp_server() as (inbox, port):
        use_server(monkeypatch, port)
        # 17/02/2023: the payment of 20/02 is within 15 days, the notice of 16/04 within 60.
        first = remind(db, "2023-02-17")
        assert first.returncode == 0, first.stderr
        assert first.stdout == (
            "2 message(s) envoyé(s) (2 échéance(s)) : dsi@exemple.fr, g.martin@exemple.fr.\n"
        )
        assert sorted(inbox.envelopes) == [["dsi@exemple.fr"], ["g.martin@exemple.fr"]]
        message = inbox.messages[0]
        assert message["Subject"] == (
            "Échéances des adhésions aux centrales d'achat : 2 à surveiller"
        )
        assert message["From"] == "tableau-de-bord@exemple.fr"
        body = inbox.bodies()[0]
        assert "Département du Pas-de-Calais" in body and "au 17/02/2023" in body
        assert (
            "- 20/02/2023 — Paiement — Convention : CAIH-SO360-CD62 — Convention d'adhésion" in body
        )
        assert "À faire : régler le titre de 1\u202f800,00\u00a0€ TTC au plus tard ce jour." in body
        assert "- 16/04/2023 — Préavis — Convention : CAIH-SO360-CD62" in body
        assert (
            "dénoncer la convention au plus tard ce jour pour en sortir à sa fin (16/07/2023)"
            in body
        )
        assert "Centrale d'achat de l'Informatique Hospitalière" in body.replace("Achat", "achat")
        assert body.index("20/02/2023") < body.index("16/04/2023")  # the nearest first

        second = remind(db, "2023-02-17")
        assert second.returncode == 0, second.stderr
        assert second.stdout.startswith("Rien à envoyer au 17/02/2023")
        assert len(inbox.messages) == 2
    sent = table(db, "reminders_sent")
    assert sent.height == 4  # two deadlines, two people
    runs = table(db, "reminder_runs")
    assert runs["status"].to_list() == ["envoyé", "rien à envoyer"]


def test_a_deadline_whose_date_changed_is_sent_again(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with smtp_server() as (inbox, port):
        use_server(monkeypatch, port)
        assert remind(db, "2023-02-17").returncode == 0
        # Four months' notice instead of three: the notice deadline moves to 16/03/2023.
        con = store.connect(db)
        conventions = store.read_table(con, "conventions").with_columns(
            pl.when(pl.col("convention_id") == "CAIH-SO360-CD62")
            .then(4)
            .otherwise(pl.col("notice_months"))
            .cast(pl.Int32)
            .alias("notice_months")
        )
        store.write_tables(
            con, {"conventions": conventions}, actor=ADMIN, action="edit", source="tests"
        )
        con.close()
        again = remind(db, "2023-02-17")
        assert again.returncode == 0, again.stderr
        assert len(inbox.messages) == 4
        later = inbox.bodies()[2:]
        for body in later:
            assert "- 16/03/2023 — Préavis — Convention : CAIH-SO360-CD62" in body
            assert "20/02/2023" not in body  # the payment went already
        assert inbox.messages[2]["Subject"].endswith(": 1 à surveiller")


def test_an_unreachable_server_is_said_in_french_and_records_nothing(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_server(monkeypatch, free_port())  # nobody listens there
    result = remind(db, "2023-02-17")
    assert result.returncode == 1
    assert "Aucun message envoyé : le serveur d'envoi 127.0.0.1:" in result.stderr
    assert "est injoignable" in result.stderr
    assert "Rien n'est noté comme envoyé" in result.stderr
    assert "Traceback" not in result.stderr
    assert table(db, "reminders_sent").is_empty()
    assert table(db, "reminder_runs")["status"].to_list() == ["échec"]
    # The server back: everything due goes.
    with smtp_server() as (inbox, port):
        use_server(monkeypatch, port)
        assert remind(db, "2023-02-17").returncode == 0
        assert len(inbox.messages) == 2


def test_a_person_refused_midway_is_sent_at_the_next_run_and_only_them(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with smtp_server() as (inbox, port):
        use_server(monkeypatch, port)
        inbox.refused.add("g.martin@exemple.fr")
        partial = remind(db, "2023-02-17")
        assert partial.returncode == 1
        assert partial.stdout.startswith("1 message(s) envoyé(s) (2 échéance(s)) : dsi@exemple.fr.")
        assert "Envoi interrompu : le serveur d'envoi 127.0.0.1:" in partial.stderr
        assert inbox.envelopes == [["dsi@exemple.fr"]]
        assert set(table(db, "reminders_sent")["recipient"]) == {"dsi@exemple.fr"}
        inbox.refused.clear()
        rest = remind(db, "2023-02-17")
        assert rest.returncode == 0, rest.stderr
        assert inbox.envelopes == [["dsi@exemple.fr"], ["g.martin@exemple.fr"]]
    assert table(db, "reminders_sent").height == 4


def test_starttls_is_used_when_offered_and_the_password_checked(
    db: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    certificate = make_certificate(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))  # trust the test's certificate
    with smtp_server(certificate=certificate, password=("rappels", "s3cret")) as (inbox, port):
        use_server(monkeypatch, port)
        monkeypatch.setenv("SMTP_USER", "rappels")
        monkeypatch.setenv("SMTP_PASSWORD", "faux")
        refused = remind(db, "2023-02-17")
        assert refused.returncode == 1
        assert "refuse l'identifiant ou le mot de passe" in refused.stderr
        assert table(db, "reminders_sent").is_empty()
        monkeypatch.setenv("SMTP_PASSWORD", "s3cret")
        sent = remind(db, "2023-02-17")
        assert sent.returncode == 0, sent.stderr
        assert inbox.tls == [True, True]


def test_the_smtp_settings_come_from_the_secrets_file_or_the_environment(
    tmp_path: Path,
) -> None:
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(
        '[smtp]\nsmtp_host = "smtp.exemple.fr"\nsmtp_port = 2525\nsmtp_from = "a@exemple.fr"\n'
        'smtp_user = "u"\nsmtp_password = "s3cret-pw"\n',
        encoding="utf-8",
    )
    config = smtp_config({}, secrets)
    assert config is not None
    assert (config.host, config.port, config.sender, config.user) == (
        "smtp.exemple.fr", 2525, "a@exemple.fr", "u",
    )  # fmt: skip
    assert config.password == "s3cret-pw" and "s3cret" not in repr(config)  # never in a log
    override = smtp_config({"SMTP_HOST": "relais.local", "SMTP_PORT": "25"}, secrets)
    assert override is not None and (override.host, override.port) == ("relais.local", 25)
    assert smtp_config({}, tmp_path / "absent.toml") is None


def test_reminder_settings_are_checked_and_have_defaults() -> None:
    assert reminder_settings({}).lead_days == {"notice": 60, "end": 90, "payment": 15}
    cleaned, problems = check_reminder_settings(
        {"reminder_to": " A@Exemple.fr ; b@exemple.fr", "reminder_days_payment": "30"}
    )
    assert problems == []
    assert cleaned == {"reminder_to": "a@exemple.fr, b@exemple.fr", "reminder_days_payment": "30"}
    chosen = reminder_settings(cleaned)
    assert chosen.recipients == ["a@exemple.fr", "b@exemple.fr"]
    assert chosen.lead_days["payment"] == 30
    _, problems = check_reminder_settings(
        {"reminder_to": "personne, a@b.fr\nBcc: x@y.fr", "reminder_days_notice": "-3"}
    )
    assert problems == [
        "Destinataires des rappels (séparés par des virgules) : adresse e-mail illisible "
        "« personne ».",
        "Rappel des préavis (jours avant) : « -3 » : un nombre de jours entre 0 et 730 attendu.",
    ]


def test_without_recipients_the_run_says_so(
    tmp_path: Path, seeded_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "spend.duckdb"
    path.write_bytes(seeded_file.read_bytes())
    monkeypatch.setenv("SPEND_SECRETS_FILE", str(tmp_path / "absent.toml"))
    result = remind(path, "2023-02-17")
    assert result.returncode == 1
    assert result.stderr == (
        "Aucun destinataire : renseignez reminder_to (adresses séparées par des virgules).\n"
    )


def test_without_a_server_configured_nothing_is_recorded_as_sent(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SMTP_HOST", raising=False)
    result = remind(db, "2023-02-17")
    assert result.returncode == 1
    assert result.stderr.startswith("Serveur d'envoi non configuré : renseignez smtp_host")
    assert table(db, "reminders_sent").is_empty()
