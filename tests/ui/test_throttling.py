"""Sign-in throttling as the pages apply it: after a few wrong passwords or join codes the page
says how long to wait and refuses even the right one meanwhile; notes have a rate per phone."""

from __future__ import annotations

from journeys import services
from journeys.roles import hash_password
from journeys.workshop import participants as p
from pages.common import auth as _auth
from tests.ui.helpers import click, new_app, run, start, texts

JOURNEY = "premier-abonnement"


def test_wrong_passwords_are_slowed_down_and_the_page_says_how_long(workspace, monkeypatch):
    monkeypatch.setenv("JOURNEYS_AUTH", "password")
    monkeypatch.setenv("JOURNEYS_EDITOR_PASSWORD_HASH", hash_password("atelier"))
    at = start()
    for _ in range(5):
        at.text_input(key="auth_password").set_value("mauvais")
        click(at, "auth_submit")
        assert "Mot de passe incorrect" in texts(at)
    at.text_input(key="auth_password").set_value("atelier")
    click(at, "auth_submit")
    assert "Trop de mots de passe erronés depuis cet appareil : attendez" in texts(at)
    assert not (_auth.SIGNED_IN in at.session_state and at.session_state[_auth.SIGNED_IN])


def _capture(code: str | None = None, journey: str | None = None):
    at = run(new_app())
    params = {"lang": "fr"} | ({"j": journey, "code": code} if code and journey else {})
    at.query_params.update(params)
    at.switch_page("pages/capture/page.py")
    return run(at)


def test_wrong_join_codes_are_slowed_down_and_the_page_says_how_long(workspace):
    services.create_from_template("first_subscription.fr.journey", store=workspace)
    good = p.open_workshop(JOURNEY, store=workspace)
    at = _capture()
    for _ in range(5):
        at.text_input(key="capture_code_input").set_value("ZZZ 999")
        at = run(_submit(at))
        assert "Ce code n'est pas (ou plus) valable" in texts(at)
    at.text_input(key="capture_code_input").set_value(good)
    at = run(_submit(at))
    assert "Trop de codes erronés : attendez" in texts(at)
    assert not _has(at, "capture_moment")  # the note form stays closed
    # a link opened afresh with the right code, from the same browser: refused too
    again = _capture(good, JOURNEY)
    assert "Trop de codes erronés : attendez" in texts(again)


def test_a_phone_sends_at_most_ten_notes_a_minute_and_keeps_the_eleventh(workspace):
    services.create_from_template("first_subscription.fr.journey", store=workspace)
    good = p.open_workshop(JOURNEY, store=workspace)
    at = _capture(good, JOURNEY)
    at.button_group(key="capture_moment").set_value("souscription")
    at.button_group(key="capture_channel").set_value("site-web")
    for n in range(11):
        at = run(at.button(key="capture_type_irritant").click())
        at.text_area(key="capture_text").set_value(f"Note {n}")
        at = run(at.button(key="capture_send").click())
    assert "Beaucoup de notes en une minute : attendez" in texts(at)
    assert at.text_area(key="capture_text").value == "Note 10"  # kept in the form
    assert len(p.list_notes(JOURNEY, store=workspace)) == 10


def _submit(at):
    (button,) = [b for b in at.button if b.label == "Rejoindre"]
    return button.click()


def _has(at, key: str) -> bool:
    return any(getattr(w, "key", None) == key for w in at.button_group)
