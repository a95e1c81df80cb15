"""In the browser, Markdown and HTML typed by users (journey title, persona, moment, touchpoint,
finding, verbatim, participant's note) show as the characters typed on the board, the touchpoint
dialog, the participant's phone and the visits page: no image is fetched, no link made."""

from __future__ import annotations

import re

import pytest

from journeys.store.db import open_store
from tests.e2e.helpers import PHONE, wait_for_app
from tests.fixtures.user_text import (
    FINDING,
    JID,
    MOMENT,
    PERSONA,
    TITLE,
    TOUCHPOINT,
    VERBATIM,
    Seeded,
    seed,
)

pytestmark = pytest.mark.browser

# What the user text would have made of itself, had it been read as Markdown or HTML.
MADE = "img[src*='h/n.png'], img[src='x'], a[href^='http://h'], a[href^='mailto:']"


def _typed(text: str) -> re.Pattern[str]:
    """`text` as shown: a word joiner (unseen) may stand after any character."""
    return re.compile("\u2060?".join(re.escape(c).replace("/", "\\/") for c in text))


def _text(page) -> str:
    """The page's text as a reader sees it (the word joiners that break autolinks are unseen)."""
    return page.evaluate("() => document.body.innerText").replace("\u2060", "")


def _nothing_made(page, *typed: str) -> None:
    assert page.locator(MADE).count() == 0, page.locator(MADE).evaluate_all(
        "(found) => found.map((e) => e.outerHTML)"
    )
    shown = _text(page)
    for text in typed:
        assert text in shown, (text, shown[:2000])


@pytest.fixture
def seeded(app_server) -> Seeded:
    store = open_store(app_server.database_url)
    try:
        return seed(store)
    finally:
        store.dispose()


def test_markdown_typed_by_users_shows_as_typed_in_the_browser(
    browser, app_server, seeded, artifacts
):
    requested: list[str] = []
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="fr-FR")
    context.on("request", lambda request: requested.append(request.url))
    page = context.new_page()
    page.goto(f"{app_server.url}/board?journey={JID}")
    wait_for_app(page)
    page.get_by_role("heading", name=re.compile("^Titre ")).wait_for()
    _nothing_made(page, TITLE, PERSONA)

    page.get_by_role("tab", name="Points de contact").click()
    wait_for_app(page)
    page.locator(".st-key-board_tp_picker button").first.click()  # the picker's popover
    wait_for_app(page)
    page.locator(".st-key-board_pick_tp").click()
    page.get_by_role("option", name=TOUCHPOINT).click()  # a selectbox: plain text already
    page.locator(".st-key-board_edit_tp button").click()
    wait_for_app(page)
    dialog = page.get_by_role("dialog")
    dialog.get_by_text(_typed(FINDING)).first.wait_for()
    page.screenshot(path=str(artifacts / "user-text-board-dialog.png"))
    _nothing_made(page, FINDING)
    context.close()

    phone = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="fr-FR"
    )
    phone.on("request", lambda request: requested.append(request.url))
    capture = phone.new_page()
    capture.goto(f"{app_server.url}/capture?j={JID}&code={seeded.code}")
    wait_for_app(capture)
    capture.locator(".st-key-capture_moment").get_by_role("radio", name=_typed(MOMENT)).click()
    wait_for_app(capture)
    capture.locator(".st-key-capture_channel").get_by_role("radio", name=seeded.channel).click()
    wait_for_app(capture)
    touchpoint = capture.locator(".st-key-capture_touchpoint")
    touchpoint.get_by_role("radio", name=_typed(TOUCHPOINT)).wait_for()
    capture.screenshot(path=str(artifacts / "user-text-capture-390x844.png"), full_page=True)
    _nothing_made(capture, TITLE, MOMENT, TOUCHPOINT)
    phone.close()

    context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="fr-FR")
    context.on("request", lambda request: requested.append(request.url))
    visits = context.new_page()
    visits.goto(f"{app_server.url}/visits?journey={JID}")
    wait_for_app(visits)
    visits.get_by_role("tab", name="Visites", exact=True).click()
    wait_for_app(visits)
    visits.locator(".st-key-visits_pick input").click()
    visits.get_by_role("option").first.click()
    wait_for_app(visits)
    visits.get_by_text(_typed(VERBATIM)).wait_for()  # its own quotation marks, once
    visits.screenshot(path=str(artifacts / "user-text-visits.png"), full_page=True)
    _nothing_made(visits, TITLE, VERBATIM)
    assert "« «" not in _text(visits)
    context.close()

    assert not [url for url in requested if url.startswith("http://h")]
