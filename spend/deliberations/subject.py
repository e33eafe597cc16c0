"""The ACTES subject (« matière ») of a deliberation: the nomenclature code and name under which
it is sent to the prefecture (« 1.4 », « Commande publique/Autres types de contrats »).

A text that states it (« Nomenclature : 1.4 », « Matière : 7.5 ») gives it for sure; otherwise
it is proposed from the words of the object, then of the decision, to be checked.
"""

import re

from spend.deliberations.model import Confidence, Found
from spend.deliberations.structure import Structure
from spend.deliberations.text import Window

# The ACTES nomenclature, first two levels (the codes a deliberation is filed under).
NOMENCLATURE: dict[str, str] = {
    "1.1": "Commande publique/Marchés publics",
    "1.2": "Commande publique/Délégation de service public",
    "1.3": "Commande publique/Conventions de mandat",
    "1.4": "Commande publique/Autres types de contrats",
    "1.5": "Commande publique/Transactions /protocole d'accord transactionnel",
    "1.6": "Commande publique/Actes relatifs à la maîtrise d'oeuvre",
    "1.7": "Commande publique/Actes spéciaux et divers",
    "2.1": "Urbanisme/Documents d'urbanisme",
    "2.2": "Urbanisme/Actes relatifs au droit d'occupation ou d'utilisation des sols",
    "2.3": "Urbanisme/Droit de préemption urbain",
    "3.1": "Domaine et patrimoine/Acquisitions",
    "3.2": "Domaine et patrimoine/Aliénations",
    "3.3": "Domaine et patrimoine/Locations",
    "3.4": "Domaine et patrimoine/Limites territoriales",
    "3.5": "Domaine et patrimoine/Autres actes de gestion du domaine public",
    "3.6": "Domaine et patrimoine/Autres actes de gestion du domaine privé",
    "4.1": "Fonction publique/Personnel titulaires et stagiaires de la F.P.T.",
    "4.2": "Fonction publique/Personnel contractuel",
    "4.3": "Fonction publique/Fonction publique hospitalière",
    "4.4": "Fonction publique/Autres catégories de personnels",
    "4.5": "Fonction publique/Régime indemnitaire",
    "5.1": "Institutions et vie politique/Election exécutif",
    "5.2": "Institutions et vie politique/Fonctionnement des assemblées",
    "5.3": "Institutions et vie politique/Désignation de représentants",
    "5.4": "Institutions et vie politique/Délégation de fonctions",
    "5.5": "Institutions et vie politique/Délégation de signature",
    "5.6": "Institutions et vie politique/Exercice des mandats locaux",
    "5.7": "Institutions et vie politique/Intercommunalité",
    "5.8": "Institutions et vie politique/Décision d'ester en justice",
    "6.1": "Libertés publiques et pouvoirs de police/Police municipale",
    "6.4": "Libertés publiques et pouvoirs de police/Autres actes réglementaires",
    "7.1": "Finances locales/Décisions budgétaires",
    "7.2": "Finances locales/Fiscalité",
    "7.3": "Finances locales/Emprunts",
    "7.4": "Finances locales/Interventions économiques",
    "7.5": "Finances locales/Subventions",
    "7.6": "Finances locales/Contributions budgétaires",
    "7.7": "Finances locales/Avances",
    "7.8": "Finances locales/Fonds de concours",
    "7.9": "Finances locales/Prise de participation (SEM, etc.)",
    "7.10": "Finances locales/Divers",
    "8.1": "Domaines de compétences par thèmes/Enseignement",
    "8.2": "Domaines de compétences par thèmes/Aide sociale",
    "8.3": "Domaines de compétences par thèmes/Voirie",
    "8.4": "Domaines de compétences par thèmes/Aménagement du territoire",
    "8.5": "Domaines de compétences par thèmes/Politique de la ville-habitat-logement",
    "8.6": "Domaines de compétences par thèmes/Emploi-formation professionnelle",
    "8.7": "Domaines de compétences par thèmes/Transports",
    "8.8": "Domaines de compétences par thèmes/Environnement",
    "8.9": "Domaines de compétences par thèmes/Culture",
    "9.1": "Autres domaines de compétences/Autres domaines de compétences des communes",
    "9.2": "Autres domaines de compétences/Autres domaines de compétences des départements",
    "9.3": "Autres domaines de compétences/Autres domaines de compétences des régions",
    "9.4": "Autres domaines de compétences/Voeux et motions",
}

# « Nomenclature ACTES : 1.4 », « Matière : 7.5 - Subventions », « Code matière 1.4 »
_STATED = re.compile(
    r"(?:nomenclature|code\s+mati[èe]re|mati[èe]re|classification)(?:\s+actes)?\s?:?\s?"
    r"(?P<code>[1-9]\.\d{1,2})(?!\d)",
    re.IGNORECASE,
)
# The words that file a deliberation under a subject, most specific first (lowercase text).
_RULES: tuple[tuple[str, str], ...] = (
    (
        "7.1",
        r"budget\s(?:primitif|suppl[ée]mentaire)|d[ée]cision\smodificative|compte\s"
        r"(?:administratif|de\sgestion)|virement\sde\scr[ée]dits|affectation\sdu\sr[ée]sultat"
        r"|autorisations?\ssp[ée]ciales?\sde\scr[ée]dits|ouverture\sde\scr[ée]dits"
        r"|cr[ée]dits\ssuppl[ée]mentaires",
    ),
    (
        "1.4",
        r"centrales?\sd['’]achats?|groupement\sde\scommandes?|convention\sd['’]adh[ée]sion"
        r"|adh[ée]sion\s(?:[àa]|au)\s(?:la\s|une\s)?(?:centrale|gip\b|groupement\sd['’]int[ée]r[êe]t)"
        r"|\b(?:ugap|caih|resah|uniha|approlys|sipperec|sigeif|canut)\b",
    ),
    ("1.2", r"d[ée]l[ée]gation\sde\sservice\spublic"),
    ("1.1", r"march[ée]s?\spublics?|accord-cadre|attribution\sdu\smarch[ée]|appel\sd['’]offres"),
    (
        "7.1",
        r"budget\s(?:primitif|suppl[ée]mentaire)|d[ée]cision\smodificative|compte\s"
        r"(?:administratif|de\sgestion)|virement\sde\scr[ée]dits|affectation\sdu\sr[ée]sultat"
        r"|autorisations?\ssp[ée]ciales?\sde\scr[ée]dits|ouverture\sde\scr[ée]dits"
        r"|cr[ée]dits\ssuppl[ée]mentaires",
    ),
    ("7.5", r"subventions?"),
    ("7.3", r"emprunts?|pr[êe]ts?\s(?:aupr[èe]s|de\sla\scaisse)"),
    ("7.2", r"taxe\s|fiscalit[ée]|taux\sd['’]imposition"),
    ("7.8", r"fonds\sde\sconcours"),
    ("5.7", r"statuts\sdu\ssyndicat|adh[ée]sion\s(?:au|[àa]\sun)\ssyndicat|intercommunalit[ée]"),
    ("5.3", r"d[ée]signation\sd(?:es|e\s|['’])\s?(?:repr[ée]sentants?|d[ée]l[ée]gu[ée]s?)"),
    ("4.2", r"contractuels?|emplois?\snon\spermanents?"),
    ("4.1", r"cr[ée]ation\sd['’](?:un\s)?(?:postes?|emplois?)|tableau\sdes\seffectifs"),
    ("3.1", r"acquisition\sd['’]un(?:e)?\s(?:terrain|parcelle|immeuble|b[âa]timent)"),
    ("3.2", r"cession\sd['’]un(?:e)?\s(?:terrain|parcelle|immeuble|b[âa]timent)"),
    ("3.3", r"\bbail\b|location\sde"),
    ("9.4", r"\bmotion\b|\bv(?:oe|œ)u\b"),
    ("7.10", r"tarifs?\s|redevances?"),
)
_RULE = re.compile("|".join(f"(?P<r{i}>{p})" for i, (_, p) in enumerate(_RULES)))


def subject(parts: Structure, title: Found[str] | None) -> Found[str] | None:
    """The ACTES subject's code (its name is NOMENCLATURE[code]) stated in the heading or the
    stamp, else proposed from the object's words, else from the decision's."""
    text = parts.text
    stated = text.window(0, max(parts.heading_end, min(len(text), 3_000))).search(_STATED)
    if stated is not None and stated["code"] in NOMENCLATURE:
        return Found(stated["code"], stated.start(), stated.end(), Confidence.SURE)
    spans = (text.window(title.start, title.end) if title else None, parts.decision)
    for span in spans:
        if span is None:
            continue
        found = _first_rule(span)
        if found is not None:
            return found
    return None


def _first_rule(span: Window) -> Found[str] | None:
    # The most specific rule among those that match, wherever it stands in the span.
    best: tuple[int, re.Match[str]] | None = None
    for count, match in enumerate(
        span.to(min(span.end, span.start + 20_000)).finditer(_RULE, low=True)
    ):
        index = int(match.lastgroup[1:]) if match.lastgroup else len(_RULES)
        if best is None or index < best[0]:
            best = (index, match)
        if count == 100:
            break
    if best is None:
        return None
    code = _RULES[best[0]][0]
    match = best[1]
    return Found(code, match.start(), match.end(), Confidence.CHECK)
