"""Canvas bench: `streamlit run` driven by Playwright in Debian's Chromium (never a downloaded
browser), on the board's canvas.

1. Click to painted, on the press renewal template (10 moments × 8 channels): select a card (a
   click), move one (a drag to another cell, timed from its drop), undo (Ctrl+Z), each timed
   in the page from the event to the frame showing the change painted; against a bare app
   whose button increments a counter shown as text (its click's round trip through the
   server). The canvas shows its edits at once and converges on the server's answer: the time
   until that answer is drawn is printed too.
2. Overview against detail on the large journey (30 × 15, 400 touchpoints, 2,000 findings):
   from the other zoom level, time until the overview (every cell summarised) or the detail
   (cards with their whole findings, which the server sends when asked) is painted.

Run: uv run python -m bench.bench_canvas
"""

from __future__ import annotations

import statistics
import tempfile
from pathlib import Path

from bench.bench_browser import TRIVIAL, _open_trivial, _serve, _trivial_click
from bench.common import Figure, print_table
from bench.generate import large_journey
from journeys import services
from journeys.store.db import open_store
from tests.e2e.conftest import CHROMIUM_ARGS, chromium_path
from tests.e2e.helpers import wait_for_app

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = "fixed_term_renewal.fr.journey"
ROUNDS = 12
ZOOMS = 6

# Runs `act` (JS statements) in the page and resolves with the milliseconds until each of
# `dones` (JS expressions) holds and the frame showing it has been painted.
_ACT_UNTIL = """async ([act, dones]) => {
  const checks = dones.map((done) => new Function(`return (${done});`));
  if (checks[0]()) throw new Error(`already true before acting: ${dones[0]}`);
  const painted = () => new Promise((resolve) => {
    requestAnimationFrame(() => setTimeout(resolve, 0));
  });
  const started = performance.now();
  return await new Promise((resolve, reject) => {
    const late = setTimeout(() => {
      observer.disconnect();
      const missed = dones.filter((done, n) => !checks[n]()).join(' ; ');
      reject(new Error(`still not true after 20 s: ${missed}`));
    }, 20000);
    const times = checks.map(() => null);
    const look = () => {
      checks.forEach((holds, n) => {
        if (times[n] === null && holds()) {
          times[n] = painted().then(() => performance.now() - started);
        }
      });
      if (times.every((time) => time !== null)) {
        clearTimeout(late);
        observer.disconnect();
        resolve(Promise.all(times));
      }
    };
    const observer = new MutationObserver(look);
    observer.observe(document.body, {childList: true, subtree: true, attributes: true,
                                     characterData: true});
    new Function(act)();
    look();
  });
}"""

_ROOT = "document.querySelector('.cv-root')"
_ANSWERED = f"{_ROOT}.dataset.acked === {_ROOT}.dataset.sent"


# A drag of a card (`card`, a CSS selector) over a cell (`cell`), its pointer held there: the
# drop (pointerup) is what is timed, as a click's release is.
_GRAB = """([card, cell]) => new Promise((resolve) => {
  const from = document.querySelector(card).getBoundingClientRect();
  const to = document.querySelector(cell).getBoundingClientRect();
  const at = (x, y) => ({bubbles: true, clientX: x, clientY: y, button: 0, pointerId: 1});
  document.querySelector(card).dispatchEvent(
    new PointerEvent('pointerdown', at(from.left + 6, from.top + 6)));
  document.dispatchEvent(new PointerEvent('pointermove', at(from.left + 30, from.top + 20)));
  window.benchDrop = at(to.left + to.width / 2, to.top + to.height / 2);
  document.dispatchEvent(new PointerEvent('pointermove', window.benchDrop));
  requestAnimationFrame(() => setTimeout(resolve, 0));
})"""
_DROP = "document.dispatchEvent(new PointerEvent('pointerup', window.benchDrop));"

_UNDO = f"""{_ROOT}.dispatchEvent(new KeyboardEvent('keydown',
  {{key: 'z', ctrlKey: true, bubbles: true}}));"""


# A click as a hand makes it: press, release, click (the press is what tells the canvas that a
# drag's release is over and the next click is one).
_CLICK = """const el = PICK, box = el.getBoundingClientRect();
const at = {bubbles: true, clientX: box.left + 6, clientY: box.top + 6, button: 0, pointerId: 1};
el.dispatchEvent(new PointerEvent('pointerdown', at));
el.dispatchEvent(new PointerEvent('pointerup', at));
el.click();"""


def _in(cell: str, tp: str) -> str:
    return f"document.querySelector('{cell} [data-tp=\"{tp}\"]') !== null"


def _act(page, act: str, *dones: str) -> list[float]:
    elapsed = [ms / 1000 for ms in page.evaluate(_ACT_UNTIL, [act, list(dones)])]
    wait_for_app(page)
    page.wait_for_timeout(150)
    return elapsed


def _open_board(browser, url: str, jid: str, zoom: str = "overview"):
    page = browser.new_page(viewport={"width": 1920, "height": 1080}, locale="fr-FR")
    page.goto(f"{url}/board?journey={jid}&zoom={zoom}")
    wait_for_app(page)
    page.locator(".cv-grid .cv-cell").first.wait_for(timeout=60_000)
    page.wait_for_timeout(500)
    return page


def _edits(trivial, board) -> dict[str, list[float]]:
    """Interleaved: the bare app's click, then select, move and undo on the canvas (the first
    two rounds warm the sessions up)."""
    names = ("bare", "select", "move", "move answered", "undo", "undo answered")
    times: dict[str, list[float]] = {name: [] for name in names}
    card = "coupon-encarte"
    home = '.cv-cell[data-m="souscription"][data-c="courrier"]'
    away = '.cv-cell[data-m="bienvenue"][data-c="sms"]'
    for n in range(ROUNDS + 2):
        times["bare"].append(_trivial_click(trivial, n + 1))
        other = f'.cv-line[data-tp]:not([data-tp="{card}"])'
        pick = f"{_ROOT}.querySelectorAll('{other}')[{n % 5}]"
        selected = f"{pick}.classList.contains('cv-sel')"
        times["select"] += _act(board, _CLICK.replace("PICK", pick), selected)
        board.keyboard.press("Escape")  # the editor the click opened (the page reruns: wait)
        board.wait_for_timeout(100)
        wait_for_app(board)
        board.wait_for_timeout(150)
        board.evaluate(_GRAB, [f'[data-tp="{card}"]', away])
        move, answered = _act(board, _DROP, _in(away, card), _ANSWERED)
        times["move"].append(move)
        times["move answered"].append(answered)
        undo, answered = _act(board, _UNDO, _in(home, card), _ANSWERED)
        times["undo"].append(undo)
        times["undo answered"].append(answered)
    return {name: found[2:] for name, found in times.items()}


def _zooms(page) -> dict[str, list[float]]:
    """Overview and detail, each from the other, on the large journey."""
    times: dict[str, list[float]] = {"overview": [], "detail": []}
    zoom = f"{_ROOT}.dataset.zoom"
    for _ in range(ZOOMS + 1):
        click = "document.querySelector('.cv-bar [data-act=\"zoom:{}\"]').click();"
        (detail,) = _act(
            page,
            click.format("detail"),
            f"{zoom} === 'detail' && document.querySelector('.cv-card .cv-f') !== null",
        )
        (overview,) = _act(
            page,
            click.format("overview"),
            f"{zoom} === 'overview' && document.querySelector('.cv-line') !== null",
        )
        times["detail"].append(detail)
        times["overview"].append(overview)
    return {name: found[1:] for name, found in times.items()}


def figures() -> list[Figure]:
    path = chromium_path()
    if path is None:
        raise SystemExit("Debian's Chromium is needed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        workdir = Path(folder)
        database_url = f"sqlite:///{workdir / 'journeys.db'}"
        store = open_store(database_url)
        try:
            jid = services.create_from_template(TEMPLATE, store=store).id
            large = services.import_document(large_journey(), store=store).id
        finally:
            store.dispose()
        script = workdir / "trivial_app.py"
        script.write_text(TRIVIAL, encoding="utf-8")
        browser = playwright.chromium.launch(
            executable_path=path, headless=True, args=CHROMIUM_ARGS
        )
        with _serve(script, workdir) as trivial_url, _serve(ROOT / "app.py", workdir) as url:
            trivial, board = _open_trivial(browser, trivial_url), _open_board(browser, url, jid)
            edits = _edits(trivial, board)
            zooms = _zooms(_open_board(browser, url, large, zoom="cards"))
        browser.close()
    floor = statistics.median(edits["bare"])
    note = f"median of {ROUNDS}; press renewal template"
    rows = [
        Figure(
            f"canvas click to painted: {name}",
            statistics.median(edits[name]),
            floor,
            "bare app's click",
            max_ratio=1.5,
            note=f"{note} (slowest {max(edits[name]) * 1000:.0f} ms)",
        )
        for name in ("select", "move", "undo")
    ]
    rows += [
        Figure(
            f"canvas {name}: the server's answer drawn",
            statistics.median(edits[f"{name} answered"]),
            floor,
            "bare app's click",
            note="the edit written through the store's versions and the board redrawn from it",
        )
        for name in ("move", "undo")
    ]
    detail = statistics.median(zooms["detail"])
    rows += [
        Figure(
            "canvas overview painted, large journey",
            statistics.median(zooms["overview"]),
            detail,
            "detail painted",
            max_ratio=1.5,
            note=f"median of {ZOOMS}; 30 × 15, 400 touchpoints, 2,000 findings",
        ),
        Figure(
            "canvas detail painted, large journey",
            detail,
            floor,
            "bare app's click",
            note="whole findings: their words come with the server's answer",
        ),
    ]
    return rows


if __name__ == "__main__":
    print_table(figures())
