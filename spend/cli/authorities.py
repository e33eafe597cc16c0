"""The command line on the PostgreSQL store (`SPEND_DATABASE_URL`): `--authority ID` on every
command that opens the store, `spend authorities`, and `spend init --authority ID`."""

import argparse
import os
import sys
from pathlib import Path

from spend.domain.access import Actor
from spend.exchange.seed import seed_database
from spend.store import pg_backups, pg_transfer, postgres
from spend.store.backend import authority, checked_authority, database_url


def add_option(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--authority",
        metavar="ID",
        help="la collectivité, sur le serveur PostgreSQL de $SPEND_DATABASE_URL (défaut : "
        "$SPEND_AUTHORITY ou principale)",
    )


def add_commands(commands: argparse._SubParsersAction) -> None:
    listing = commands.add_parser(
        "authorities", help="les collectivités du serveur PostgreSQL ($SPEND_DATABASE_URL)"
    )
    listing.set_defaults(func=list_authorities)


def choose(args: argparse.Namespace) -> None:
    """`--authority` for this process and the ones it starts."""
    chosen = getattr(args, "authority", None)
    if chosen:
        os.environ["SPEND_AUTHORITY"] = checked_authority(chosen)


def list_authorities(args: argparse.Namespace, db: Path) -> int:
    url = database_url()
    if url is None:
        print(
            "Base embarquée (DuckDB) : une seule collectivité par fichier. Pour servir plusieurs "
            "collectivités, donnez SPEND_DATABASE_URL=postgresql://…",
            file=sys.stderr,
        )
        return 1
    for name in postgres.authorities(url):
        print(name)
    return 0


def init(args: argparse.Namespace) -> int:
    """A new authority on the server: its schema, up to date, seeded unless --empty. An
    existing one is never recreated."""
    url = database_url()
    assert url is not None
    name = authority()
    warn_if_superuser(url)
    if getattr(args, "from_file", None) is not None:
        return transfer(url, name, args.from_file)
    if name in postgres.authorities(url):
        print(
            f"La collectivité « {name} » existe déjà sur le serveur {postgres.server_name(url)} : "
            "rien n'a été modifié.",
            file=sys.stderr,
        )
        return 1
    with postgres.connect(url, name, create=True) as con:
        if not args.empty:
            seed_database(con)  # type: ignore[arg-type]  # postgres.py answers the store's calls
    print(
        f"Collectivité créée : {name} sur {postgres.server_name(url)}"
        + (" (vide)" if args.empty else " (jeu initial chargé)")
    )
    return 0


def warn_if_superuser(url: str) -> None:
    """One French line when the server's role is a superuser: the dashboard works so, but then
    its store's scope is the only wall between authorities, and the role can do anything."""
    role = postgres.superuser_role(url)
    if role is not None:
        print(
            f"Attention : le rôle PostgreSQL « {role} » est superutilisateur (il lit les fichiers "
            "du serveur, lance des programmes et passe outre tous les droits) ; connectez le "
            "tableau de bord avec un rôle ordinaire propriétaire de la base (createuser spend ; "
            "createdb -O spend spend ; voir le README, « Serving several authorities »).",
            file=sys.stderr,
        )


def transfer(url: str, name: str, source: Path) -> int:
    """A DuckDB file's data, settings, scenarios, rights and journal in the authority (created
    if missing; an authority holding data is refused)."""
    counts = pg_transfer.transfer(url, name, source)
    print(
        f"Collectivité « {name} » sur {postgres.server_name(url)} : {source} transféré "
        f"({sum(counts.values())} ligne(s) dans {len(counts)} table(s), journal compris)."
    )
    return 0


def backup(args: argparse.Namespace) -> int:
    url = database_url()
    assert url is not None
    made = pg_backups.backup(url, authority(), "manuelle")
    print(f"Sauvegarde : {made}")
    return 0


def list_backups(args: argparse.Namespace) -> int:
    found = pg_backups.list_backups(authority())
    if not found:
        print(
            f"Aucune sauvegarde de « {authority()} » ({pg_backups.backup_folder(authority())}).",
            file=sys.stderr,
        )
    for path in found:
        print(path)
    return 0


def restore(args: argparse.Namespace, actor: Actor) -> int:
    url = database_url()
    assert url is not None
    if getattr(args, "until", None) is not None:
        print(
            "--until n'existe pas sur le serveur PostgreSQL : il ne garde pas de journal des "
            "écritures à rejouer après une sauvegarde. Rien n'a été restauré ; choisissez une "
            f"sauvegarde (python -m spend backups --authority {authority()}), ou annulez les "
            "opérations de trop depuis la page Journal.",
            file=sys.stderr,
        )
        return 1
    used, safety = pg_backups.restore(url, authority(), args.file, actor=actor)
    print(f"Sauvegarde de la collectivité remplacée : {safety}")
    print(f"Collectivité « {authority()} » restaurée depuis {used}")
    return 0
