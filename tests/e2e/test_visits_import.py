"""The agency file import on the visits page in Chromium: a type label nobody knows starts
empty, blocks the import and is remembered only once someone has chosen what it means."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from journeys import services
from journeys.visits import services as vs
from journeys.visits.agency.mapping import ColumnMapping, ValueMapping
from tests.e2e.helpers import wait_for_app, warm_up
from tests.fixtures.agency_files import UNKNOWN_TYPE_AGENCY_FILE

pytestmark = pytest.mark.browser
JOURNEY = "premier-abonnement"
AGENCY = "Qualimétrie"


def choose(page, label: str, option: str) -> None:
    """Pick an option of a Streamlit selectbox by its label."""
    page.locator("[data-testid='stSelectbox']").filter(has_text=label).first.click()
    page.get_by_role("option", name=option, exact=True).first.click()
    wait_for_app(page)


def saved_types(store) -> dict[str, object] | None:
    saved = vs.load_agency_mapping(AGENCY, store=store)
    return None if saved is None else dict(saved[1].types)


def test_an_unknown_type_label_starts_empty_and_the_import_waits_for_a_choice(
    browser, app_server, artifacts, tmp_path
):
    store = services.open_store(app_server.database_url)
    services.create_from_template("first_subscription.fr.journey", store=store)
    vs.save_agency_mapping(AGENCY, ColumnMapping(), ValueMapping(), store=store)
    file = tmp_path / "visites-novembre.csv"
    file.write_bytes(UNKNOWN_TYPE_AGENCY_FILE)
    context = browser.new_context(viewport={"width": 1440, "height": 2400}, locale="fr-FR")
    page = context.new_page()
    try:
        warm_up(page, f"{app_server.url}/?lang=fr")
        page.goto(f"{app_server.url}/visits?journey={JOURNEY}&lang=fr")
        wait_for_app(page)
        page.get_by_role("tab", name="Importer un fichier d'agence").click()
        choose(page, "Agence", AGENCY)
        page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(file))
        wait_for_app(page)
        unknown = page.locator("[data-testid='stSelectbox']").filter(has_text="Coup de cœur")
        unknown.first.wait_for()
        wait_for_app(page)

        picked = unknown.first.locator("input")
        expect(picked).to_have_value("")  # no guess ("Rupture") filled in
        expect(picked).to_have_attribute("placeholder", "Correspond à…")
        importer = page.get_by_role("button", name="Importer tout le fichier")
        expect(importer).to_be_disabled()
        expect(page.get_by_text("l'import attend vos choix", exact=False)).to_be_visible()
        page.screenshot(path=str(artifacts / "visits-import-unknown-type-1440.png"))
        assert saved_types(store) == {}
        assert vs.list_visits(JOURNEY, store=store) == []

        choose(page, "Coup de cœur", "Bonheur")
        expect(importer).to_be_enabled()
        assert saved_types(store) == {}  # chosen, not yet imported: nothing remembered
        importer.click()
        page.get_by_text("Import réussi").wait_for()
        page.screenshot(path=str(artifacts / "visits-import-chosen-1440.png"))

        assert saved_types(store) == {"Coup de cœur": "delight"}
        (visit,) = vs.list_visits(JOURNEY, store=store)
        kinds = [o.type.value for o in vs.get_visit(JOURNEY, visit.id, store=store).observations]
        assert kinds == ["delight", "irritant"]
    except Exception:
        page.screenshot(path=str(artifacts / "visits-import-failure-1440.png"), full_page=True)
        raise
    finally:
        context.close()
        store.dispose()
