"""A manager's path before a steering committee: the renewal program's diagram previewed on the
programs page, then its SVG and the journey's PDF downloaded and saved from the exports page,
at the projector's 1920 × 1080 and 1280 × 720. Screenshots in test-artifacts/."""

from __future__ import annotations

import time

import pytest

from journeys import services
from tests.e2e.helpers import wait_for_app, warm_up

pytestmark = pytest.mark.browser
JOURNEY = "renouvellement-duree-fixe"
PROGRAM = "programme-renouvellement-duree-fixe"
SCREENS = ({"width": 1920, "height": 1080}, {"width": 1280, "height": 720})


def settle(page, text: str | None = None, timeout: float = 60_000) -> None:
    """Wait for the script run to end (and for `text`, which proves this run drew the page)."""
    wait_for_app(page)
    if text:
        page.get_by_text(text, exact=False).first.wait_for(timeout=timeout)
    wait_for_app(page)


def pick(page, label: str, option: str) -> None:
    """Click an option of a segmented control, found by the control's label."""
    group = page.locator("[data-testid='stButtonGroup']").filter(has_text=option)
    group.get_by_text(option, exact=True).first.click()
    settle(page)


def prepare_and_download(page, ready: str, tmp_path, name: str) -> bytes:
    page.get_by_role("button", name="Préparer l'export").click()
    settle(page, ready)
    with page.expect_download() as info:
        page.get_by_role("button", name="Télécharger").click()
    path = tmp_path / name
    info.value.save_as(path)
    assert info.value.suggested_filename.startswith(("renouvellement", "programme"))
    return path.read_bytes()


def preview_width(page) -> float:
    image = page.locator("[data-testid='stImage'] img").first
    image.wait_for()
    page.wait_for_function(
        "() => { const i = document.querySelector(\"[data-testid='stImage'] img\");"
        " return i && i.complete && i.naturalWidth > 0; }"
    )
    return image.bounding_box()["width"]


def test_the_program_is_previewed_then_its_svg_and_the_journey_pdf_are_downloaded(
    browser, app_server, artifacts, tmp_path
):
    store = services.open_store(app_server.database_url)
    services.create_from_template("fixed_term_renewal.fr.journey", store=store)
    services.create_program_from_template("fixed_term_renewal.fr.program", store=store)
    for screen in SCREENS:
        width = screen["width"]
        context = browser.new_context(viewport=screen, accept_downloads=True, locale="fr-FR")
        page = context.new_page()
        try:
            warm_up(page, f"{app_server.url}/?lang=fr")
            page.goto(f"{app_server.url}/programs?journey={JOURNEY}&lang=fr")
            settle(page, "Aperçu")
            assert preview_width(page) > 0.6 * (width - 400), "the preview is scaled to the width"
            page.get_by_text("Le programme est cohérent").first.wait_for()
            page.screenshot(path=str(artifacts / f"programs-{width}.png"))
            page.get_by_role("heading", name="Aperçu").scroll_into_view_if_needed()
            time.sleep(0.5)
            page.screenshot(path=str(artifacts / f"programs-preview-macro-{width}.png"))
            pick(page, "Vue", "Vue détaillée")
            preview_width(page)
            page.get_by_role("heading", name="Aperçu").scroll_into_view_if_needed()
            time.sleep(0.5)
            page.screenshot(path=str(artifacts / f"programs-preview-detailed-{width}.png"))
            page.get_by_text("Ajuster à la largeur").click()
            settle(page)
            page.locator(".pg-diagram img").first.wait_for()
            page.locator(".pg-diagram").first.scroll_into_view_if_needed()
            time.sleep(0.5)
            page.screenshot(path=str(artifacts / f"programs-preview-actual-size-{width}.png"))

            page.get_by_role("link", name="Exports").first.click()
            settle(page, "Préparer l'export")
            pick(page, "Exporter", "Un programme relationnel")
            pick(page, "Format", "SVG")
            svg = prepare_and_download(page, "_macro_", tmp_path, f"program-{width}.svg")
            assert b"<svg" in svg and "Reconquête".encode() in svg
            page.screenshot(path=str(artifacts / f"exports-svg-{width}.png"))

            pick(page, "Exporter", "Un parcours")
            pdf = prepare_and_download(page, ".pdf prêt", tmp_path, f"journey-{width}.pdf")
            assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
            page.get_by_role("button", name="Enregistrer dans le dossier d'export").click()
            settle(page, "Fichier enregistré")
            saved = list((app_server.workdir / "exports").glob("*.pdf"))
            assert saved and saved[0].read_bytes().startswith(b"%PDF")
            page.screenshot(path=str(artifacts / f"exports-pdf-{width}.png"))
        finally:
            context.close()
