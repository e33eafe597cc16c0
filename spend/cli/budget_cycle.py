"""Next year's budget from a shell: `prepare` (the proposal per line) and `draft-deliberation`."""

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from spend import store
from spend.domain.figures import compute
from spend.domain.preparation import preparation
from spend.domain.scenario import Scenario
from spend.domain.what_if import run
from spend.exchange.draft import TEMPLATE, DraftError, draft_content, draft_docx
from spend.exchange.exports import csv_bytes
from spend.exchange.scdl_budget import budget_export
from spend.store.arbitration import read_arbitrations


def prepare(args: argparse.Namespace, db: Path) -> int:
    """One row per budget line: N−1's figures, the proposal for N, the gap, the arbitrated
    amount; `--scdl`: the SCDL « Budget » file of the arbitrated proposal instead."""
    with store.connect(db, create=False) as con:
        inputs, arbitrations = store.load_inputs(con), read_arbitrations(con)
        scenarios, settings = store.saved_scenarios(con), store.settings(con)
    recorded = compute(inputs)
    proposal = None
    if args.scenario:
        if args.scenario not in scenarios:
            known = ", ".join(sorted(scenarios)) or "aucun"
            print(f"Scénario « {args.scenario} » inconnu (enregistrés : {known}).", file=sys.stderr)
            return 1
        proposal = run(inputs, Scenario.from_json(scenarios[args.scenario]), recorded)
    prepared = preparation(inputs, recorded, args.year, arbitrations, proposal)
    if args.scdl:
        export = budget_export(prepared, args.year, settings)
        for line in (*export.problems, *export.notices):
            print(f"Attention : {line}", file=sys.stderr)
        content = export.csv_bytes()
    else:
        content = csv_bytes(prepared, "standard")
    if args.output:
        args.output.write_bytes(content)
        print(f"Budget {args.year} préparé : {prepared.height} ligne(s) dans {args.output}")
    else:
        sys.stdout.buffer.write(content)
    return 0


def draft_deliberation(args: argparse.Namespace, db: Path) -> int:
    """The Word draft of the year's deliberation (of one central with --central)."""
    with store.connect(db, create=False) as con:
        inputs, settings = store.load_inputs(con), store.settings(con)
    try:
        draft = draft_content(inputs, compute(inputs), args.year, settings, args.central)
        args.output.write_bytes(draft_docx(draft, args.template))
    except DraftError as error:
        print(error, file=sys.stderr)
        return 1
    print(
        f"Projet de délibération {args.year} écrit dans {args.output} ({len(draft.articles) - 1} "
        f"convention(s), {len(draft.credits)} ligne(s) de crédits)."
    )
    return 0


def add_commands(
    commands: argparse._SubParsersAction,
    with_db: Callable[[argparse.ArgumentParser], argparse.ArgumentParser],
) -> None:
    """The two sub-commands, added to `python -m spend`."""
    prep = with_db(commands.add_parser("prepare", help="préparer le budget d'un exercice"))
    prep.set_defaults(func=prepare)
    prep.add_argument("--year", type=int, required=True, help="l'exercice à préparer (N)")
    prep.add_argument("--output", type=Path, help="fichier CSV (défaut : sortie standard)")
    prep.add_argument("--scenario", metavar="NOM", help="proposer d'après un scénario enregistré")
    prep.add_argument(
        "--scdl", action="store_true", help="au format SCDL « Budget » (données ouvertes)"
    )
    draft = with_db(
        commands.add_parser("draft-deliberation", help="rédiger le projet de délibération (.docx)")
    )
    draft.set_defaults(func=draft_deliberation)
    draft.add_argument("--year", type=int, required=True, help="l'exercice")
    draft.add_argument("--central", metavar="ID", help="une seule centrale (CAIH, RESAH…)")
    draft.add_argument("--output", type=Path, required=True, help="fichier .docx à écrire")
    draft.add_argument(
        "--template", type=Path, default=TEMPLATE, help="modèle .docx de la collectivité"
    )
