"""Dot-voting on a phone (390×844, touch): the page turns to the ballot by itself when the
facilitator opens the vote, each tap on + or − changes the tally in the store, the touch
targets are big enough, and the page says when the vote closes. Screenshots in
test-artifacts/."""

from __future__ import annotations

import re
import time

import pytest

from journeys import services
from journeys.workshop import participants as p
from journeys.workshop import votes as v
from tests.e2e.helpers import PHONE, wait_for_app

pytestmark = pytest.mark.browser

JOURNEY = "premier-abonnement"


def _until(check, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "not within the time allowed"
        time.sleep(0.2)


def test_a_participant_spends_dots_on_a_phone_and_the_tally_follows(browser, app_server, artifacts):
    store = services.open_store(app_server.database_url)
    try:
        services.create_from_template("first_subscription.fr.journey", store=store)
        code = p.open_workshop(JOURNEY, store=store)

        context = browser.new_context(
            viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="fr-FR"
        )
        phone = context.new_page()
        phone.goto(f"{app_server.url}/capture?j={JOURNEY}&code={code}")
        wait_for_app(phone)
        phone.locator(".st-key-capture_send button").wait_for()
        assert phone.locator("[class*='st-key-capture_vote_plus_']").count() == 0

        v.open_vote(JOURNEY, store=store)  # no tap on the phone: its page follows
        phone.get_by_text("Il vous reste 5 gommettes sur 5").wait_for(timeout=15_000)
        wait_for_app(phone)
        phone.screenshot(path=str(artifacts / "votes-390x844-open.png"))

        plus = phone.locator("[class*='st-key-capture_vote_plus_'] button:visible")
        box = plus.first.bounding_box()
        assert box is not None and box["width"] >= 48 and box["height"] >= 48
        first = plus.first.locator("xpath=ancestor::*[contains(@class,'st-key-')][1]")
        ref = int(re.search(r"capture_vote_plus_(\d+)", first.get_attribute("class")).group(1))

        for taps in (1, 2):
            plus.first.tap()
            wait_for_app(phone)
            phone.get_by_text(f"Il vous reste {5 - taps} gommettes sur 5").wait_for()
            _until(lambda taps=taps: v.vote_tally(JOURNEY, store=store).get(ref) == taps)
        plus.nth(3).scroll_into_view_if_needed()
        plus.nth(3).tap()
        wait_for_app(phone)
        phone.get_by_text("Il vous reste 2 gommettes sur 5").wait_for()
        assert sum(v.vote_tally(JOURNEY, store=store).values()) == 3

        minus = phone.locator(f".st-key-capture_vote_minus_{ref} button:visible")
        minus.scroll_into_view_if_needed()
        minus.tap()
        wait_for_app(phone)
        phone.get_by_text("Il vous reste 3 gommettes sur 5").wait_for()
        _until(lambda: v.vote_tally(JOURNEY, store=store).get(ref) == 1)
        phone.evaluate("window.scrollTo(0, 0)")
        phone.screenshot(path=str(artifacts / "votes-390x844-voted.png"))
        phone.screenshot(path=str(artifacts / "votes-390x844-full.png"), full_page=True)

        v.close_vote(JOURNEY, store=store)
        phone.get_by_text("Le vote est clos, merci").wait_for(timeout=15_000)
        assert phone.locator("[class*='st-key-capture_vote_plus_']").count() == 0
        assert sum(v.vote_tally(JOURNEY, store=store).values()) == 2
        context.close()
    finally:
        store.dispose()
