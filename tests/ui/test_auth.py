"""Sign-in and roles as the pages apply them: the services refuse, the page says why."""

from __future__ import annotations

import logging

import pytest
from streamlit import config

from journeys import services
from journeys.roles import hash_password
from pages.common import auth as _auth
from tests.ui.helpers import click, new_app, run, start, texts

TITLE = "Parcours premier abonnement"


@pytest.fixture
def listen_on():
    """Set the address the server listens on, as `--server.address` does (AppTest runs the app
    from a browser on this computer: Streamlit names no address for it)."""
    before = config.get_option("server.address")
    yield lambda address: config.set_option("server.address", address)
    config.set_option("server.address", before)


@pytest.fixture
def with_password(monkeypatch):
    monkeypatch.setenv("JOURNEYS_AUTH", "password")
    monkeypatch.setenv("JOURNEYS_EDITOR_PASSWORD_HASH", hash_password("atelier"))


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
    workspace, with_password, listen_on
):
    listen_on("127.0.0.1")
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


def test_behind_a_trusted_proxy_a_request_naming_no_browser_gets_no_local_rights(
    workspace, monkeypatch, listen_on
):
    services.create_from_template("first_subscription.fr.journey.yaml", store=workspace)
    listen_on("127.0.0.1")
    monkeypatch.setenv("JOURNEYS_TRUSTED_PROXIES", "127.0.0.1")  # a proxy on this computer
    at = start()  # the connection comes from loopback with no X-Forwarded-For
    text = texts(at)
    assert "Accès réservé" in text
    assert TITLE not in text
    assert not at.dataframe


def test_behind_a_trusted_proxy_with_a_password_a_request_naming_no_browser_must_sign_in(
    workspace, with_password, monkeypatch, listen_on
):
    listen_on("127.0.0.1")
    monkeypatch.setenv("JOURNEYS_TRUSTED_PROXIES", "10.0.0.0/8, ::1")  # ::1 stands for loopback
    at = start()
    text = texts(at)
    assert "Accès réservé" in text and "guest" not in text
    assert "Même sur cet ordinateur" not in text  # it may be anyone behind the proxy


def test_with_a_password_and_the_server_on_the_network_this_computer_signs_in_too(
    workspace, with_password, listen_on
):
    listen_on("0.0.0.0")
    at = start()
    text = texts(at)
    assert "Accès réservé" in text and "guest" not in text
    assert "Même sur cet ordinateur, identifiez-vous" in text
    at.text_input(key="auth_password").set_value("atelier")
    click(at, "auth_submit")
    click(at, "library_new_submit")
    assert [j.id for j in services.list_journeys(store=workspace)]


def test_local_access_set_on_lets_this_computer_read_even_with_the_server_on_the_network(
    workspace, with_password, monkeypatch, listen_on
):
    listen_on("0.0.0.0")
    monkeypatch.setenv("JOURNEYS_LOCAL_ACCESS", "on")
    assert "guest (lecteur)" in texts(start())


def test_local_access_set_off_makes_this_computer_sign_in_even_on_loopback(
    workspace, with_password, monkeypatch, listen_on
):
    listen_on("127.0.0.1")
    monkeypatch.setenv("JOURNEYS_LOCAL_ACCESS", "off")
    assert "Accès réservé" in texts(start())


def test_without_sign_in_the_laptop_user_stays_the_facilitator_on_the_network(workspace, listen_on):
    services.create_from_template("first_subscription.fr.journey.yaml", store=workspace)
    listen_on("0.0.0.0")
    at = start()
    assert "Accès réservé" not in texts(at)
    assert at.dataframe  # the library's journeys


def test_a_bad_trusted_proxies_value_is_told_as_a_misconfiguration_and_logged_in_one_line(
    db_url, monkeypatch, caplog
):
    monkeypatch.setenv("JOURNEYS_TRUSTED_PROXIES", "127.0.0.1, proxy.local")
    at = new_app()
    at.query_params["lang"] = "en"
    with caplog.at_level(logging.ERROR, logger="journeys.app"):
        at = run(at)
    shown = texts(at)
    assert "The server is misconfigured" in shown and "proxy.local" not in shown
    (logged,) = [r for r in caplog.records if "JOURNEYS_TRUSTED_PROXIES" in r.getMessage()]
    assert "'proxy.local' is neither an IP address nor a network" in logged.getMessage()
    assert logged.exc_info is None and "\n" not in logged.getMessage()
