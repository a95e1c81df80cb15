"""Every screen in step, in real browsers: an edit made elsewhere (another process writing to the
workspace, another tab's click) shows on a board in projector mode within 2 s, with no click,
no reload and the same scroll; a participant's note shows there as a counter whose tray reads
it; a reload keeps projector mode and the minimised join code, whose badge covers no cell; and
two app servers sharing one PostgreSQL workspace keep their screens in step through the store
alone. How soon, over many edits: bench/bench_live.py."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from journeys import services
from journeys.contract.model import FindingType
from journeys.store.db import open_store
from journeys.workshop import participants as p
from tests.e2e.conftest import start_app, stop_app
from tests.e2e.helpers import PHONE, wait_for_app
from tests.e2e.in_step import (
    BOARD,
    LAPTOP,
    PROJECTOR,
    add_touchpoint,
    empty_cell,
    fresh_postgres_database,
    on_board,
    open_board,
    seconds_until_shown,
)
from tests.needs import need

pytestmark = pytest.mark.browser

TEMPLATE = "first_subscription.fr.journey"
RENEWAL = "fixed_term_renewal.fr.journey"  # the press renewal journey: 10 moments × 8 channels
FIRST = "Paywall après 3 articles gratuits"  # a touchpoint of the template, in the first row
WITHIN = 2.0  # seconds: issue 16's promise for every screen
NOTE = "Le code reçu par email ne marche pas"
PHONE_AGENT = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)

# A mark that a reload would wipe out.
_MARK = "() => (window.__inStep = window.__inStep || Math.random())"

# The rectangles of the board's containers that show `first` (the whole grid, every cell in it).
_BOARD_BOXES = """([selector, first]) => [...document.querySelectorAll(selector)]
  .filter((e) => (e.textContent + (e.shadowRoot ? e.shadowRoot.textContent : ''))
    .replaceAll('\\u00ad', '').includes(first))
  .map((e) => e.getBoundingClientRect().toJSON())"""


def _journey(database_url: str) -> tuple[str, str]:
    """The first-subscription template as a new journey, open for notes: (its id, its code)."""
    store = open_store(database_url)
    try:
        jid = services.create_from_template(TEMPLATE, store=store).id
        return jid, p.open_workshop(jid, store=store)
    finally:
        store.dispose()


def _send_note(store, jid: str, code: str, text: str) -> None:
    moment, channel = empty_cell(services.get_journey(jid, store=store))  # its name will show
    draft = p.NoteDraft(type=FindingType.IRRITANT, text=text, moment=moment, channel=channel)
    p.submit_note(jid, code, draft, store=store)


def _look(page) -> dict:
    """Where the board shows its first card (in the viewport: the same after a rerun that kept
    the scroll), and the page's mark (the same unless reloaded)."""
    box = on_board(page, FIRST).bounding_box()
    return {"top": None if box is None else round(box["y"]), "mark": page.evaluate(_MARK)}


def _expect_projector_mode(page) -> None:
    """The switch on, the mode in the URL, no sidebar (waiting for the page's run to end)."""
    expect(page.locator(".st-key-board_projector_switch input")).to_be_checked()
    expect(page.locator("[data-testid='stSidebar']")).to_be_hidden()
    assert "mode=projector" in page.url


def _overlaps(a: dict, b: dict) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


def test_edits_made_elsewhere_show_on_the_projector_within_2_s_without_a_click(browser, app_server):
    jid, code = _journey(app_server.database_url)
    laptop = open_board(browser, app_server.url, jid, FIRST)
    projector = open_board(browser, app_server.url, jid, FIRST, projector=True)
    _expect_projector_mode(projector)
    projector.mouse.move(640, 500)
    projector.mouse.wheel(0, 250)  # the facilitator has scrolled down a little
    projector.wait_for_timeout(300)
    before = _look(projector)

    # Another process writes to the workspace (here the test's own store).
    elsewhere = open_store(app_server.database_url)
    try:
        add_touchpoint(elsewhere, jid, "Relance par SMS à J-3")
        assert seconds_until_shown(projector, "Relance par SMS à J-3", WITHIN) <= WITHIN
        # Another tab of the same server: the facilitator accepts a note on the laptop.
        _send_note(elsewhere, jid, code, NOTE)
    finally:
        elsewhere.dispose()
    laptop.locator(".ib-note", has_text=NOTE).wait_for()
    laptop.locator("[class*='st-key-inbox_accept_'] button").first.click()
    laptop.get_by_text("Note ajoutée").wait_for()
    assert seconds_until_shown(projector, NOTE, WITHIN) <= WITHIN

    assert _look(projector) == before  # not reloaded, scrolled where it was
    _expect_projector_mode(projector)
    assert on_board(laptop, "Relance par SMS à J-3").is_visible()  # and the laptop followed


def test_a_phone_reading_the_board_keeps_its_place_when_an_edit_comes(browser, app_server):
    """On a phone the board is one block of HTML in its own scroll box, drawn anew for a new
    revision: the browser scrolls the new box where the reader had scrolled the old one."""
    jid, _ = _journey(app_server.database_url)
    page = browser.new_context(
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        user_agent=PHONE_AGENT,
        locale="fr-FR",
    ).new_page()
    page.goto(f"{app_server.url}/board?journey={jid}")
    wait_for_app(page)
    on_board(page, FIRST).wait_for()
    scrolled = page.locator(".jb-scroll")
    before = scrolled.evaluate(
        "(box) => { box.scrollTo(300, 200); return [box.scrollLeft, box.scrollTop]; }"
    )
    assert before[0] > 0 and before[1] > 0
    store = open_store(app_server.database_url)
    try:
        add_touchpoint(store, jid, "Relance par SMS à J-3")
    finally:
        store.dispose()
    assert seconds_until_shown(page, "Relance par SMS à J-3", WITHIN) <= WITHIN
    assert scrolled.evaluate("(box) => [box.scrollLeft, box.scrollTop]") == before


def test_a_participants_note_shows_as_a_counter_whose_tray_reads_it(browser, app_server):
    jid, code = _journey(app_server.database_url)
    projector = open_board(browser, app_server.url, jid, FIRST, projector=True)
    counter = projector.locator(".st-key-live_notes")
    counter.get_by_role("button", name="Aucune nouvelle note").wait_for()

    phone = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="fr-FR"
    ).new_page()
    phone.goto(f"{app_server.url}/capture?j={jid}&code={code}")
    wait_for_app(phone)
    phone.locator(".st-key-capture_moment").get_by_role(
        "radio", name="Découverte de l'offre"
    ).click()
    wait_for_app(phone)
    phone.locator(".st-key-capture_channel").get_by_role("radio", name="Email").click()
    wait_for_app(phone)
    phone.locator(".st-key-capture_type_irritant button").click()
    wait_for_app(phone)
    # the type is picked once the page says so (a click during a rerun may land on a button
    # being replaced): as tests/e2e/test_participant_flow.py does
    phone.locator(".st-key-capture_type_irritant button", has_text="✓").wait_for()
    phone.locator(".st-key-capture_text textarea").fill(NOTE)
    phone.locator(".st-key-capture_send button").click()
    wait_for_app(phone)
    phone.get_by_text("Note envoyée").wait_for(timeout=10_000)

    counter.get_by_role("button", name="1 nouvelle note").wait_for(timeout=WITHIN * 1000)
    assert projector.get_by_text(NOTE).count() == 0  # the tray is closed: discreet
    counter.get_by_role("button", name="1 nouvelle note").click()
    tray = projector.locator("[data-testid='stPopoverBody']")
    tray.get_by_text(NOTE).wait_for()
    tray.get_by_text("Découverte de l'offre · Email").wait_for()
    _expect_projector_mode(projector)


def test_a_reload_keeps_projector_mode_and_the_join_badge_covers_no_cell(
    browser, app_server, artifacts
):
    jid, code = _journey(app_server.database_url)
    projector = open_board(browser, app_server.url, jid, FIRST, projector=True)
    projector.locator(".ib-float .ib-code b").wait_for()  # the QR code floats over the board
    projector.locator(".st-key-live_join_minimise").get_by_role("button").click()
    badge = projector.locator(".st-key-live_join_badge").get_by_role("button")
    badge.wait_for()
    assert p.format_code(code) in badge.inner_text()
    projector.locator(".ib-float").wait_for(state="detached")

    projector.reload()
    wait_for_app(projector)
    on_board(projector, FIRST).wait_for()
    badge.wait_for()
    _expect_projector_mode(projector)
    assert "join=min" in projector.url
    assert projector.locator(".ib-float").count() == 0
    projector.wait_for_timeout(500)
    projector.screenshot(path=str(artifacts / "live-projector-badge-1280x720.png"))

    box = badge.bounding_box()
    boards = projector.evaluate(_BOARD_BOXES, [BOARD, FIRST])
    cells = [c.bounding_box() for c in projector.locator(".jb-board td, .jb-board th").all()]
    assert boards and box is not None
    for scroll in (0, 400):  # in the flow above the board: scrolling moves both alike
        projector.mouse.wheel(0, scroll)
        projector.wait_for_timeout(200)
        box = badge.bounding_box()
        boards = projector.evaluate(_BOARD_BOXES, [BOARD, FIRST])
        assert box is not None and not any(_overlaps(box, board) for board in boards)
    assert not any(_overlaps(badge.bounding_box(), cell) for cell in cells if cell)

    badge.click()  # the QR code comes back, and the URL forgets the badge
    projector.locator(".ib-float .ib-code b").wait_for()
    wait_for_app(projector)
    assert "join=min" not in projector.url


# Every cell of the board and the unfolded join panel, as rectangles in the viewport.
_CELLS_AND_PANEL = """() => ({
  panel: document.querySelector('.ib-float')?.getBoundingClientRect().toJSON() ?? null,
  cells: [...document.querySelectorAll('.cv-cell')].map((c) => c.getBoundingClientRect().toJSON()),
})"""


@pytest.mark.parametrize("viewport", [PROJECTOR, LAPTOP], ids=["1280x720", "1920x1080"])
def test_the_unfolded_join_panel_stands_beside_the_board_and_covers_no_cell(
    browser, app_server, artifacts, viewport
):
    store = open_store(app_server.database_url)
    try:
        jid = services.create_from_template(RENEWAL, store=store).id
        p.open_workshop(jid, store=store)
    finally:
        store.dispose()
    context = browser.new_context(viewport=viewport, locale="fr-FR")
    projector = context.new_page()
    projector.goto(f"{app_server.url}/board?journey={jid}&mode=projector")
    wait_for_app(projector)
    projector.locator(".ib-float .ib-code b").wait_for()
    projector.locator(".cv-cell").first.wait_for()
    projector.wait_for_timeout(800)  # the board fits itself to the room the panel leaves
    size = f"{viewport['width']}x{viewport['height']}"
    projector.screenshot(path=str(artifacts / f"live-projector-join-panel-{size}.png"))

    for scroll in (0, 300):  # the panel stays put, the board scrolls under the header
        projector.mouse.wheel(0, scroll)
        projector.wait_for_timeout(200)
        shown = projector.evaluate(_CELLS_AND_PANEL)
        panel, cells = shown["panel"], shown["cells"]
        assert panel is not None and len(cells) == 10 * 8  # the renewal journey: 10 × 8
        assert panel["width"] >= 200 and panel["height"] >= 200  # a QR code a room can scan
        assert not [cell for cell in cells if _overlaps(panel, cell)]
    # The whole journey still fits the screen beside the panel: no scrolling to reach a cell.
    projector.mouse.wheel(0, -300)
    projector.wait_for_timeout(200)
    cells = projector.evaluate(_CELLS_AND_PANEL)["cells"]
    assert max(c["x"] + c["width"] for c in cells) <= viewport["width"]
    assert max(c["y"] + c["height"] for c in cells) <= viewport["height"]

    projector.locator(".st-key-live_join_minimise").get_by_role("button").click()
    projector.locator(".ib-float").wait_for(state="detached")
    projector.wait_for_timeout(500)  # minimised: the board takes the whole width again
    wider = projector.evaluate(_CELLS_AND_PANEL)["cells"]
    assert max(c["x"] + c["width"] for c in wider) > max(c["x"] + c["width"] for c in cells)
    context.close()


@pytest.mark.needs_postgres
def test_two_servers_on_one_postgresql_workspace_keep_their_screens_in_step(
    browser, tmp_path: Path
):
    with fresh_postgres_database() as database_url:
        need(database_url is not None, "a PostgreSQL server (JOURNEYS_TEST_POSTGRES_URL)")
        assert database_url is not None
        store = open_store(database_url)  # migrates the new database once, before the servers
        try:
            jid = services.create_from_template(TEMPLATE, store=store).id
            code = p.open_workshop(jid, store=store)
            _send_note(store, jid, code, NOTE)
        finally:
            store.dispose()
        servers = []
        try:
            for name in ("one", "two"):
                (tmp_path / name).mkdir()
                servers.append(start_app(tmp_path / name, {"JOURNEYS_DATABASE_URL": database_url}))
            (one, _), (two, _) = servers
            laptop = open_board(browser, one.url, jid, FIRST)
            projector = open_board(browser, two.url, jid, FIRST, projector=True)
            counter = projector.locator(".st-key-live_notes")
            counter.get_by_role("button", name="1 nouvelle note").wait_for()

            laptop.locator(".ib-note", has_text=NOTE).wait_for()
            laptop.locator("[class*='st-key-inbox_accept_'] button").first.click()
            laptop.get_by_text("Note ajoutée").wait_for()
            written = time.perf_counter()
            on_board(projector, NOTE).wait_for(timeout=WITHIN * 1000)
            assert time.perf_counter() - written <= WITHIN
            counter.get_by_role("button", name="Aucune nouvelle note").wait_for()
            _expect_projector_mode(projector)
        finally:
            for _, process in servers:
                stop_app(process)
