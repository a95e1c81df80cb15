"""Sign-in and roles as the pages apply them: the services refuse, the page says why."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from journeys import services
from journeys.roles import hash_password
from pages.common import auth as _auth

APP = str(Path(__file__).resolve().parents[2] / "app.py")


@pytest.fixture
def store(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'auth.db'}"
    monkeypatch.setenv("JOURNEYS_DATABASE_URL", url)
    return services.open_store(url)


def start() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def all_text(at: AppTest) -> str:
    kinds = ("title", "caption", "error", "info", "success", "markdown", "warning", "code")
    return "\n".join(str(e.value) for kind in kinds for e in getattr(at, kind))


def test_someone_on_the_network_who_is_not_signed_in_sees_nothing_of_the_workspace(
    store, monkeypatch
):
    services.create_from_template("first_subscription.fr.journey.yaml", store=store)
    monkeypatch.setattr(_auth, "_from_this_machine", lambda: False)
    at = start()
    text = all_text(at)
    assert "Accès réservé" in text
    assert "Parcours premier abonnement" not in text
    assert not at.dataframe


def test_with_a_password_an_unsigned_user_only_reads_and_the_services_refuse_edits(
    store, monkeypatch
):
    monkeypatch.setenv("JOURNEYS_AUTH", "password")
    monkeypatch.setenv("JOURNEYS_EDITOR_PASSWORD_HASH", hash_password("atelier"))
    at = start()
    assert "guest (lecteur)" in all_text(at) or "guest (viewer)" in all_text(at)
    at.button(key="library_new_submit").click().run()
    assert not at.exception
    assert "may not create from template" in all_text(at)
    assert services.list_journeys(store=store) == []


def test_the_facilitator_signs_in_with_the_password_and_may_edit(store, monkeypatch):
    monkeypatch.setenv("JOURNEYS_AUTH", "password")
    monkeypatch.setenv("JOURNEYS_EDITOR_PASSWORD_HASH", hash_password("atelier"))
    at = start()
    at.text_input(key="auth_password").set_value("mauvais")
    at.button(key="auth_submit").click().run()
    assert "Mot de passe incorrect" in all_text(at)
    at.text_input(key="auth_password").set_value("atelier")
    at.button(key="auth_submit").click().run()
    assert at.session_state[_auth.SIGNED_IN] is True
    at.button(key="library_new_submit").click().run()
    assert [j.id for j in services.list_journeys(store=store)]
