"""The rules of one authority among several: its own section of `[acces]`, else `[acces]`'s
keys; failing closed unless `inconnus` is said; the group claim is the provider's."""

from spend.domain.access import Role, authority_rules, stored_rules

ACCES = {
    "administrateurs": ["dsi@departement.fr"],
    "attribut_groupes": "roles",
    "collectivites": {
        "arras": {"gestionnaires": ["compta@arras.fr"], "groupes_lecteurs": ["elus"]},
        "lens": {"lecteurs": ["agent@lens.fr"], "inconnus": "lecteur"},
    },
}


def test_an_authority_with_its_own_section_takes_only_its_rules() -> None:
    arras = authority_rules(ACCES, "arras")
    assert arras.role_of("Compta@Arras.fr") == Role.MANAGER
    assert arras.role_of("x@y.fr", ["elus"]) == Role.READER
    # Neither [acces]'s administrators nor a stranger: fails closed.
    assert arras.role_of("dsi@departement.fr") is None
    assert arras.role_of("passant@ailleurs.fr") is None
    assert arras.group_claim == "roles"  # the provider's claim, from [acces]


def test_inconnus_said_by_an_authority_lets_strangers_read_there_only() -> None:
    assert authority_rules(ACCES, "lens").role_of("passant@ailleurs.fr") == Role.READER
    assert authority_rules(ACCES, "arras").role_of("passant@ailleurs.fr") is None


def test_an_authority_without_a_section_takes_the_acces_keys_and_fails_closed() -> None:
    other = authority_rules(ACCES, "bethune")
    assert other.role_of("dsi@departement.fr") == Role.ADMIN
    assert other.role_of("compta@arras.fr") is None
    assert other.role_of("passant@ailleurs.fr") is None
    said = authority_rules({**ACCES, "inconnus": "lecteur"}, "bethune")
    assert said.role_of("passant@ailleurs.fr") == Role.READER


def test_rules_saved_on_an_authoritys_page_add_up_with_its_configured_ones() -> None:
    saved = stored_rules(
        [("email", "Agent@Arras.fr", "administrateur"), ("groupe", "elus", "gestionnaire")]
    )
    arras = authority_rules(ACCES, "arras").merged(saved)
    assert arras.role_of("agent@arras.fr") == Role.ADMIN
    assert arras.role_of("x@y.fr", ["elus"]) == Role.MANAGER
    assert arras.role_of("passant@ailleurs.fr") is None  # the merge keeps failing closed
