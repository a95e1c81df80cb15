"""No traceback to strangers: an unexpected error, a mistyped setting or a forged link parameter
gives a message in the interface's language; the details go to the server's log."""

from __future__ import annotations

import logging
import re
import tomllib
from pathlib import Path

import pytest

from journeys import services
from journeys.visits.photos import MAX_PHOTO_BYTES, MAX_PHOTO_MB
from tests.ui.helpers import new_app, run, texts

CONFIG = Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml"


def test_the_server_shows_no_error_details_and_one_upload_limit():
    config = tomllib.loads(CONFIG.read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == "none"
    assert config["server"]["maxUploadSize"] == MAX_PHOTO_MB
    assert MAX_PHOTO_BYTES == MAX_PHOTO_MB * 1024 * 1024


@pytest.mark.parametrize(
    ("lang", "words"), [("fr", "Une erreur inattendue"), ("en", "An unexpected error")]
)
def test_an_unexpected_error_shows_a_translated_message_and_logs_its_reference(
    db_url, monkeypatch, caplog, lang, words
):
    def broken(*args, **kwargs):
        raise RuntimeError("secret detail at /srv/journeys/store.py")

    monkeypatch.setattr(services, "journey_titles", broken)
    at = new_app()
    at.query_params["lang"] = lang
    with caplog.at_level(logging.ERROR, logger="journeys.app"):
        at = run(at)
    shown = texts(at)
    assert words in shown
    assert "secret detail" not in shown and "RuntimeError" not in shown
    (reference,) = re.findall(r"\b[0-9A-F]{8}\b", shown)
    (logged,) = [r for r in caplog.records if reference in r.getMessage()]
    assert logged.exc_info is not None and "secret detail" in str(logged.exc_info[1])


def test_a_mistyped_auth_setting_says_the_server_is_misconfigured(db_url, monkeypatch, caplog):
    monkeypatch.setenv("JOURNEYS_AUTH", "pasword")
    at = new_app()
    at.query_params["lang"] = "fr"
    with caplog.at_level(logging.ERROR, logger="journeys.app"):
        at = run(at)
    shown = texts(at)
    assert "Le serveur est mal configuré" in shown
    assert "pasword" not in shown and "literal_error" not in shown
    (logged,) = [r for r in caplog.records if "JOURNEYS_AUTH='pasword'" in r.getMessage()]
    assert logged.exc_info is None  # one line for whoever runs the server, no traceback


@pytest.mark.parametrize("name", ["journey", "draft", "lang"])
def test_a_link_parameter_with_a_nul_byte_is_ignored_and_said(db_url, workspace, name):
    services.create_from_template("first_subscription.fr.journey", store=workspace)
    at = new_app()
    at.query_params.update({"lang": "fr", name: "premier\x00abonnement"})
    at = run(at)
    assert f"Ce lien n'est pas valable : le paramètre « {name} » a été ignoré." in texts(at)
    assert "\x00" not in str(dict(at.query_params))


def test_an_overlong_link_parameter_is_ignored(db_url):
    at = new_app()
    at.query_params.update({"lang": "fr", "draft": "x" * 5000})
    at = run(at)
    assert "le paramètre « draft » a été ignoré" in texts(at)


def test_a_capture_link_with_a_nul_byte_asks_for_the_code(db_url, workspace):
    services.create_from_template("first_subscription.fr.journey", store=workspace)
    at = run(new_app())
    at.query_params.update({"lang": "fr", "j": "\x00", "code": "AAAAAA"})  # the link, opened
    at.switch_page("pages/capture/page.py")
    at = run(at)
    assert "Ce lien n'est pas valable : tapez le code affiché" in texts(at)
    assert at.text_input(key="capture_code_input").value in ("", None)  # the code can be typed
