"""A workshop in two browsers: the facilitator's board, and a participant's phone sending a note
that shows up on the board without a click (how soon: bench/bench_browser.py)."""

from __future__ import annotations

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.e2e.helpers import PHONE, wait_for_app

pytestmark = pytest.mark.browser

NOTE = "Le lien d'activation a expiré avant que je le voie"


def _create_first_subscription(page, url: str) -> None:
    """As a new facilitator: the app opens on the library; the journey is created there from the
    first-subscription template, then its board is opened from the sidebar."""
    page.goto(url)
    wait_for_app(page)
    page.get_by_role("heading", name="Bibliothèque des parcours").wait_for()
    page.get_by_role("tab", name="Nouveau parcours").click()
    option = page.get_by_role("option", name="Parcours premier abonnement")
    for _ in range(3):  # a rerun under load can replace the picker as it opens: open it again
        page.locator(".st-key-library_tpl_pick").click()
        try:
            option.wait_for(timeout=10_000)
            break
        except PlaywrightTimeoutError:
            continue
    option.click()
    page.locator(".st-key-library_new_submit button").click()
    wait_for_app(page)
    page.get_by_text("Parcours « Parcours premier abonnement » créé").wait_for()
    page.get_by_role("link", name="Tableau").click()
    wait_for_app(page)


def _add_touchpoint_and_irritant(page) -> None:
    page.get_by_role("tab", name="Points de contact").click()
    page.locator(".st-key-board_add_tp_open button").click()
    page.get_by_role("dialog").locator(".st-key-board_add_tp_label input").fill(
        "Email d'activation"
    )
    page.locator(".st-key-board_add_tp_submit button").click()
    wait_for_app(page)
    dialog = page.get_by_role("dialog")
    dialog.locator("input[type='text']").first.wait_for()
    text = dialog.locator("[class*='st-key-board_add_f_'][class*='_text'] input")
    text.fill("Email reçu dans les spams")
    dialog.locator("[class*='st-key-board_add_f_'][class*='_submit'] button").click()
    wait_for_app(page)
    page.get_by_role("dialog").get_by_text("Email reçu dans les spams").first.wait_for()
    page.get_by_role("dialog").locator(".st-key-board_dialog_close button").click()
    wait_for_app(page)


def _join_code(page) -> str:
    shown = page.locator(".ib-code b").first
    shown.wait_for()
    return shown.inner_text().replace(" ", "")


def _send_from_phone(phone, url: str, code: str, artifacts) -> None:
    phone.goto(f"{url}/capture?j=premier-abonnement&code={code}")
    wait_for_app(phone)
    phone.locator(".st-key-capture_send button").wait_for()
    phone.screenshot(path=str(artifacts / "capture-390x844-top.png"))
    phone.locator(".st-key-capture_moment").get_by_role(
        "radio", name="Découverte de l'offre"
    ).click()
    wait_for_app(phone)
    phone.locator(".st-key-capture_channel").get_by_role("radio", name="Email").click()
    wait_for_app(phone)
    phone.locator(".st-key-capture_type_irritant button").click()
    wait_for_app(phone)
    phone.locator(".st-key-capture_type_irritant button", has_text="✓").wait_for()
    phone.locator(".st-key-capture_text textarea").fill(NOTE)
    phone.locator(".st-key-capture_author input").fill("Léa")
    phone.screenshot(path=str(artifacts / "capture-390x844-filled.png"))
    phone.locator(".st-key-capture_send button").click()
    wait_for_app(phone)
    phone.get_by_text("Note envoyée").wait_for(timeout=10_000)


def test_a_participant_note_reaches_the_facilitators_board_without_a_click(
    browser, app_server, artifacts
):
    facilitator = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="fr-FR")
    page = facilitator.new_page()
    _create_first_subscription(page, app_server.url)
    page.get_by_role("heading", name="Parcours premier abonnement").wait_for()
    _add_touchpoint_and_irritant(page)
    code = _join_code(page)

    participant = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="fr-FR"
    )
    phone = participant.new_page()

    # Nothing of the journey without the code.
    phone.goto(f"{app_server.url}/capture?j=premier-abonnement&code=WRONG1")
    wait_for_app(phone)
    phone.get_by_text("Rejoindre l'atelier").wait_for()
    assert "Découverte" not in phone.content()
    assert not phone.locator("[data-testid='stSidebar']").is_visible()

    _send_from_phone(phone, app_server.url, code, artifacts)
    page.locator(".ib-note", has_text=NOTE).wait_for()  # no click, no reload on the board
    phone.screenshot(path=str(artifacts / "capture-390x844.png"))
    page.locator(".st-key-inbox_panel").screenshot(path=str(artifacts / "board-inbox.png"))
    page.get_by_role("heading", name="Parcours premier abonnement").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "board-1920x1080.png"))

    # The form is ready for the next note.
    assert phone.locator(".st-key-capture_text textarea").input_value() == ""

    page.locator("[class*='st-key-inbox_accept_'] button").first.click()
    wait_for_app(page)
    page.get_by_text("Note ajoutée").wait_for()
    page.wait_for_function(  # a touchpoint in its cell (the canvas hyphenates with U+00AD)
        "(note) => document.querySelector('.jb-board').textContent"
        ".replaceAll('\\u00ad', '').includes(note)",
        arg=NOTE,
    )
    assert page.locator(".ib-note", has_text=NOTE).count() == 0

    page.set_viewport_size({"width": 1280, "height": 720})
    page.get_by_text("Mode projecteur").click()
    wait_for_app(page)
    page.locator(".ib-float .ib-code b").wait_for()
    assert page.locator(".ib-float .ib-code b").inner_text().replace(" ", "") == code
    page.screenshot(path=str(artifacts / "board-projector-1280x720.png"))
    participant.close()
    facilitator.close()
