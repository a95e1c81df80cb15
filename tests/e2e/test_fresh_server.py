"""A freshly started server opened first on a page's URL: no helper's name, no "Page not found",
the right page from the first paint on. One `streamlit run` per URL, since only a server's very
first run takes Streamlit's old `pages/` folder mode (pages/_<url>.py and app.py tell why)."""

from __future__ import annotations

import ast
import re

import pytest

from journeys import services
from journeys.i18n import t
from journeys.store.db import open_store
from tests.e2e.conftest import ROOT

PAGES_DIR = ROOT / "pages"
# The names a visitor must never read: the modules and folders of pages/ that are not pages,
# the words Streamlit builds from file names (app.py is "app", page.py is "page"), its dialog.
HELPERS = {"app", "page", "pages", "common", "init"} | {
    path.stem.strip("_")
    for path in PAGES_DIR.rglob("*.py")
    if path.name not in ("__init__.py", "page.py") and path.parent != PAGES_DIR
}
NOT_FOUND = "Page not found"

# Installed before the app's own scripts: everything the sidebar menu, a dialog or the main area
# ever holds (a MutationObserver sees even what never gets painted), and at every frame what is
# painted (the tab's title, the menu's visible entries, visible dialogs, the main area's text).
_WATCH = """(() => {
  const log = (window.__watch = {added: [], frames: [], seen: new Set()});
  const shown = (el) => el.checkVisibility({visibilityProperty: true, opacityProperty: true});
  const label = (link) => {
    const icon = link.querySelector('[data-testid="stIconMaterial"]');
    return link.textContent.replace(icon ? icon.textContent : '', '').trim();
  };
  const links = () => [...document.querySelectorAll(
    '[data-testid="stSidebarNavLink"], [data-testid="stTopNav"] a')];
  const dialogs = () => [...document.querySelectorAll('[role="dialog"], [data-testid="stDialog"]')];
  const main = () => document.querySelector('[data-testid="stMainBlockContainer"]');
  const add = (kind, text) => {
    const key = kind + '\\u0000' + text;
    if (text && !log.seen.has(key)) { log.seen.add(key); log.added.push([kind, text]); }
  };
  const scan = () => {
    add('title', document.title);
    links().forEach((link) => add('nav', label(link)));
    dialogs().forEach((dialog) => add('dialog', dialog.textContent.trim()));
    const area = main();
    if (area) area.querySelectorAll('h1').forEach((h) => add('h1', h.textContent.trim()));
  };
  new MutationObserver(scan).observe(document, {
    subtree: true, childList: true, characterData: true, attributes: true,
    attributeFilter: ['class', 'style', 'hidden'],
  });
  let last = '';
  const frame = () => {
    const area = main();
    const now = {
      at: Math.round(performance.now()),
      title: document.title,
      nav: links().filter(shown).map(label),
      dialogs: dialogs().filter(shown).map((d) => d.textContent.trim()),
      main: area && shown(area) ? area.innerText.trim().slice(0, 300) : '',
    };
    const key = JSON.stringify({...now, at: 0});
    if (key !== last) { last = key; log.frames.push(now); }
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
})();"""

# Something of the app is painted: a menu entry, a dialog, or text in the main area.
_PAINTED = """() => {
  const w = window.__watch;
  const f = w && w.frames[w.frames.length - 1];
  return !!f && (f.nav.length > 0 || f.dialogs.length > 0 || f.main !== '');
}"""


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z]+", text.lower()))


def _journey(database_url: str) -> str:
    store = open_store(database_url)
    try:
        return services.create_from_template("first_subscription.fr.journey", store=store).id
    finally:
        store.dispose()


# (name, URL with {journey} for the journey's id, the first text the right page paints in its
# main area, what shows once it is all there)
CASES = [
    ("home", "/", t("library.title", "fr"), ".st-key-library_new_submit"),
    ("library", "/library", t("library.title", "fr"), ".st-key-library_new_submit"),
    ("board", "/board?journey={journey}", "Parcours premier abonnement", ".jb-board"),
    ("capture", "/capture", t("capture.code_help", "fr"), ".st-key-capture_code_input input"),
]


@pytest.mark.browser
@pytest.mark.parametrize(("name", "url", "marker", "ready"), CASES, ids=[c[0] for c in CASES])
def test_a_fresh_server_shows_the_right_page_at_once(
    browser, app_server, artifacts, name, url, marker, ready
):
    """The URL is the server's first request: its first paint and every paint after it show
    no helper's name and no "Page not found", and the first text painted in the main area is
    the right page's (the library, the journey's board, the participants' join form, which
    never shows the app's menu)."""
    path = url.format(journey=_journey(app_server.database_url) if "{journey}" in url else "")
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="fr-FR")
    page = context.new_page()
    try:
        page.add_init_script(_WATCH)
        page.goto(app_server.url + path)
        page.wait_for_function(_PAINTED, polling="raf", timeout=120_000)
        page.screenshot(path=str(artifacts / f"fresh-server-{name}-first-paint.png"))
        page.locator(ready).first.wait_for(state="attached", timeout=120_000)
        page.wait_for_function(
            "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
            timeout=120_000,
        )
        page.wait_for_timeout(500)  # a rerun the run may have asked for
        page.screenshot(path=str(artifacts / f"fresh-server-{name}.png"))
        watched = page.evaluate("({added: window.__watch.added, frames: window.__watch.frames})")
    finally:
        context.close()

    added, frames = watched["added"], watched["frames"]
    report = f"added: {added}\nframes: {frames}"
    # Never in the page, even for an instant: a helper's name in a menu, any dialog.
    assert not [text for kind, text in added if kind == "dialog"], report
    named = [text for kind, text in added if kind == "nav" and _words(text) & HELPERS]
    assert not named, report
    assert not [text for kind, text in added if NOT_FOUND.lower() in text.lower()], report
    # Painted: the first frame with anything of the app on it, and every one after.
    painted = [f for f in frames if f["nav"] or f["dialogs"] or f["main"]]
    assert painted, report
    for shown in painted:
        assert not shown["dialogs"], report
        assert not [entry for entry in shown["nav"] if _words(entry) & HELPERS], report
        assert not _words(shown["title"]) & HELPERS, report
    first_text = next(f["main"] for f in painted if f["main"])
    assert first_text.startswith(marker), report
    if name == "capture":  # a participant's phone
        assert not [f for f in painted if f["nav"]], report
    # The main area never showed another page's title first (a detour by the library).
    assert [text for kind, text in added if kind == "h1"][:1] in ([], [marker]), report


def test_every_url_of_the_app_has_its_entrance_in_pages():
    """Streamlit's folder mode knows the URLs by the files directly in pages/: each URL of
    app.py's PAGES has its `pages/_<url>.py`, and nothing else is there to be listed."""
    tree = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))
    pages = next(
        node.value
        for node in tree.body
        if isinstance(node, ast.AnnAssign)
        and isinstance(node.target, ast.Name)
        and node.target.id == "PAGES"
    )
    urls = {url for _file, _title, _icon, url in ast.literal_eval(pages)}
    files = {p.name for p in PAGES_DIR.glob("*.py") if p.name != "__init__.py"}
    assert files == {f"_{url}.py" for url in urls}
    for name in files:
        assert "app.py" in (PAGES_DIR / name).read_text(encoding="utf-8"), name
