"""Who a signed-in person is, and which role the rules give them: only a verified e-mail names a
person, an unknown `inconnus` word refuses, and rules from several places add up."""

import pytest

from spend.domain.access import (
    IdentityRefused,
    Role,
    RoleRules,
    rules_from_settings,
    unknown_visitors,
    verified_email,
)


def test_a_verified_email_names_the_person() -> None:
    claims = {"sub": "agent-42", "email": " G.Martin@exemple.fr ", "email_verified": True}
    assert verified_email(claims) == "G.Martin@exemple.fr"


def test_a_provider_that_sends_no_verification_claim_is_trusted() -> None:
    assert verified_email({"sub": "agent-42", "email": "g.martin@exemple.fr"}) == (
        "g.martin@exemple.fr"
    )


@pytest.mark.parametrize("flag", [False, "false", None, 0, "", "non"])
def test_an_email_the_provider_says_is_not_verified_is_refused(flag: object) -> None:
    claims = {"sub": "agent-42", "email": "dsi.admin@exemple.fr", "email_verified": flag}
    with pytest.raises(IdentityRefused, match="n'est pas vérifiée"):
        verified_email(claims)


@pytest.mark.parametrize("email", [None, "", "   ", 42, "agent-42"])
def test_no_email_claim_is_refused_and_sub_never_stands_in(email: object) -> None:
    # An administrator named "agent-42" in the rules must not be reachable through `sub`.
    claims = {"sub": "agent-42"} if email is None else {"sub": "agent-42", "email": email}
    with pytest.raises(IdentityRefused, match="pas transmis d'adresse e-mail"):
        verified_email(claims)


@pytest.mark.parametrize(
    ("word", "role"),
    [
        ("refuser", None),
        ("refusé", None),
        ("Refusés", None),
        (" REFUSEE ", None),
        ("lecteur", Role.READER),
        ("lectrice", Role.READER),
        ("Lecteurs", Role.READER),
        ("gestionnaire", Role.MANAGER),
        ("administratrice", Role.ADMIN),
    ],
)
def test_the_words_of_inconnus(word: str, role: Role | None) -> None:
    assert unknown_visitors(word) == (role, None)
    rules = rules_from_settings({"inconnus": word})
    assert rules.role_of("personne@ailleurs.fr") == role
    assert rules.problem is None


@pytest.mark.parametrize("word", ["refuse-les", "non", "personne", "", 0, ["refuser"], True])
def test_an_unknown_inconnus_word_refuses_and_says_why(word: object) -> None:
    rules = rules_from_settings({"inconnus": word, "gestionnaires": ["g@exemple.fr"]})
    assert rules.role_of("personne@ailleurs.fr") is None
    assert rules.problem is not None and "n'est pas compris" in rules.problem
    assert "refusées" in rules.problem
    # Those the rules name still enter.
    assert rules.role_of("g@exemple.fr") == Role.MANAGER


def test_without_inconnus_a_person_named_nowhere_is_a_reader() -> None:
    rules = rules_from_settings({})
    assert rules.role_of("personne@ailleurs.fr") == Role.READER
    assert rules.problem is None


def test_page_rules_add_to_the_file_and_the_higher_role_wins() -> None:
    configured = rules_from_settings(
        {
            "administrateurs": ["DSI.Admin@exemple.fr"],
            "lecteurs": ["l.durand@exemple.fr"],
            "groupes_administrateurs": ["dsi"],
            "inconnus": "refuser",
        }
    )
    saved_on_the_page = RoleRules(
        {"dsi.admin@exemple.fr": Role.READER, "l.durand@exemple.fr": Role.MANAGER},
        {"dsi": Role.READER, "finances": Role.MANAGER},
    )
    rules = configured.merged(saved_on_the_page)
    # A page rule never demotes an administrator of the file, by e-mail or by group...
    assert rules.role_of("dsi.admin@exemple.fr") == Role.ADMIN
    assert rules.role_of("x@exemple.fr", ["dsi"]) == Role.ADMIN
    # ...and promotes where it gives more; its new names are added.
    assert rules.role_of("l.durand@exemple.fr") == Role.MANAGER
    assert rules.role_of("y@exemple.fr", ["finances"]) == Role.MANAGER
    # The file's default (here: refuse strangers) stays.
    assert rules.role_of("z@ailleurs.fr") is None
