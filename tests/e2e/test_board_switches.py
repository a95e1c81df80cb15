"""The board's two switches in a real browser: the board changes at the click, before any
answer from the server (checked inside the click's own task), and the rerun that follows
draws the same board, with the page around it following (projector: no sidebar, no editing).
The board is the canvas (pages/board/canvas) at its "cards" zoom, where findings show."""

from __future__ import annotations

import pytest

from journeys import services
from journeys.store.db import open_store
from tests.e2e.helpers import wait_for_app

pytestmark = pytest.mark.browser

# The board's classes (those the switches toggle), whether its findings show and whether the
# sidebar shows.
_LOOK = """() => {
  const board = document.querySelector('.jb-board');
  const sidebar = document.querySelector('[data-testid="stSidebar"]');
  return {
    classes: [...board.classList].filter((c) => c.startsWith('jb-')).sort(),
    findings: [...board.querySelectorAll('.jb-findings')].some((f) => f.checkVisibility()),
    sidebar: sidebar !== null && sidebar.checkVisibility(),
  };
}"""

# Clicks a switch and looks in the same task: no answer from the server can have come yet.
_CLICK_AND_LOOK = f"""(key) => {{
  document.querySelector(`.st-key-${{key}} input`).click();
  return ({_LOOK})();
}}"""


def _board(browser, url: str, database_url: str):
    store = open_store(database_url)
    try:
        jid = services.create_from_template("first_subscription.fr.journey", store=store).id
    finally:
        store.dispose()
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="fr-FR")
    page = context.new_page()
    page.goto(f"{url}/?journey={jid}&zoom=cards")
    wait_for_app(page)
    page.locator(".jb-board .jb-findings").first.wait_for()
    page.locator(".st-key-board_findings_switch .jw-ready").wait_for()
    page.locator(".st-key-board_projector_switch .jw-ready").wait_for()
    return context, page


def _settled(page) -> dict:
    wait_for_app(page)
    page.wait_for_timeout(300)  # the rerun's last changes
    return page.evaluate(_LOOK)


def _checked(page, switch: str) -> bool:
    return page.locator(f".st-key-{switch} input").is_checked()


def test_the_switches_change_the_board_at_the_click_and_the_page_follows(
    browser, app_server, artifacts
):
    context, page = _board(browser, app_server.url, app_server.database_url)
    tabs = page.get_by_role("tab", name="Points de contact")
    assert tabs.is_visible() and _checked(page, "board_findings_switch")
    assert not _checked(page, "board_projector_switch")

    at_click = page.evaluate(_CLICK_AND_LOOK, "board_findings_switch")
    assert at_click == {
        "classes": ["jb-board", "jb-hide-findings"],
        "findings": False,
        "sidebar": True,
    }
    assert _settled(page) == at_click  # the server drew the same board
    assert not _checked(page, "board_findings_switch")

    at_click = page.evaluate(_CLICK_AND_LOOK, "board_projector_switch")
    assert at_click == {
        "classes": ["jb-board", "jb-hide-findings", "jb-projector"],
        "findings": False,
        "sidebar": False,
    }
    assert _settled(page) == at_click
    assert _checked(page, "board_projector_switch") and not tabs.is_visible()
    card = page.locator(".jb-board .jb-card .cv-label").first
    assert float(card.evaluate("e => getComputedStyle(e).fontSize")[:-2]) >= 20
    page.screenshot(path=str(artifacts / "board-switches-projector-no-findings.png"))

    # The keyboard works the switches too.
    page.locator(".st-key-board_findings_switch input").focus()
    page.keyboard.press("Space")
    assert _settled(page)["findings"] is True
    assert page.evaluate(_CLICK_AND_LOOK, "board_projector_switch")["sidebar"] is True
    assert _settled(page) == {"classes": ["jb-board"], "findings": True, "sidebar": True}
    tabs.wait_for()
    assert float(card.evaluate("e => getComputedStyle(e).fontSize")[:-2]) < 20
    context.close()


def test_quick_clicks_end_where_the_last_click_left_them(browser, app_server):
    """Clicks faster than the reruns: whatever order the answers come in, the board and the
    server end on the last click's value."""
    context, page = _board(browser, app_server.url, app_server.database_url)
    switch = page.locator(".st-key-board_findings_switch .jw-switch")
    for _ in range(5):  # odd: hidden at the end
        switch.click()
    assert _settled(page)["findings"] is False
    assert not _checked(page, "board_findings_switch")
    page.reload()  # a new session starts with the default, shown
    wait_for_app(page)
    page.locator(".jb-board .jb-findings").first.wait_for()
    context.close()
