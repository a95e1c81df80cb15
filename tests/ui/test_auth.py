"""Sign-in and roles as the pages apply them: the services refuse, the page says why."""

from __future__ import annotations

from journeys import services
from journeys.roles import hash_password
from pages.common import auth as _auth
from tests.ui.helpers import click, start, texts


def test_someone_on_the_network_who_is_not_signed_in_sees_nothing_of_the_workspace(
    workspace, monkeypatch
):
    services.create_from_template("first_subscription.fr.journey.yaml", store=workspace)
    monkeypatch.setattr(_auth, "_from_this_machine", lambda: False)
    at = start()
    text = texts(at)
    assert "Accès réservé" in text
    assert "Parcours premier abonnement" not in text
    assert not at.dataframe


def test_with_a_password_an_unsigned_user_only_reads_and_the_services_refuse_edits(
    workspace, monkeypatch
):
    monkeypatch.setenv("JOURNEYS_AUTH", "password")
    monkeypatch.setenv("JOURNEYS_EDITOR_PASSWORD_HASH", hash_password("atelier"))
    at = start()
    assert "guest (lecteur)" in texts(at) or "guest (viewer)" in texts(at)
    click(at, "library_new_submit")
    assert "may not create from template" in texts(at)
    assert services.list_journeys(store=workspace) == []


def test_the_facilitator_signs_in_with_the_password_and_may_edit(workspace, monkeypatch):
    monkeypatch.setenv("JOURNEYS_AUTH", "password")
    monkeypatch.setenv("JOURNEYS_EDITOR_PASSWORD_HASH", hash_password("atelier"))
    at = start()
    at.text_input(key="auth_password").set_value("mauvais")
    click(at, "auth_submit")
    assert "Mot de passe incorrect" in texts(at)
    at.text_input(key="auth_password").set_value("atelier")
    click(at, "auth_submit")
    assert at.session_state[_auth.SIGNED_IN] is True
    click(at, "library_new_submit")
    assert [j.id for j in services.list_journeys(store=workspace)]
