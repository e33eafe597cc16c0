"""What the reader says to the user (French), gathered here."""

MSG_NO_ID = "Numéro de la délibération introuvable."
MSG_NO_DATE = "Date de la séance introuvable."
MSG_BAD_DATE = "Date de la séance invalide : « {text} »."
MSG_NO_ASSEMBLY = "Assemblée délibérante introuvable."
MSG_NO_TITLE = "Objet de la délibération introuvable."
MSG_NO_VOTES = "Votes non trouvés."
MSG_MISSING_VOTES = "Votes incomplets : {missing} introuvable(s)."
MSG_UNANIMITY_NO_COUNT = (
    "Vote à l'unanimité sans décompte des voix : nombres de voix pour, contre et d'abstentions "
    "non indiqués."
)
MSG_MAJORITY_NO_COUNT = (
    "Vote à la majorité sans décompte des voix : nombres de voix pour, contre et d'abstentions "
    "non indiqués."
)
MSG_OUTCOME_FROM_COUNTS = (
    "Résultat du vote non écrit : « {outcome} » déduit du décompte des voix, à vérifier."
)
MSG_UNANIMITY_AGAINST = (
    "Vote annoncé à l'unanimité alors que le texte compte {against} voix contre."
)
MSG_VOTERS_MISMATCH = (
    "Les votes ne s'additionnent pas : {for_} pour + {against} contre + {abstentions} "
    "abstention(s) = {total}, alors que le texte indique {voters} votants."
)
MSG_EXPRESSED_MISMATCH = (
    "Les votes ne s'additionnent pas : {for_} pour + {against} contre = {total}, alors que le "
    "texte indique {expressed} suffrages exprimés."
)
MSG_OUTCOME_VS_VOTES = (
    "Résultat « {outcome} » incohérent avec les voix : {for_} pour, {against} contre."
)
MSG_NO_OUTCOME = "Résultat du vote (adopté ou rejeté) introuvable."
MSG_CUT_SHORT_AFTER_DECIDE = (
    "Le texte semble tronqué : ni décompte des voix ni résultat du vote après « DECIDE »."
)
MSG_CUT_SHORT = (
    "Le texte semble tronqué : ni dispositif (« DECIDE »), ni décompte des voix, ni résultat "
    "du vote."
)
MSG_NO_BUDGET = "Aucun tableau budgétaire trouvé."
MSG_BUDGET_AMOUNTS = (
    "Ligne budgétaire {code} ({imputation}) : {count} montant(s) lu(s) au lieu de 2 (crédits "
    "et dépense) ; montants non retenus."
)
MSG_BUDGET_AMOUNTS_COLUMNS = (
    "Ligne budgétaire {code} ({imputation}) : {count} montant(s) lu(s) au lieu de {expected} "
    "(une par colonne) ; montants non retenus."
)
MSG_BUDGET_NO_CODE = (
    "Tableau budgétaire sans code opération : à compléter avant l'enregistrement des crédits."
)
MSG_BUDGET_ROWS_MAX = "Plus de {count} lignes budgétaires : les suivantes ne sont pas lues."
MSG_BUDGET_OVER_AE = (
    "Ligne budgétaire {code} ({imputation}) : l'affectation de {amount} en AE dépasse les "
    "autorisations d'engagement de {credits}."
)
MSG_BUDGET_OVER = (
    "Ligne budgétaire {code} ({imputation}) : la dépense de {amount} dépasse les crédits de "
    "{credits}."
)
MSG_NO_FEES = "Aucune cotisation annuelle trouvée."
MSG_FEE_NO_BODY = "Montant annuel « {quote} » sans centrale d'achat identifiable : non retenu."
MSG_FEE_NO_TAX = (
    "{body} : montant annuel « {quote} » sans mention HT ni « nets de taxes » : non retenu."
)
MSG_FEE_TTC = (
    "{body} : montant annuel exprimé TTC (« {quote} ») : non retenu, le montant HT ou net de "
    "taxes n'est pas indiqué."
)
MSG_FEE_AMOUNTS_DIFFER = (
    "{body} : montants annuels divergents ({amounts}) ; le premier cité, {kept}, est retenu."
)
MSG_FEE_CHANGED = (
    "{body} : montant annuel modifié par le texte ({amounts}) ; le nouveau montant, {kept}, "
    "est retenu."
)
MSG_FEE_DECISION_KEPT = (
    "{body} : montants annuels divergents ({amounts}) ; celui du dispositif, {kept}, est retenu."
)
MSG_TOO_MANY_AMOUNTS = (
    "Plus de {count} montants en euros : les suivants ne sont pas examinés comme cotisations."
)
MSG_FEE_TAXES_DIFFER = (
    "{body} : bases fiscales divergentes ({quotes}) ; la première citée, {kept}, est retenue."
)
MSG_FEE_TAX_VS_GRID = (
    "{body} : {source} indique « {quote} » alors que la grille tarifaire annexée est {grid} ; "
    "la grille est retenue : {kept}."
)

MSG_READ_MISSING = "Fichier introuvable : « {name} »."
MSG_READ_OS = "Impossible de lire le fichier « {name} »."
MSG_READ_FORMAT = (
    "Format de fichier non pris en charge (« {suffix} ») : fournissez un fichier .txt, .pdf, "
    ".docx ou .odt."
)
MSG_READ_DOCUMENT_CORRUPT = (
    "Le document « {name} » est illisible ou endommagé : enregistrez-le de nouveau depuis le "
    "traitement de texte, ou fournissez un PDF."
)
MSG_READ_DOCUMENT_EMPTY = "Le document « {name} » ne contient aucun texte."
MSG_READ_EMPTY = "Le fichier « {name} » est vide."
MSG_READ_BINARY = (
    "Le fichier « {name} » n'est pas un fichier texte : fournissez un .txt ou un .pdf."
)
MSG_READ_ENCODING = (
    "Le fichier « {name} » n'est ni en UTF-8 ni en Windows-1252 : enregistrez-le en UTF-8."
)
MSG_READ_PDF_SCANNED = (
    "Le PDF « {name} » ne contient pas de texte (document scanné ?) : saisissez les données à "
    "la main ou fournissez une version texte."
)
MSG_READ_PDF_CORRUPT = (
    "Le PDF « {name} » est illisible ou endommagé : saisissez les données à la main ou "
    "fournissez une version texte."
)
MSG_READ_PDF_LOCKED = (
    "Le PDF « {name} » est protégé par un mot de passe : fournissez une version non protégée "
    "ou une version texte."
)

TAX_WORDS: dict[str, str] = {"HT": "HT", "net": "nets de taxes", "TTC": "TTC"}
VOTE_WORDS: dict[str, str] = {
    "for": "voix pour",
    "against": "voix contre",
    "abstentions": "abstentions",
}
OUTCOME_WORDS: dict[str, str] = {"adopted": "adopté", "rejected": "rejeté"}
# The outcome of « la délibération », as a summary or the review screen shows it.
OUTCOME_TEXT: dict[str, str] = {"adopted": "adoptée", "rejected": "rejetée"}
VOTE_KIND_WORDS: dict[str, str] = {"unanimity": "à l'unanimité", "majority": "à la majorité"}
PERIODICITY_WORDS: dict[str, str] = {"annual": "annuelle", "one-off": "ponctuelle"}

# The fields of a reading as the review screen names them.
FIELD_LABELS: dict[str, str] = {
    "deliberation_id": "Numéro",
    "date": "Date de la séance",
    "authority": "Collectivité",
    "assembly": "Assemblée",
    "title": "Objet",
    "votes_for": "Voix pour",
    "votes_against": "Voix contre",
    "abstentions": "Abstentions",
    "vote_kind": "Mode de vote",
    "not_voting": "Ne prennent pas part au vote",
    "outcome": "Résultat",
    "subject_code": "Matière ACTES",
}
PROPOSED_CENTRAL_LABEL = "Nouvelle centrale d'achat proposée {n}"
BUDGET_ROW_LABEL = "Ligne budgétaire {n}"
FEE_STATEMENT_LABEL = "Montant cité {n}"
KEPT_FEE_LABEL = "Cotisation annuelle retenue : {body}"
NOT_STATED = "—"

MSG_BUDGET_TOTAL = (
    "Tableau budgétaire : le total indiqué pour {column} ({total}) ne correspond pas à la somme "
    "des lignes ({sum})."
)
MSG_BUDGET_BALANCE = (
    "Ligne budgétaire {code} ({imputation}) : le solde indiqué ({balance}) ne correspond pas aux "
    "crédits ({credits}) moins la dépense ({amount})."
)
BUDGET_COLUMN_WORDS: dict[str, str] = {
    "credits": "les crédits",
    "amount": "la dépense",
    "ae_credits": "les autorisations d'engagement",
    "ae_amount": "l'affectation en AE",
    "balance": "le solde",
}
