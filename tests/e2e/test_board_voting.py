"""The facilitator runs the dot vote from the board, in real browsers: opens it with 3 dots per
voter, a phone waiting on the capture page turns to its ballot by itself and spends its dots,
the board's panel counts them with no click, the facilitator spends their own, closes the vote
and the phone says so. Screenshots of the board with its panel at 1920×1080, 1280×720 and on a
phone (390×844) in test-artifacts/."""

from __future__ import annotations

import time

import pytest

from journeys import services
from journeys.workshop import participants as p
from journeys.workshop import votes as v
from tests.e2e.helpers import PHONE, wait_for_app
from tests.e2e.in_step import LAPTOP, PROJECTOR, open_board

pytestmark = pytest.mark.browser

TEMPLATE = "first_subscription.fr.journey"
FIRST = "Paywall après 3 articles gratuits"  # a touchpoint of the template, in the first row
PANEL = ".st-key-board_vote_panel"
PHONE_AGENT = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)


def _until(check, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "not within the time allowed"
        time.sleep(0.2)


def _journey(database_url: str) -> tuple[str, str]:
    store = services.open_store(database_url)
    try:
        jid = services.create_from_template(TEMPLATE, store=store).id
        return jid, p.open_workshop(jid, store=store)
    finally:
        store.dispose()


def test_the_facilitator_opens_the_vote_from_the_board_and_a_phone_then_spends_its_dots(
    browser, app_server, artifacts
):
    jid, code = _journey(app_server.database_url)
    store = services.open_store(app_server.database_url)
    try:
        phone_context = browser.new_context(
            viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="fr-FR"
        )
        phone = phone_context.new_page()
        phone.goto(f"{app_server.url}/capture?j={jid}&code={code}")
        wait_for_app(phone)
        phone.locator(".st-key-capture_send button").wait_for()
        assert phone.locator("[class*='st-key-capture_vote_plus_']").count() == 0

        board = open_board(browser, app_server.url, jid, FIRST)
        panel = board.locator(PANEL)
        panel.scroll_into_view_if_needed()
        panel.get_by_text("Vote clos").wait_for()
        dots = board.locator(".st-key-board_vote_dots input")
        dots.fill("3")
        dots.press("Enter")
        panel.get_by_text("Désormais 3 gommettes par votant.").wait_for()
        wait_for_app(board)
        board.locator(".st-key-board_vote_open button").click()
        panel.get_by_text("Vote ouvert", exact=True).wait_for()
        assert v.vote_summary(jid, store=store).open is True

        # the phone turns to its ballot by itself, with the 3 dots the board set
        phone.get_by_text("Il vous reste 3 gommettes sur 3").wait_for(timeout=15_000)
        wait_for_app(phone)
        plus = phone.locator("[class*='st-key-capture_vote_plus_'] button:visible")
        plus.first.tap()
        wait_for_app(phone)
        phone.get_by_text("Il vous reste 2 gommettes sur 3").wait_for()
        _until(lambda: sum(v.vote_tally(jid, store=store).values()) == 1)

        # the board counts the phone's dot with no click (the live tick)
        panel.get_by_text("1 votant").wait_for(timeout=10_000)
        panel.get_by_text("1 gommette posée").wait_for()

        # the facilitator spends their own dots on the same ballot
        panel.get_by_text("Mes gommettes").click()
        mine = board.locator("[class*='st-key-board_vote_plus_'] button:visible")
        mine.first.wait_for()
        mine.first.click()
        wait_for_app(board)
        panel.get_by_text("Il vous reste 2 gommettes sur 3").wait_for()
        panel.get_by_text("2 votants").wait_for()
        _until(lambda: v.dots_left(jid, "facilitator:local", store=store) == 2)
        board.set_viewport_size(LAPTOP)
        panel.scroll_into_view_if_needed()
        board.wait_for_timeout(300)
        board.screenshot(path=str(artifacts / "board-voting-1920x1080.png"))
        board.set_viewport_size(PROJECTOR)
        panel.scroll_into_view_if_needed()
        board.wait_for_timeout(300)
        board.screenshot(path=str(artifacts / "board-voting-1280x720.png"))

        board.locator(".st-key-board_vote_close button").click()
        panel.get_by_text("Vote clos", exact=True).wait_for()
        phone.get_by_text("Le vote est clos, merci").wait_for(timeout=15_000)
        assert phone.locator("[class*='st-key-capture_vote_plus_']").count() == 0
        assert sum(v.vote_tally(jid, store=store).values()) == 2
        phone_context.close()
    finally:
        store.dispose()


def test_the_vote_panel_reads_well_on_a_phone(browser, app_server, artifacts):
    jid, _ = _journey(app_server.database_url)
    store = services.open_store(app_server.database_url)
    try:
        v.open_vote(jid, store=store)
    finally:
        store.dispose()
    context = browser.new_context(
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="fr-FR",
        user_agent=PHONE_AGENT,
    )
    page = context.new_page()
    page.goto(f"{app_server.url}/board?journey={jid}")
    wait_for_app(page)
    panel = page.locator(PANEL)
    panel.scroll_into_view_if_needed()
    panel.get_by_text("Vote ouvert", exact=True).wait_for()
    page.wait_for_timeout(300)
    page.screenshot(path=str(artifacts / "board-voting-390x844.png"))
    box = page.locator(".st-key-board_vote_close button").bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    context.close()
