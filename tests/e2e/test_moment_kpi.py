"""The KPI lane in a real browser: a click on a moment's KPI cell opens an input, Enter writes
the KPI to the store as a versioned moment edit, Ctrl+Z takes it back; what is typed shows as
typed, never as markup; with a subscriber base linked, the lane shows both the KPI noted in the
workshop and the base's figures, each marked. Screenshots at 1920×1080 and 1280×720."""

from __future__ import annotations

from pathlib import Path

import pytest

from journeys import services
from journeys.data import attrition
from journeys.data import services as ds
from journeys.data.demo import generate
from journeys.store.db import open_store
from tests.e2e.helpers import eventually, wait_for_app

pytestmark = pytest.mark.browser

PRESS = "fixed_term_renewal.fr.journey"
TYPED = "Taux de réabonnement 62 %"
BASE = "Presse démo"


def _journey(url: str) -> str:
    store = open_store(url)
    try:
        return services.create_from_template(PRESS, store=store).id
    finally:
        store.dispose()


def _kpis(url: str, jid: str) -> dict[str, str | None]:
    store = open_store(url)
    try:
        return {m.id: m.kpi for m in services.get_journey(jid, store=store).moments}
    finally:
        store.dispose()


def _open(browser, url: str, path: str, width: int = 1600, height: int = 900):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="fr-FR")
    page = context.new_page()
    page.goto(url + path)
    wait_for_app(page)
    page.locator(".cv-kpicell").first.wait_for()
    page.wait_for_timeout(300)  # the fit after the layout settles
    return context, page


def _type_kpi(page, moment: str, value: str) -> None:
    page.locator(f'.cv-kpicell[data-kpi="{moment}"]').click()
    field = page.locator(f'.cv-kpicell[data-kpi="{moment}"] input.cv-kpi-input')
    field.fill(value)
    field.press("Enter")


def test_a_kpi_typed_in_the_lane_is_stored_undone_and_shown_as_typed(browser, app_server):
    jid = _journey(app_server.database_url)
    context, page = _open(browser, app_server.url, f"/board?journey={jid}&lanes=1")

    _type_kpi(page, "souscription", TYPED)
    cell = page.locator('.cv-kpicell[data-kpi="souscription"]')
    cell.locator(".cv-kpi-own", has_text=TYPED).wait_for(timeout=1_000)  # at once
    eventually(lambda: _kpis(app_server.database_url, jid)["souscription"] == TYPED, page)

    page.keyboard.press("Control+z")
    eventually(lambda: _kpis(app_server.database_url, jid)["souscription"] is None, page)
    page.locator(".cv-toast", has_text="Annulé").wait_for()
    cell.locator(".cv-kpi-own").wait_for(state="detached")

    # Escape leaves the KPI as it was; what is typed is text, never markup.
    page.locator('.cv-kpicell[data-kpi="bienvenue"]').click()
    page.locator("input.cv-kpi-input").fill("jamais envoyé")
    page.locator("input.cv-kpi-input").press("Escape")
    assert page.locator("input.cv-kpi-input").count() == 0
    _type_kpi(page, "bienvenue", "<b>html</b> & <img src=x>")
    shown = page.locator('.cv-kpicell[data-kpi="bienvenue"] .cv-kpi-own')
    shown.wait_for()
    eventually(
        lambda: _kpis(app_server.database_url, jid)["bienvenue"] == "<b>html</b> & <img src=x>",
        page,
    )
    page.wait_for_timeout(500)  # the server's board drawn again
    assert shown.inner_text().replace("\u00ad", "") == "<b>html</b> & <img src=x>"
    assert page.locator(".cv-kpicell :is(b, img)").count() == 0

    # An empty value clears it.
    _type_kpi(page, "bienvenue", "")
    eventually(lambda: _kpis(app_server.database_url, jid)["bienvenue"] is None, page)
    assert _kpis(app_server.database_url, jid)["souscription"] is None
    context.close()


def test_a_kpi_sent_from_an_outdated_board_is_refused_and_said(browser, app_server, artifacts):
    jid = _journey(app_server.database_url)
    context, page = _open(browser, app_server.url, f"/board?journey={jid}&lanes=1")
    page.locator('.cv-kpicell[data-kpi="souscription"]').click()
    page.locator("input.cv-kpi-input").fill("Mon chiffre")
    page.locator(".cv-lane-h", has_text="Indicateurs").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "canvas-kpi-lane-typing-1600x900.png"))

    store = open_store(app_server.database_url)  # meanwhile, someone else's edit
    try:
        editable = services.get_journey_for_edit(jid, store=store)
        moment = next(m for m in editable.journey.moments if m.id == "souscription")
        services.update_moment(
            jid,
            "souscription",
            moment.model_copy(update={"kpi": "Leur chiffre"}),
            store=store,
            expected_version=editable.moment_versions["souscription"],
        )
    finally:
        store.dispose()
    page.locator("input.cv-kpi-input").press("Enter")
    page.locator(".cv-toast.cv-alarm", has_text="quelqu'un d'autre").wait_for()
    assert _kpis(app_server.database_url, jid)["souscription"] == "Leur chiffre"
    context.close()


def _link_demo_base(url: str, jid: str, folder: Path) -> None:
    store = open_store(url)
    try:
        ds.import_base(BASE, generate(folder, 3000, seed=5).subscriptions, store=store)
        journey = services.get_journey(jid, store=store)
        pairs = [(m.id, m.label) for m in journey.moments]
        windows = ds.get_base_view(BASE, store=store).windows
        mapping = {w.key: s for w in windows if (s := attrition.suggest_moment(w, pairs))}
        ds.link_journey_base(jid, BASE, mapping, store=store)
        editable = services.get_journey_for_edit(jid, store=store)
        for moment in editable.journey.moments[:6]:
            services.update_moment(
                jid,
                moment.id,
                moment.model_copy(update={"kpi": f"{TYPED} (cible 70 %) — {moment.label}"}),
                store=store,
                expected_version=editable.moment_versions[moment.id],
            )
    finally:
        store.dispose()


@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (1280, 720)])
def test_with_a_base_the_lane_shows_the_workshops_kpi_and_the_bases_figures_each_marked(
    browser, app_server, artifacts, tmp_path, width, height
):
    jid = _journey(app_server.database_url)
    _link_demo_base(app_server.database_url, jid, tmp_path / "demo")
    context, page = _open(browser, app_server.url, f"/board?journey={jid}&lanes=1", width, height)
    page.locator(".cv-kpicell .cv-kpi-data").first.wait_for()
    both = page.locator(".cv-kpicell:has(.cv-kpi-own):has(.cv-kpi-data)")
    assert both.count() >= 1
    assert both.first.locator(".cv-kpi-tag-own").inner_text() == "✎"
    assert both.first.locator(".cv-kpi-tag-data").inner_text() == "▼"
    page.locator(".cv-lane-h", has_text="Indicateurs").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / f"canvas-kpi-lane-overview-{width}x{height}.png"))

    page.locator('.cv-bar [data-act="zoom:cards"]').click()
    page.locator('.cv-root[data-zoom="cards"]').wait_for()
    page.locator(".cv-kpi-tag-own", has_text="Atelier").first.wait_for()
    page.locator(".cv-kpi-tag-data", has_text="Données").first.wait_for()
    page.locator(".cv-lane-h", has_text="Indicateurs").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / f"canvas-kpi-lane-cards-{width}x{height}.png"))
    context.close()
