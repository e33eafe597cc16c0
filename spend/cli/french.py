"""French for argparse's own messages (usage, help, errors), so the command line speaks French.

argparse looks its messages up through a module-level `_` at the time it prints them; giving it
this table's translation is the documented gettext hook without installing a catalogue.
"""

import argparse

FRENCH = {
    "usage: ": "utilisation : ",
    "positional arguments": "arguments",
    "options": "options",
    "show this help message and exit": "afficher cette aide et quitter",
    "the following arguments are required: %s": "arguments obligatoires manquants : %s",
    "invalid %(type)s value: %(value)r": "valeur invalide (%(type)s attendu) : %(value)r",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "choix invalide : %(value)r (possibles : %(choices)s)"
    ),
    "unrecognized arguments: %s": "arguments non reconnus : %s",
    "expected one argument": "une valeur attendue",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s : %(message)s",
    "ambiguous option: %(option)s could match %(matches)s": (
        "option ambiguë : %(option)s peut désigner %(matches)s"
    ),
    "%(prog)s: error: %(message)s\n": "%(prog)s : erreur : %(message)s\n",
}


def _translate(message: str) -> str:
    return FRENCH.get(message, message)


def use_french() -> None:
    argparse._ = _translate  # type: ignore[attr-defined]  # argparse's own gettext alias
