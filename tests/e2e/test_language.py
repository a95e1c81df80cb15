"""The page speaks the interface's language, even in an English browser: `<html lang>` follows
it (hyphenation, screen readers), Streamlit's own English words (uploader, "Page not found",
input hints, table toolbar, calendar) are said in French in the French interface, and long
words of the board hyphenate. Screenshots (French, 1280×720) go to test-artifacts/lang-*.png."""

from __future__ import annotations

import re

import pytest

from journeys import services
from tests.e2e.helpers import wait_for_app, warm_up

pytestmark = pytest.mark.browser
JOURNEY = "premier-abonnement"
# Streamlit's English words that a French page must not show (visible text or labels).
ENGLISH = (
    "Browse files",
    "Drag and drop",
    "Upload",
    "per file",
    "Page not found",
    "Press Enter",
    "Skip to main content",
    "Download as CSV",
    "Show/hide columns",
    "Fullscreen",
    "Remove ",
    "Add files",
    "file upload",
    "Choose date",
    "Previous month",
)
# Every label a screen reader reads: aria-label, title and placeholder of the whole page.
_LABELS = """() => [...document.querySelectorAll('[aria-label],[title],[placeholder]')]
  .flatMap((e) => ['aria-label', 'title', 'placeholder'].map((a) => e.getAttribute(a)))
  .filter(Boolean).join('\\n')"""


def _english_in(page) -> list[str]:
    said = page.locator("body").inner_text() + "\n" + page.evaluate(_LABELS)
    return [word for word in ENGLISH if word in said]


def _settle(page) -> None:
    wait_for_app(page)
    page.wait_for_timeout(400)  # the rerun's last changes


def _french_page(browser, app_server, path: str):
    """An English browser on the French interface: the interface's language must win."""
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="en-US")
    page = context.new_page()
    warm_up(page, f"{app_server.url}/?lang=fr")
    page.goto(f"{app_server.url}{path}")
    _settle(page)
    return context, page


def _drag_over(page, selector: str) -> None:
    """Drag a file over an uploader, as a hand would before dropping it."""
    page.evaluate(
        """(selector) => {
          const zone = document.querySelector(selector);
          const data = new DataTransfer();
          data.items.add(new File(['a: 1'], 'parcours.yaml', {type: 'text/yaml'}));
          zone.dispatchEvent(new DragEvent('dragenter', {bubbles: true, dataTransfer: data}));
          zone.dispatchEvent(new DragEvent('dragover', {bubbles: true, dataTransfer: data}));
        }""",
        selector,
    )
    page.wait_for_timeout(300)


def test_the_document_language_follows_the_interface(browser, app_server):
    context, page = _french_page(browser, app_server, "/?lang=fr")
    try:
        assert page.evaluate("document.documentElement.lang") == "fr"
        page.locator("[data-testid='stSidebar'] button").filter(has_text="EN").click()
        page.get_by_role("link", name="Library").first.wait_for()
        _settle(page)
        assert page.evaluate("document.documentElement.lang") == "en"
        # Back to English, Streamlit's words are its own again (nothing left in French).
        page.get_by_role("tab", name=re.compile("Import")).click()
        page.locator("[data-testid='stFileUploaderDropzone']").first.wait_for()
        assert "Upload" in page.locator("[data-testid='stFileUploaderDropzone']").inner_text()
        page.locator("[data-testid='stSidebar'] button").filter(has_text="FR").click()
        page.get_by_role("link", name="Bibliothèque").first.wait_for()
        _settle(page)
        assert page.evaluate("document.documentElement.lang") == "fr"
        assert _english_in(page) == []
    finally:
        context.close()


def test_the_library_upload_says_nothing_in_english(browser, app_server, artifacts, tmp_path):
    store = services.open_store(app_server.database_url)
    services.create_from_template("first_subscription.fr.journey", store=store)
    store.dispose()
    context, page = _french_page(browser, app_server, "/?lang=fr")
    try:
        page.get_by_role("tab", name="Importer un YAML ou un classeur Excel").click()
        zone = page.locator("[data-testid='stFileUploaderDropzone']").first
        zone.wait_for()
        page.locator("[data-testid='stDataFrame']").first.hover()  # its toolbar shows
        page.wait_for_timeout(300)
        assert _english_in(page) == []
        assert "Choisir un fichier" in zone.inner_text()
        assert "8\u00a0Mo max. par fichier" in zone.inner_text()
        page.screenshot(path=str(artifacts / "lang-library-upload-1280.png"))

        _drag_over(page, "[data-testid='stFileUploaderDropzone']")
        assert "Déposez un fichier ici" in zone.inner_text()
        assert _english_in(page) == []

        file = tmp_path / "parcours.yaml"
        file.write_text("a: 1\n", encoding="utf-8")
        page.locator("[data-testid='stFileUploaderDropzoneInput']").first.set_input_files(file)
        page.locator("[data-testid='stFileChip']").first.wait_for()
        _settle(page)  # the upload reran the page: still French
        assert "5,0\u00a0o" in zone.inner_text()
        assert _english_in(page) == []
    finally:
        context.close()


def test_the_visits_upload_and_an_unknown_page_say_nothing_in_english(
    browser, app_server, artifacts
):
    store = services.open_store(app_server.database_url)
    services.create_from_template("first_subscription.fr.journey", store=store)
    store.dispose()
    context, page = _french_page(browser, app_server, f"/visits?journey={JOURNEY}&lang=fr")
    try:
        page.get_by_role("tab", name="Importer un fichier d'agence").click()
        page.locator("[data-testid='stFileUploaderDropzone']").first.wait_for()
        page.wait_for_timeout(300)
        assert _english_in(page) == []
        page.screenshot(path=str(artifacts / "lang-visits-upload-1280.png"))

        page.goto(f"{app_server.url}/no-such-page?lang=fr")
        dialog = page.get_by_role("dialog")
        dialog.wait_for()
        _settle(page)
        assert "Page introuvable" in dialog.inner_text()
        assert _english_in(page) == []
        assert dialog.get_by_role("button", name="Fermer").count() == 1
    finally:
        context.close()


def test_a_text_input_hint_and_the_calendar_are_french(browser, app_server):
    store = services.open_store(app_server.database_url)
    services.create_from_template("first_subscription.fr.journey", store=store)
    store.dispose()
    context, page = _french_page(browser, app_server, f"/road?journey={JOURNEY}&lang=fr")
    try:
        page.get_by_label("Votre nom (client mystère)").fill("Marie")
        hint = page.locator("[data-testid='InputInstructions']").first
        hint.wait_for()
        assert "Entrée pour valider" in hint.inner_text()
        page.get_by_role("button", name="Commencer la visite").click()
        page.wait_for_url("**draft=*")
        _settle(page)
        page.locator("[data-testid='stExpander'] summary").first.click()
        field = page.locator("[data-testid='stDateInputField']").first
        field.wait_for()
        assert re.fullmatch(r"\d\d/\d\d/\d{4}", field.inner_text().replace("\n", "").strip())
        page.locator("[data-testid='stDateInputCalendarButton']").first.click()
        calendar = page.locator("[data-testid='stDateInputCalendar']")
        calendar.wait_for()
        page.wait_for_timeout(300)
        shown = calendar.inner_text()
        months = ("January", "February", "March", "April", "June", "July", "August")
        months += ("September", "October", "November", "December")
        assert [m for m in months if m in shown] == []
        heads = calendar.locator("thead th").all_inner_texts()
        assert heads[:2] != ["S", "M"], heads  # the week's letters are French ones
        assert _english_in(page) == []
    finally:
        context.close()


# The elements whose own text holds `word` (soft hyphens aside), looked for in open shadow roots
# too (the board is a custom component): their computed hyphenation, language and width.
_WORD = """(word) => {
  const found = [];
  const look = (root) => {
    for (const el of root.querySelectorAll('*')) {
      if (el.shadowRoot) look(el.shadowRoot);
      const own = [...el.childNodes].filter((n) => n.nodeType === 3);
      if (own.some((n) => n.data.replace(/\\u00ad/g, '').includes(word))) {  // soft hyphens out
        found.push(el);
      }
    }
  };
  look(document);
  return found.map((el) => {
    let up = el;
    while (up && !(up instanceof Element && up.hasAttribute('lang'))) {
      up = up.parentNode instanceof ShadowRoot ? up.parentNode.host : up.parentNode;
    }
    return {hyphens: getComputedStyle(el).hyphens, lang: up ? up.getAttribute('lang') : null,
            width: el.getBoundingClientRect().width};
  }).filter((e) => e.width > 0);
}"""


def test_a_long_french_word_of_the_board_hyphenates(browser, app_server, artifacts):
    store = services.open_store(app_server.database_url)
    journey = services.create_from_template("fixed_term_renewal.fr.journey", store=store).id
    store.dispose()
    context, page = _french_page(browser, app_server, f"/board?journey={journey}&lang=fr")
    try:
        page.wait_for_function(f"({_WORD})('réabonnement').length > 0")
        found = page.evaluate(_WORD, "réabonnement")
        assert found and {e["lang"] for e in found} == {"fr"}
        narrowest = min(found, key=lambda e: e["width"])
        assert narrowest["width"] < 200  # a board cell, where the word may be cut
        assert narrowest["hyphens"] == "auto"
        page.screenshot(path=str(artifacts / "lang-board-1280.png"))
    finally:
        context.close()
