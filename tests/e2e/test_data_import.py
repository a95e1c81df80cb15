"""A CX analyst imports a client's French extract (Windows-1252, `;`, French headers, dates and
decimals) in Chromium: the mapping is guessed, one choice changed, the import shows its
progress, and the page shows the survival curve, the hazard and the cohorts with the services'
figures, at the projector's 1920×1080 and 1280×720."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from journeys import services
from journeys.data import attrition
from journeys.data import services as ds
from tests.e2e.helpers import wait_for_app, warm_up
from tests.fixtures.subscriber_bases import french_rows, write_french_extract

pytestmark = pytest.mark.browser
SIZES = ((1920, 1080), (1280, 720))
# Installed before the click: whether a progress bar was ever painted during the import.
_WATCH_PROGRESS = """() => {
  window.__progress = [];
  new MutationObserver(() => {
    const bar = document.querySelector("[data-testid='stProgress']");
    if (bar) window.__progress.push(bar.innerText);
  }).observe(document.body, {childList: true, subtree: true, characterData: true});
}"""


def choose(page, key: str, option: str) -> None:
    """Pick an option of the selectbox of `key`."""
    page.locator(f".st-key-{key}").click()
    page.get_by_role("option", name=option, exact=True).first.click()
    wait_for_app(page)


def open_view(page, name: str) -> None:
    page.get_by_role("tab", name=name, exact=True).click()
    wait_for_app(page)


def test_an_analyst_imports_a_french_extract_and_reads_its_attrition(
    browser, app_server, artifacts, tmp_path
):
    store = services.open_store(app_server.database_url)
    services.create_from_template("first_subscription.fr.journey", store=store)
    extract = write_french_extract(
        tmp_path / "extrait abonnés.csv", french_rows(tmp_path / "demo", 600, seed=8)
    )
    assert extract.read_bytes().startswith("N° abonné;Date de début".encode("cp1252"))
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="fr-FR")
    page = context.new_page()
    try:
        warm_up(page, f"{app_server.url}/?lang=fr")
        page.goto(f"{app_server.url}/data?lang=fr")
        wait_for_app(page)
        page.get_by_text("8 Mo au plus").first.wait_for()
        dropzone = page.locator(".st-key-data_import [data-testid='stFileUploaderDropzoneInput']")
        dropzone.first.set_input_files(str(extract))
        page.locator(".st-key-data_import_col_id").wait_for(timeout=120_000)  # DuckDB's start
        wait_for_app(page)

        # The mapping is guessed from the French headers; the analyst changes one choice.
        for key, column in (
            ("data_import_col_id", "N° abonné"),
            ("data_import_col_start", "Date de début"),
            ("data_import_col_end", "Date de fin"),
            ("data_import_col_end_reason", "Motif de fin"),
            ("data_import_col_price", "Prix annuel"),
            ("data_import_col_channel", "Canal d'acquisition"),
        ):
            expect(page.locator(f".st-key-{key} input")).to_have_value(column)
        expect(page.locator(".st-key-data_import_date_format input")).to_have_value(
            "31/12/2025  (%d/%m/%Y)"
        )
        choose(page, "data_import_col_channel", "— aucune colonne —")
        expect(page.locator(".st-key-data_import_col_channel input")).to_have_value(
            "— aucune colonne —"
        )
        choose(page, "data_import_col_channel", "Canal d'acquisition")
        page.screenshot(path=str(artifacts / "data-mapping-1920.png"), full_page=True)

        page.evaluate(_WATCH_PROGRESS)
        page.get_by_role("button", name="Importer", exact=True).click()
        page.get_by_text("Base « extrait abonnés » importée : 600 abonnements").wait_for(
            timeout=120_000
        )
        wait_for_app(page)
        assert page.evaluate("window.__progress.length") > 0, "no progress shown"

        view = ds.get_base_view("extrait abonnés", store=store)
        kpis = attrition.kpis(view.aggregates, view.table)
        churn = f"{kpis.churn_rate * 100:.1f}".replace(".", ",") + "\u00a0%"
        expect(page.locator(".st-key-data_kpis")).to_contain_text(churn)
        expect(page.locator(".st-key-data_survival")).to_be_visible()
        expect(page.locator(".st-key-data_survival")).to_contain_text("Kaplan–Meier")

        for width, height in SIZES:
            page.set_viewport_size({"width": width, "height": height})
            for tab, key, name in (
                ("Survie", "data_survival", "survival"),
                ("Risque mois par mois", "data_hazard", "hazard"),
                ("Cohortes", "data_cohorts", "cohorts"),
            ):
                open_view(page, tab)
                chart = page.locator(f".st-key-{key}")
                chart.wait_for()
                page.wait_for_timeout(400)  # plotly's transition
                chart.scroll_into_view_if_needed()
                page.screenshot(path=str(artifacts / f"data-{name}-{width}.png"))
        open_view(page, "Moments fragiles")
        link = page.get_by_text("Sur le tableau d'un parcours")
        link.wait_for()
        link.scroll_into_view_if_needed()
        page.screenshot(path=str(artifacts / "data-fragile-1280.png"))
        assert page.locator("[data-testid='stException']").count() == 0
    except Exception:
        page.screenshot(path=str(artifacts / "data-import-failure.png"), full_page=True)
        raise
    finally:
        context.close()
        store.dispose()
