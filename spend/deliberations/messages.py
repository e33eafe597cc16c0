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
    "Format de fichier non pris en charge (« {suffix} ») : fournissez un fichier .txt ou .pdf."
)
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
