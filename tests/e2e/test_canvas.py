"""The board's canvas in a real browser: the whole press renewal journey on a 1280×720 projector
with no scroll and no text under 14 px; a touchpoint added by clicking an empty cell; a card
dragged to another cell; Ctrl+Z and Ctrl+Shift+Z through the store's versions; a reload that
keeps zoom and mode; a rerun with someone else's edit that keeps zoom, selection and scroll;
two screens dragging one card at once."""

from __future__ import annotations

import contextlib

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from journeys import services
from journeys.contract.model import Moment
from journeys.store.db import open_store
from tests.e2e.helpers import eventually, wait_for_app
from tests.fixtures.user_text import FINDING, JID, MOMENT, TOUCHPOINT, seed

pytestmark = pytest.mark.browser

PRESS = "fixed_term_renewal.fr.journey"  # the press renewal: a weekly magazine's subscription
SEPA = "sepa_open_ended.fr.journey"  # 12 moments × 9 channels

# Every cell inside the window, nothing scrolled, and the smallest text of the cells and headers.
_FITS = """() => {
  const scroll = document.querySelector('.cv-scroll');
  const cells = [...document.querySelectorAll('.cv-cell')];
  const inside = cells.filter((c) => {
    const r = c.getBoundingClientRect();
    return r.top >= 0 && r.left >= 0
      && r.bottom <= innerHeight + 0.5 && r.right <= innerWidth + 0.5;
  });
  const texts = [...document.querySelectorAll(
    '.cv-line, .cv-chip, .cv-more, .cv-mhead .cv-hlabel, .cv-chead .cv-hlabel')];
  return {
    cells: cells.length,
    inside: inside.length,
    scrolls: scroll.scrollHeight > scroll.clientHeight + 1
      || scroll.scrollWidth > scroll.clientWidth + 1,
    smallest: Math.min(...texts.map((t) => parseFloat(getComputedStyle(t).fontSize))),
    lang: document.querySelector('.cv-root').lang,
    page: document.documentElement.lang,
    sidebar: !!document.querySelector('[data-testid="stSidebar"]')?.checkVisibility(),
  };
}"""


def _journey(url: str, template: str, *, moments: int = 0) -> str:
    store = open_store(url)
    try:
        jid = services.create_from_template(template, store=store).id
        for n in range(moments):  # the press renewal as the issue met it: 11 moments
            services.add_moment(
                jid, Moment(id=f"bilan-{n}", label="Bilan de fin d'abonnement"), store=store
            )
        return jid
    finally:
        store.dispose()


def _open(browser, url: str, path: str, width: int = 1600, height: int = 900):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="fr-FR")
    page = context.new_page()
    page.goto(url + path)
    wait_for_app(page)
    page.locator(".cv-grid .cv-cell").first.wait_for()
    page.wait_for_timeout(300)  # the fit after the layout settles
    return context, page


def _cell(database_url: str, jid: str, tp: str) -> tuple[str, str] | None:
    store = open_store(database_url)
    try:
        journey = services.get_journey(jid, store=store)
    finally:
        store.dispose()
    found = next((t for t in journey.touchpoints if t.id == tp), None)
    return (found.moment, found.channel) if found else None


def _drag(page, source, target) -> None:
    box, to = source.bounding_box(), target.bounding_box()
    page.mouse.move(box["x"] + 8, box["y"] + 6)
    page.mouse.down()
    page.mouse.move(box["x"] + 30, box["y"] + 20, steps=4)
    page.mouse.move(to["x"] + to["width"] / 2, to["y"] + to["height"] / 2, steps=8)
    page.mouse.up()


def _fits_without_the_join_code(page) -> dict:
    """Minimise the join code to its badge, let the board fit the width it gives back (a rerun,
    then a new fit), and measure."""
    page.locator(".st-key-live_join_minimise button").click()
    page.locator(".st-key-live_join_badge button").first.wait_for()
    # Settled: every cell inside; if it never is, the measure below says what is not.
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_function(
            f"() => {{ const f = ({_FITS})(); return f.inside === f.cells && !f.scrolls; }}",
            timeout=5_000,
        )
    page.wait_for_timeout(300)
    return page.evaluate(_FITS)


def test_the_overview_shows_the_whole_press_renewal_on_a_1280x720_projector(
    browser, app_server, artifacts
):
    press = _journey(app_server.database_url, PRESS, moments=1)
    context, page = _open(
        browser, app_server.url, f"/board?journey={press}&mode=projector", 1280, 720
    )
    # The join code opens in a column of its own beside the board (never over it); once the
    # room has joined, the facilitator minimises it to a badge and the board takes the width.
    fits = _fits_without_the_join_code(page)
    page.screenshot(path=str(artifacts / "canvas-overview-1280x720.png"))
    assert fits["cells"] == 11 * 8 and fits["inside"] == 11 * 8, fits
    assert not fits["scrolls"] and fits["smallest"] >= 14, fits
    assert (fits["lang"], fits["page"], fits["sidebar"]) == ("fr", "fr", False)

    sepa = _journey(app_server.database_url, SEPA)  # the largest template: 12 × 9
    page.goto(f"{app_server.url}/board?journey={sepa}&mode=projector")
    wait_for_app(page)
    page.locator(".cv-grid .cv-cell").first.wait_for()
    fits = _fits_without_the_join_code(page)  # a new session: the code shows again
    assert fits["cells"] == fits["inside"] == 12 * 9 and not fits["scrolls"], fits
    assert fits["smallest"] >= 14, fits
    context.close()


def test_click_to_add_drag_to_move_and_undo_redo_with_the_keyboard(browser, app_server):
    jid = _journey(app_server.database_url, PRESS)
    context, page = _open(browser, app_server.url, f"/board?journey={jid}")
    page.evaluate("() => { document.querySelector('.cv-root').dataset.mark = 'same'; }")

    page.locator('.cv-cell[data-m="souscription"][data-c="sms"]').click()  # an empty cell
    page.locator(".cv-add").fill("SMS de bienvenue")
    page.locator(".cv-add").press("Enter")
    added = page.locator(
        '.cv-cell[data-m="souscription"][data-c="sms"] [data-tp="sms-de-bienvenue"]'
    )
    added.wait_for()
    eventually(lambda: _cell(app_server.database_url, jid, "sms-de-bienvenue") is not None, page)
    assert _cell(app_server.database_url, jid, "sms-de-bienvenue") == ("souscription", "sms")

    _drag(page, added, page.locator('.cv-cell[data-m="bienvenue"][data-c="email"]'))
    moved = ("bienvenue", "email")
    # The card shows in its new cell at once, before any answer from the server.
    page.locator(
        '.cv-cell[data-m="bienvenue"][data-c="email"] [data-tp="sms-de-bienvenue"]'
    ).wait_for(timeout=500)
    eventually(lambda: _cell(app_server.database_url, jid, "sms-de-bienvenue") == moved, page)

    page.keyboard.press("Control+z")
    eventually(
        lambda: _cell(app_server.database_url, jid, "sms-de-bienvenue") == ("souscription", "sms"),
        page,
    )
    page.locator(".cv-toast", has_text="Annulé").wait_for()
    page.keyboard.press("Control+Shift+z")
    eventually(lambda: _cell(app_server.database_url, jid, "sms-de-bienvenue") == moved, page)
    page.locator(".cv-toast", has_text="Rétabli").wait_for()

    page.keyboard.press("Delete")  # the card is still selected: to the trash, and back
    eventually(lambda: _cell(app_server.database_url, jid, "sms-de-bienvenue") is None, page)
    page.keyboard.press("Control+z")
    eventually(lambda: _cell(app_server.database_url, jid, "sms-de-bienvenue") == moved, page)
    # Same component all along: the reruns updated it, never rebuilt it.
    assert page.evaluate("() => document.querySelector('.cv-root').dataset.mark") == "same"
    context.close()


def test_a_reload_keeps_zoom_and_mode(browser, app_server, artifacts):
    jid = _journey(app_server.database_url, PRESS)
    context, page = _open(browser, app_server.url, f"/board?journey={jid}", 1920, 1080)
    page.locator('.cv-bar [data-act="zoom:detail"]').click()
    page.locator(".st-key-board_projector_switch .jw-switch").click()
    page.wait_for_function(
        "() => ['zoom=detail', 'mode=projector'].every((p) => location.search.includes(p))"
    )
    wait_for_app(page)
    page.reload()
    wait_for_app(page)
    page.locator(".cv-grid .cv-card").first.wait_for()
    root = page.locator(".cv-root")
    assert root.get_attribute("data-zoom") == "detail"
    assert "jb-projector" in root.get_attribute("class")
    page.locator(".cv-f .cv-imp").first.wait_for()  # whole findings and their axes
    page.screenshot(path=str(artifacts / "canvas-detail-1920x1080.png"))
    context.close()


def test_an_edit_made_elsewhere_redraws_the_canvas_keeping_zoom_selection_and_scroll(
    browser, app_server
):
    jid = _journey(app_server.database_url, PRESS)
    context, page = _open(browser, app_server.url, f"/board?journey={jid}", 1280, 720)
    page.locator('.cv-bar [data-act="zoom:cards"]').click()
    page.locator(".cv-card .cv-f").first.wait_for()
    wait_for_app(page)
    page.locator(".cv-root").focus()
    for key in ("ArrowRight", "ArrowRight", "ArrowDown", "ArrowDown"):
        page.keyboard.press(key)
    selected = page.evaluate("() => document.querySelector('.cv-sel').outerHTML.slice(0, 120)")
    page.evaluate("() => { const s = document.querySelector('.cv-scroll'); s.scrollTop = 140; }")
    page.evaluate("() => { document.querySelector('.cv-root').dataset.mark = 'same'; }")

    store = open_store(app_server.database_url)
    try:
        editable = services.get_journey_for_edit(jid, store=store)
        coupon = next(tp for tp in editable.journey.touchpoints if tp.id == "coupon-encarte")
        services.update_touchpoint(
            jid,
            coupon.id,
            coupon.model_copy(update={"label": "Coupon renommé ailleurs", "findings": []}),
            store=store,
            expected_version=editable.touchpoint_versions[coupon.id],
        )
    finally:
        store.dispose()
    page.locator(".cv-card", has_text="Coupon renommé ailleurs").wait_for(timeout=5_000)
    after = page.evaluate(
        """() => ({
          mark: document.querySelector('.cv-root').dataset.mark,
          zoom: document.querySelector('.cv-root').dataset.zoom,
          top: document.querySelector('.cv-scroll').scrollTop,
          selected: document.querySelector('.cv-sel').outerHTML.slice(0, 120),
        })"""
    )
    assert after == {"mark": "same", "zoom": "cards", "top": 140, "selected": selected}
    context.close()


def test_two_screens_dragging_one_card_at_once_one_wins_the_other_is_told(
    browser, app_server, artifacts
):
    jid = _journey(app_server.database_url, PRESS)
    first_context, first = _open(browser, app_server.url, f"/board?journey={jid}")
    second_context, second = _open(browser, app_server.url, f"/board?journey={jid}")
    card = '[data-tp="coupon-encarte"]'
    # The first screen grabs the card and holds it...
    box = first.locator(card).bounding_box()
    first.mouse.move(box["x"] + 8, box["y"] + 6)
    first.mouse.down()
    first.mouse.move(box["x"] + 40, box["y"] + 30, steps=4)
    # ...while the second drags it to the email channel and drops it: it wins.
    _drag(
        second, second.locator(card), second.locator('.cv-cell[data-m="bienvenue"][data-c="email"]')
    )
    winner = ("bienvenue", "email")
    eventually(lambda: _cell(app_server.database_url, jid, "coupon-encarte") == winner, second)
    # The first screen, redrawn meanwhile (the card shows where the second put it), drops the
    # card it grabbed at the old version.
    first.locator(f'.cv-cell[data-m="bienvenue"][data-c="email"] {card}').wait_for()
    first.screenshot(path=str(artifacts / "canvas-two-screens-before-drop.png"))
    target = first.locator('.cv-cell[data-m="renouvellement"][data-c="sms"]').bounding_box()
    assert target is not None
    first.mouse.move(target["x"] + 20, target["y"] + 20, steps=8)
    first.mouse.up()
    first.locator(".cv-toast.cv-alarm", has_text="quelqu'un d'autre").wait_for()
    first.locator(f'.cv-cell[data-m="bienvenue"][data-c="email"] {card}').wait_for()
    assert _cell(app_server.database_url, jid, "coupon-encarte") == winner
    first_context.close()
    second_context.close()


def test_presentation_walks_moment_by_moment(browser, app_server, artifacts):
    jid = _journey(app_server.database_url, PRESS)
    context, page = _open(
        browser, app_server.url, f"/board?journey={jid}&mode=projector", 1280, 720
    )
    page.locator('.cv-bar [data-act="present"]').click()
    focus = page.locator(".cv-mhead.cv-focus")
    focus.wait_for()
    assert focus.get_attribute("data-moment") == "souscription"
    for _ in range(6):
        page.keyboard.press("PageDown")  # what a clicker sends
    assert focus.get_attribute("data-moment") == "pre-renouvellement"
    assert "Émotion" in focus.inner_text()
    page.locator(".cv-cell.cv-focus .cv-imp").first.wait_for()  # findings in full, with axes
    page.wait_for_function("() => location.search.includes('present=pre-renouvellement')")
    page.screenshot(path=str(artifacts / "canvas-presentation-1280x720.png"))
    page.keyboard.press("Escape")
    page.locator(".cv-root:not(.cv-present)").wait_for()
    context.close()


def test_markdown_and_html_typed_by_users_show_as_typed_in_the_canvas(browser, app_server):
    store = open_store(app_server.database_url)
    try:
        seed(store)
    finally:
        store.dispose()
    context, page = _open(browser, app_server.url, f"/board?journey={JID}&zoom=detail")
    page.locator(".cv-card .cv-f").first.wait_for()
    made = "img[src*='h/n.png'], img[src='x'], a[href^='http://h'], b, strong"
    assert page.locator(f".cv-root :is({made})").count() == 0
    shown = page.locator(".cv-grid").inner_text().replace("\u00ad", "")  # soft hyphens unseen
    for typed in (MOMENT, TOUCHPOINT, FINDING):
        assert typed in shown, typed
    context.close()
