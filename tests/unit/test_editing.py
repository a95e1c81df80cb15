"""Ids from labels, and what changed between the version a user saw and the one stored now."""

from __future__ import annotations

from journeys.contract.editing import changes, rebase, short_label, shown, slugify, unique_id
from journeys.contract.model import Moment, Touchpoint


def test_slugify_folds_accents_case_and_punctuation_into_a_contract_slug():
    assert slugify("Réception des accès") == "reception-des-acces"
    assert slugify("  Œuvre & « SMS » !") == "oeuvre-sms"
    assert slugify("<script>") == "script"
    assert slugify("€€€") == "x"
    assert slugify("Marie D.") == "marie-d"
    assert slugify("Hauptstraße 3") == "hauptstrasse-3"


def test_unique_id_adds_a_number_when_the_slug_is_taken():
    assert unique_id("Site web", {"email"}) == "site-web"
    assert unique_id("Site web", {"site-web"}) == "site-web-2"
    assert unique_id("Site web", {"site-web", "site-web-2"}) == "site-web-3"


def test_changes_lists_the_fields_that_differ():
    seen = Moment(id="bienvenue", label="Bienvenue")
    now = Moment(id="bienvenue", label="Accueil", key=True)
    assert {c.field: (c.seen, c.now) for c in changes(seen, now)} == {
        "label": ("Bienvenue", "Accueil"),
        "key": (False, True),
    }
    assert changes(seen, None) == []


def test_rebase_applies_only_my_changes_on_top_of_theirs():
    seen = Touchpoint(id="appel", moment="m", channel="c", label="Appel", owner="Vente")
    mine = seen.model_copy(update={"label": "Appel sortant"})
    theirs = seen.model_copy(update={"owner": "Service client", "description": "Par Paul"})
    merged = rebase(seen, mine, theirs, skip=("findings",))
    assert (merged.label, merged.owner, merged.description) == (
        "Appel sortant",
        "Service client",
        "Par Paul",
    )


def test_shown_keeps_values_short_and_readable():
    assert shown(None) == "—"
    assert shown(True) == "✓"
    assert shown("x" * 200, 10) == "x" * 9 + "…"


def test_short_label_cuts_at_a_word_unless_too_little_would_remain():
    assert short_label("Email reçu dans les spams", 40) == "Email reçu dans les spams"
    assert short_label("Email reçu dans les spams", 18) == "Email reçu dans…"
    assert short_label("https://exemple.fr/abonnement/offre trop long", 18) == "https://exemple.f…"
    assert len(short_label("x" * 100, 18)) == 18
