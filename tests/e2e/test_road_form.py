"""The shopper's form on a 390 × 844 phone screen: a half-typed observation survives a reload,
a visit sent with a photo shows its visit count on the board. Screenshots in test-artifacts/."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from journeys import services
from journeys.visits import services as vs
from journeys.visits.agency.mapping import ValueMapping, suggest_mapping
from journeys.visits.agency.preview import sniff
from journeys.visits.drafts import ObservationDraft, VisitDraft, typed_digests
from pages.road.autosave import CRC32_JS
from tests.e2e.helpers import PHONE, png, wait_for_app, warm_up
from tests.fixtures.agency_files import AGENCY_FILE

pytestmark = pytest.mark.browser
JOURNEY = "premier-abonnement"


def choose(page, label: str, option: str) -> None:
    """Pick an option of a Streamlit selectbox by its label, as a thumb would."""
    page.locator("[data-testid='stSelectbox']").filter(has_text=label).first.click()
    page.get_by_role("option", name=option).first.click()
    wait_for_app(page)


def tap(page, text: str) -> None:
    """Tap the option of a segmented control (type, intensity, rating) that shows `text`."""
    page.locator("[data-testid='stButtonGroup'] button").filter(has_text=text).first.click()
    wait_for_app(page)


def wait_for_draft(store, token: str, check, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check(vs.load_draft(token, store=store).draft):
            return
        time.sleep(0.2)
    raise AssertionError(f"draft not saved as expected: {vs.load_draft(token, store=store).draft}")


def test_a_half_typed_observation_survives_a_reload_and_the_sent_visit_counts_on_the_board(
    browser, app_server, artifacts, tmp_path
):
    store = services.open_store(app_server.database_url)
    services.create_from_template("first_subscription.fr.journey", store=store)
    photo = tmp_path / "guichet.png"
    photo.write_bytes(png())
    context = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="fr-FR"
    )
    page = context.new_page()
    try:
        warm_up(page, f"{app_server.url}/?lang=fr")
        page.goto(f"{app_server.url}/road?journey={JOURNEY}&lang=fr")
        wait_for_app(page)
        page.get_by_label("Votre nom (client mystère)").fill("Marie")
        page.get_by_role("button", name="Commencer la visite").click()
        page.wait_for_url("**draft=*")
        wait_for_app(page)
        token = page.url.split("draft=")[1].split("&")[0]

        choose(page, "Moment de vie", "★ Souscription")
        choose(page, "Canal", "Site web")
        tap(page, "Irritant")
        text = page.get_by_label("Constat")
        text.click()
        text.press_sequentially("Formulaire trop", delay=40)
        # No blur, no Enter: the form saves during the pause, as when a phone locks.
        wait_for_draft(store, token, lambda d: d.observations[0].text == "Formulaire trop")
        wait_for_app(page)
        page.screenshot(path=str(artifacts / "road-half-typed-390.png"), full_page=True)

        page.reload()
        wait_for_app(page)
        expect(page.get_by_label("Constat")).to_have_value("Formulaire trop")
        assert JOURNEY in page.url and token in page.url
        page.screenshot(path=str(artifacts / "road-after-reload-390.png"), full_page=True)

        text = page.get_by_label("Constat")
        text.click()
        text.press_sequentially(" long, code promo refusé", delay=20)
        page.get_by_label("Attente en minutes (facultatif)").fill("3,5")
        tap(page, "2★")
        # Streamlit drops the uploader's request for an upload URL when it arrives as a rerun
        # starts (the browser queue is cleared): let the rating's rerun finish first, as the
        # seconds a phone takes to open its camera do.
        wait_for_draft(store, token, lambda d: d.observations[0].rating == 2)
        wait_for_app(page)
        page.wait_for_timeout(500)
        page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(photo))
        wait_for_draft(store, token, lambda d: len(d.observations[0].photos) == 1)
        page.locator(".st-key-road_photo_0").get_by_text("guichet.png").wait_for()
        page.locator(".st-key-road_photo_0 img").wait_for()  # the thumbnail is drawn
        wait_for_app(page)
        page.screenshot(path=str(artifacts / "road-ready-390.png"), full_page=True)
        page.get_by_role("button", name="Envoyer la visite").scroll_into_view_if_needed()
        page.screenshot(path=str(artifacts / "road-ready-bottom-390.png"))

        page.get_by_role("button", name="Envoyer la visite").click()
        page.get_by_text("Visite envoyée").wait_for()
        page.screenshot(path=str(artifacts / "road-sent-390.png"), full_page=True)
        (visit,) = vs.list_visits(JOURNEY, store=store)
        assert (visit.shopper, visit.observations, visit.photos) == ("Marie", 1, 1)
        sent = vs.get_visit(JOURNEY, visit.id, store=store).observations[0]
        assert (sent.text, sent.wait_minutes, sent.rating) == (
            "Formulaire trop long, code promo refusé",
            3.5,
            2,
        )

        desk = context.browser.new_context(viewport={"width": 1920, "height": 1080})
        board = desk.new_page()
        board.goto(f"{app_server.url}/board?journey={JOURNEY}&lang=fr&zoom=cards")
        wait_for_app(board)
        # The canvas hyphenates long words with soft hyphens (unseen unless a line breaks).
        said = "\u00ad?".join(re.escape(c) for c in "Formulaire trop long, code promo")
        card = board.locator(".jb-card").filter(has_text=re.compile(said))
        assert "1 visite" in card.locator(".cv-ev").inner_text()
        card.scroll_into_view_if_needed()
        board.screenshot(path=str(artifacts / "board-visit-count-1920.png"))
        desk.close()
    except Exception:
        page.screenshot(path=str(artifacts / "road-failure-390.png"), full_page=True)
        page.mouse.wheel(0, 5000)
        page.screenshot(path=str(artifacts / "road-failure-bottom-390.png"))
        raise
    finally:
        context.close()
        store.dispose()


def test_the_visits_and_compare_pages_draw_their_charts(browser, app_server, artifacts):
    store = services.open_store(app_server.database_url)
    services.create_from_template("first_subscription.fr.journey", store=store)
    mapping = suggest_mapping(sniff(AGENCY_FILE).headers)
    values = ValueMapping(channels={"Tél.": "telephone"})
    vs.import_agency_csv(AGENCY_FILE, JOURNEY, mapping, values, store=store, agency="Qualimétrie")
    vs.derive_target_journey(JOURNEY, store=store, new_id=f"{JOURNEY}-cible")
    store.dispose()
    # Tall enough for the whole page: Streamlit scrolls inside its own container.
    context = browser.new_context(viewport={"width": 1440, "height": 2000})
    page = context.new_page()
    try:
        warm_up(page, f"{app_server.url}/?lang=fr")
        for path, name in (("visits", "visits"), ("compare", "compare")):
            page.goto(f"{app_server.url}/{path}?journey={JOURNEY}&lang=fr")
            page.locator("[data-testid='stPlotlyChart'] .main-svg").first.wait_for()
            page.locator("[data-testid='stDataFrame'] canvas").first.wait_for()
            wait_for_app(page)
            page.wait_for_timeout(1500)  # plotly's transition, the tables' canvases
            assert not page.locator("[data-testid='stException']").count()
            page.screenshot(path=str(artifacts / f"{name}-1440.png"))
    finally:
        context.close()


def _open_new_draft(context, app_server, store) -> tuple[object, str]:
    """A phone page on a fresh draft of the journey, the shopper's name already given."""
    token = vs.new_draft(JOURNEY, store=store, shopper="Marie").token
    page = context.new_page()
    warm_up(page, f"{app_server.url}/?lang=fr")
    page.goto(f"{app_server.url}/road?draft={token}&lang=fr")
    wait_for_app(page)
    return page, token


def _phone(browser):
    return browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="fr-FR"
    )


def test_words_typed_just_before_a_reload_are_all_there_after_it(browser, app_server, artifacts):
    store = services.open_store(app_server.database_url)
    services.create_from_template("first_subscription.fr.journey", store=store)
    context = _phone(browser)
    page, token = _open_new_draft(context, app_server, store)
    words = "Le conseiller ne connaissait pas l'offre **promo** <b>été</b>"
    try:
        text = page.get_by_label("Constat")
        text.click()
        text.press_sequentially(words, delay=15)
        page.reload()  # at once: no pause, no blur, no Enter
        wait_for_app(page)
        expect(page.get_by_label("Constat")).to_have_value(words, timeout=30_000)
        wait_for_draft(store, token, lambda d: d.observations[0].text == words)
        # The next words go on from the restored text (the field holds what the store holds).
        text = page.get_by_label("Constat")
        text.click()
        text.press("End")
        text.press_sequentially(" ni les délais", delay=15)
        page.reload()
        wait_for_app(page)
        expect(page.get_by_label("Constat")).to_have_value(words + " ni les délais", timeout=30_000)
        wait_for_draft(store, token, lambda d: d.observations[0].text == words + " ni les délais")
        page.screenshot(path=str(artifacts / "road-reloaded-at-once-390.png"), full_page=True)
    except Exception:
        page.screenshot(path=str(artifacts / "road-reload-failure-390.png"), full_page=True)
        raise
    finally:
        context.close()
        store.dispose()


def test_words_typed_just_before_the_page_is_closed_are_kept(browser, app_server, artifacts):
    store = services.open_store(app_server.database_url)
    services.create_from_template("first_subscription.fr.journey", store=store)
    context = _phone(browser)
    page, token = _open_new_draft(context, app_server, store)
    words = "Attente au guichet, personne pour accueillir"
    try:
        verbatim = page.get_by_label("Verbatim (facultatif)")
        verbatim.click()
        verbatim.press_sequentially(words, delay=15)
        page.close(run_before_unload=True)  # the tab is closed: pagehide, then nothing
        again = context.new_page()
        again.goto(f"{app_server.url}/road?draft={token}&lang=fr")
        wait_for_app(again)
        expect(again.get_by_label("Verbatim (facultatif)")).to_have_value(words, timeout=30_000)
        wait_for_draft(store, token, lambda d: d.observations[0].verbatim == words)
        again.screenshot(path=str(artifacts / "road-reopened-390.png"), full_page=True)
    finally:
        context.close()
        store.dispose()


def test_words_typed_while_the_server_is_out_of_reach_reach_it_when_the_draft_is_reopened(
    browser, app_server, artifacts
):
    store = services.open_store(app_server.database_url)
    services.create_from_template("first_subscription.fr.journey", store=store)
    context = _phone(browser)
    page, token = _open_new_draft(context, app_server, store)
    words = "Vendeur absent, *vitrine* vide"
    try:
        page.get_by_text("Visite : qui, quand").click()
        page.get_by_label("Votre nom (client mystère)").wait_for()
        # The phone loses the network: nothing the page says reaches the server any more.
        page.evaluate("() => { WebSocket.prototype.send = () => {}; }")
        shopper = page.get_by_label("Votre nom (client mystère)")
        shopper.click()
        shopper.press("End")
        shopper.press_sequentially(" Dupont", delay=15)
        text = page.get_by_label("Constat")
        text.click()
        text.press_sequentially(words, delay=15)
        page.close(run_before_unload=True)
        kept = vs.load_draft(token, store=store).draft
        assert (kept.shopper, kept.observations[0].text) == ("Marie", "")

        again = context.new_page()
        again.goto(f"{app_server.url}/road?draft={token}&lang=fr")
        wait_for_app(again)
        expect(again.get_by_label("Constat")).to_have_value(words, timeout=30_000)
        wait_for_draft(
            store,
            token,
            lambda d: (d.shopper, d.observations[0].text) == ("Marie Dupont", words),
        )
        again.get_by_text("Visite : qui, quand").click()
        expect(again.get_by_label("Votre nom (client mystère)")).to_have_value("Marie Dupont")
        again.screenshot(path=str(artifacts / "road-back-online-390.png"), full_page=True)
    finally:
        context.close()
        store.dispose()


def test_the_browser_fingerprints_a_text_as_the_server_does(browser):
    """The phone forgets a kept text once the store's fingerprint matches its own."""
    texts = ["", "123456789", "Été **gras** <b>x</b>", "emoji 🙂\u00a0fin", "ligne\nsuivante\t"]
    page = browser.new_page()
    try:
        got = page.evaluate("(texts) => {" + CRC32_JS + "return texts.map(crc32); }", texts)
    finally:
        page.close()
    draft = VisitDraft(journey=JOURNEY, observations=[ObservationDraft(text=t) for t in texts])
    digests = typed_digests(draft)
    assert got == [digests[f"{i}:text"] for i in range(len(texts))]
