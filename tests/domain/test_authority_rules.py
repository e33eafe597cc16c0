"""The rules of one authority among several: its own section of `[acces]`, else `[acces]`'s
keys for the server's default authority only, else none but its page's; failing closed unless
`inconnus` is said; the group claim is the provider's."""

from spend.domain.access import (
    Role,
    authority_rules,
    missing_section,
    named_by_top_level_keys,
    stored_rules,
    unopened_authorities,
)

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


def test_the_default_authority_without_a_section_takes_the_acces_keys_and_fails_closed() -> None:
    default = authority_rules(ACCES, "principale", "principale")
    assert default.role_of("dsi@departement.fr") == Role.ADMIN
    assert default.role_of("compta@arras.fr") is None
    assert default.role_of("passant@ailleurs.fr") is None
    said = authority_rules({**ACCES, "inconnus": "lecteur"}, "principale", "principale")
    assert said.role_of("passant@ailleurs.fr") == Role.READER
    # Another default (SPEND_AUTHORITY) is the one they open then.
    assert authority_rules(ACCES, "bethune", "bethune").role_of("dsi@departement.fr") == Role.ADMIN


def test_another_authority_without_a_section_is_opened_by_no_acces_key() -> None:
    said = {**ACCES, "inconnus": "administrateur", "groupes_administrateurs": ["dsi"]}
    for default in ("principale", None):
        other = authority_rules(said, "bethune", default)
        assert other.role_of("dsi@departement.fr") is None
        assert other.role_of("x@y.fr", ["dsi"]) is None
        assert other.role_of("passant@ailleurs.fr") is None
        assert other.group_claim == "roles"  # the provider's claim still, for its page's rules


def test_an_authority_with_a_section_takes_it_even_when_it_is_the_default() -> None:
    arras = authority_rules(ACCES, "arras", "arras")
    assert arras.role_of("dsi@departement.fr") is None
    assert arras.role_of("compta@arras.fr") == Role.MANAGER


def test_the_page_rules_of_an_authority_without_a_section_still_open_it() -> None:
    saved = stored_rules(
        [("email", "Agent@Bethune.fr", "gestionnaire"), ("groupe", "elus", "lecteur")]
    )
    bethune = authority_rules(ACCES, "bethune", "principale").merged(saved)
    assert bethune.role_of("agent@bethune.fr") == Role.MANAGER
    assert bethune.role_of("x@y.fr", ["elus"]) == Role.READER
    assert bethune.role_of("dsi@departement.fr") is None


def test_what_to_add_is_said_for_an_authority_no_key_opens_only() -> None:
    said = missing_section(ACCES, "bethune", "principale")
    assert said is not None
    assert "[acces.collectivites.bethune]" in said and "« principale »" in said
    assert ".streamlit/secrets.toml" in said
    assert missing_section(ACCES, "principale", "principale") is None
    assert missing_section(ACCES, "arras", "principale") is None  # its own sub-table


def test_the_authorities_no_key_opens_are_named_five_at_most_and_the_rest_counted() -> None:
    one = unopened_authorities(["bethune"], "principale")
    assert one.startswith("La collectivité « bethune » :")
    assert "« principale »" in one and "[acces.collectivites.ID]" in one
    many = unopened_authorities([f"c{i}" for i in range(7)], "principale")
    assert "« c4 » et 2 autres" in many and "« c5 »" not in many
    assert "« c4 » et 1 autre :" in unopened_authorities([f"c{i}" for i in range(6)], "p")


def test_only_the_acces_keys_own_names_count_as_named_there() -> None:
    assert named_by_top_level_keys(ACCES, "DSI@departement.fr")
    assert not named_by_top_level_keys({**ACCES, "inconnus": "lecteur"}, "passant@ailleurs.fr")
    assert not named_by_top_level_keys(ACCES, "compta@arras.fr")  # a sub-table's person
    assert named_by_top_level_keys({"groupes_lecteurs": ["dsi"]}, "x@y.fr", ["dsi"])


def test_rules_saved_on_an_authoritys_page_add_up_with_its_configured_ones() -> None:
    saved = stored_rules(
        [("email", "Agent@Arras.fr", "administrateur"), ("groupe", "elus", "gestionnaire")]
    )
    arras = authority_rules(ACCES, "arras").merged(saved)
    assert arras.role_of("agent@arras.fr") == Role.ADMIN
    assert arras.role_of("x@y.fr", ["elus"]) == Role.MANAGER
    assert arras.role_of("passant@ailleurs.fr") is None  # the merge keeps failing closed
