"""A client's corrected Excel grid uploaded on the library page: the changes are listed (user
text as text), nothing moves until the button is pressed, then the journey has them."""

from __future__ import annotations

import time

import pytest

from journeys import services
from journeys.export import services as export_services
from tests.e2e.helpers import wait_for_app, warm_up
from tests.fixtures.workbooks import cell_holding, edited

pytestmark = pytest.mark.browser
JOURNEY = "renouvellement-duree-fixe"
RENAMED = "Coupon <b>revu</b> par le client"


def test_a_corrected_workbook_is_previewed_then_applied_on_confirmation(
    browser, app_server, artifacts, tmp_path
):
    store = services.open_store(app_server.database_url)
    services.create_from_template("fixed_term_renewal.fr.journey", store=store)
    first = services.get_journey(JOURNEY, store=store).touchpoints[0]

    def client(book) -> None:
        cell = book["Grille"].cell(*cell_holding(book["Grille"], first.label))
        cell.value = cell.value.replace(first.label, RENAMED)

    path = tmp_path / "grille-client.xlsx"
    path.write_bytes(
        edited(export_services.export_download(JOURNEY, store=store, fmt="xlsx").data, client)
    )
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page = context.new_page()
    try:
        warm_up(page, f"{app_server.url}/?lang=fr")
        page.goto(f"{app_server.url}/library?lang=fr")
        wait_for_app(page)
        page.get_by_role("tab", name="Importer un YAML ou un classeur Excel").click()
        page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(path))
        page.get_by_text("Ce que l'import va changer").wait_for(timeout=60_000)
        wait_for_app(page)
        table = page.locator("[data-testid='stDataFrame']").first
        table.wait_for()
        time.sleep(0.5)
        page.screenshot(path=str(artifacts / "library-workbook-preview.png"), full_page=True)
        assert services.get_journey(JOURNEY, store=store).touchpoints[0].label == first.label
        page.get_by_role("button", name="Appliquer ces modifications").click()
        page.get_by_text("Classeur importé").first.wait_for(timeout=60_000)
        assert services.get_journey(JOURNEY, store=store).touchpoints[0].label == RENAMED
        page.screenshot(path=str(artifacts / "library-workbook-applied.png"))
    finally:
        context.close()
        store.dispose()
