"""Browser bench: `streamlit run` driven by Playwright in Debian's Chromium (never a downloaded
browser), as a facilitator sees it.

1. Click round trip: on the board of a template journey, click the projector switch and time,
   in the page, until the board shows (or drops) its projector class and that frame is
   painted (and the same with the findings switch: until the findings show or hide); against
   a trivial app whose button increments a counter shown as text. The board's switches change
   the board in the browser, then rerun the page; the time until the page around the board
   follows (editing tabs gone or back) is printed too. For scale, a bare app that redraws the
   template's board through a rerun (st.toggle and st.html), as the board did before.
2. Participant note: with the facilitator's board open, a note is sent through the participants'
   service on the app's database; time until it shows in the board's inbox (no click).

Run: uv run python -m bench.bench_browser
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.common import Figure, print_table
from journeys import services
from journeys.contract.model import FindingType
from journeys.store.db import open_store
from journeys.workshop import participants
from tests.e2e.conftest import CHROMIUM_ARGS, _wait_until_serving, chromium_path, free_port
from tests.e2e.helpers import wait_for_app

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = "first_subscription.fr.journey"
CLICKS = 20
NOTES = 6
TRIVIAL = """import streamlit as st

st.session_state.setdefault("count", 0)
if st.button("Plus un", key="bench_plus"):
    st.session_state["count"] += 1
with st.container(key="bench_count"):
    st.write(f"Compteur {st.session_state['count']}")
"""

# The template's board alone, with its findings switch: what redrawing the board's HTML costs
# in the browser, whatever the page around it.
BARE_BOARD = """import streamlit as st

from journeys.board.html import render_board
from journeys.contract.yaml_io import load_file


@st.cache_resource
def board(show: bool) -> str:
    journey = load_file(TEMPLATE_PATH)
    return render_board(journey, lang="fr", projector=False, show_findings=show, evidence={})


class Markup:
    def __init__(self, html):
        self.html = html

    def _repr_html_(self):
        return self.html


shown = st.toggle("Afficher les constats", value=True, key="bench_show")
st.html(Markup(board(shown)))
"""

# Clicks `click` (a CSS selector) from inside the page and resolves with, for each of `dones`
# (JS expressions), the milliseconds until it holds and the frame showing it has been painted
# (the next animation frame, then a task): no Playwright round trip in the measured time.
_CLICK_UNTIL = """async ([click, dones]) => {
  const checks = dones.map((done) => new Function(`return (${done});`));
  if (checks[0]()) throw new Error(`already true before the click: ${dones[0]}`);
  const painted = () => new Promise((resolve) => {
    requestAnimationFrame(() => setTimeout(resolve, 0));
  });
  const started = performance.now();
  return await new Promise((resolve) => {
    const times = checks.map(() => null);
    const look = () => {
      checks.forEach((holds, n) => {
        if (times[n] === null && holds()) {
          times[n] = painted().then(() => performance.now() - started);
        }
      });
      if (times.every((time) => time !== null)) {
        observer.disconnect();
        resolve(Promise.all(times));
      }
    };
    const observer = new MutationObserver(look);
    observer.observe(document.body, {childList: true, subtree: true, attributes: true,
                                     characterData: true});
    document.querySelector(click).click();
    look();  // what the click itself changed
  });
}"""


@contextmanager
def _serve(script: Path, workdir: Path) -> Iterator[str]:
    """`streamlit run script` on a free port, as tests/e2e/conftest.py's start_app runs the app."""
    port = free_port()
    env = {
        **os.environ,
        "JOURNEYS_DATABASE_URL": f"sqlite:///{workdir / 'journeys.db'}",
        "JOURNEYS_EXPORT_DIR": str(workdir / "exports"),
        "JOURNEYS_LANGUAGE": "fr",
    }
    command = [
        *(sys.executable, "-m", "streamlit", "run", str(script)),
        *("--server.headless", "true", "--server.port", str(port)),
        *("--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"),
        *("--server.fileWatcherType", "none"),
    ]
    with (workdir / f"{script.stem}.log").open("wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_until_serving(url, process)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def _click_until(page, click: str, *dones: str) -> list[float]:
    """Seconds from a click to each change it should bring, painted; then wait for the run to
    end."""
    page.locator(click).wait_for(state="attached")
    elapsed = [ms / 1000 for ms in page.evaluate(_CLICK_UNTIL, [click, list(dones)])]
    wait_for_app(page)
    page.wait_for_timeout(150)  # let the last deltas land before the next click
    return elapsed


def _open_trivial(browser, url: str):
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    page.goto(url)
    wait_for_app(page)
    page.locator(".st-key-bench_count", has_text="Compteur 0").wait_for()
    return page


def _trivial_click(page, count: int) -> float:
    """Click the counter's button; seconds until it shows `count`."""
    shown = (
        f"document.querySelector('.st-key-bench_count')?.textContent.includes('Compteur {count}')"
    )
    return _click_until(page, ".st-key-bench_plus button", shown)[0]


def _new_journey(database_url: str) -> str:
    store = open_store(database_url)
    try:
        return services.create_from_template(TEMPLATE, store=store).id
    finally:
        store.dispose()


def _open_board(browser, url: str, jid: str):
    page = browser.new_page(viewport={"width": 1920, "height": 1080}, locale="fr-FR")
    page.goto(f"{url}/?journey={jid}&zoom=cards")  # the canvas's zoom where findings show
    wait_for_app(page)
    page.locator(".jb-board").wait_for()
    page.locator(".st-key-inbox_panel").wait_for()
    return page


def _board_click(page, switch: str, *dones: str) -> list[float]:
    """Click one of the board's switches; seconds until the board shows the change (and until
    each further change shows)."""
    return _click_until(page, f".st-key-{switch} input[type='checkbox']", *dones)


def _projector(on: bool) -> str:
    """The board has (or has dropped) its projector class."""
    if on:
        return "document.querySelector('.jb-board.jb-projector') !== null"
    return "document.querySelector('.jb-board') && !document.querySelector('.jb-projector')"


def _findings(shown: bool) -> str:
    """The board shows (or has hidden) the findings under its touchpoints."""
    return (
        "[...document.querySelectorAll('.jb-board .jb-findings')]"
        f".some((list) => list.checkVisibility()) === {str(shown).lower()}"
    )


def _editing(shown: bool) -> str:
    """The page around the board shows (or has dropped) its editing tabs."""
    return f"(document.querySelector('[data-testid=\"stTabs\"]') !== null) === {str(shown).lower()}"


def _open_bare_board(browser, url: str):
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    page.goto(url)
    wait_for_app(page)
    page.locator(".jb-board").wait_for(timeout=60_000)  # a cold first run: imports, template
    return page


def _clicks(trivial, board, bare) -> dict[str, list[float]]:
    """Interleaved clicks on both apps, so that load from other processes weighs on all alike;
    the first two of each warm the sessions (and the board's caches) up. The projector switch
    changes the whole page (no sidebar, no editing, larger chart) and reruns it; the findings
    switch reruns only the board's fragment, and the browser redraws the board's HTML."""
    names = ("trivial", "projector", "page", "findings", "bare")
    times: dict[str, list[float]] = {name: [] for name in names}
    for n in range(CLICKS + 2):
        first = n % 2 == 0  # projector on / findings hidden, then back
        times["trivial"].append(_trivial_click(trivial, n + 1))
        switch = ".st-key-bench_show input[type='checkbox']"
        times["bare"] += _click_until(bare, switch, _findings(not first))
        board_shown, page_shown = _board_click(
            board, "board_projector_switch", _projector(first), _editing(not first)
        )
        times["projector"].append(board_shown)
        times["page"].append(page_shown)
        times["findings"] += _board_click(board, "board_findings_switch", _findings(not first))
    return {name: found[2:] for name, found in times.items()}


def _note_delays(page, database_url: str, jid: str) -> list[float]:
    page.locator(".st-key-inbox_panel").wait_for()  # the inbox, not the projector's strip
    store = open_store(database_url)
    try:
        code = participants.open_workshop(jid, store=store)
        journey = services.get_journey(jid, store=store)
        moment, channel = journey.moments[0].id, journey.channels[0].id
        delays = []
        for n in range(NOTES):
            text = f"Note de banc numéro {n} ({time.time_ns()})"
            draft = participants.NoteDraft(
                type=FindingType.IRRITANT, text=text, moment=moment, channel=channel
            )
            started = time.perf_counter()
            participants.submit_note(jid, code, draft, store=store)
            page.wait_for_function(
                "(text) => [...document.querySelectorAll('.ib-note')]"
                ".some((note) => note.textContent.includes(text))",
                arg=text,
                timeout=10_000,
            )
            delays.append(time.perf_counter() - started)
            page.wait_for_timeout(300)  # notes arrive at no particular moment of the refresh
    finally:
        store.dispose()
    return delays


def figures() -> list[Figure]:
    path = chromium_path()
    if path is None:
        raise SystemExit("Debian's Chromium is needed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        workdir = Path(folder)
        database_url = f"sqlite:///{workdir / 'journeys.db'}"
        script = workdir / "trivial_app.py"
        script.write_text(TRIVIAL, encoding="utf-8")
        bare_script = workdir / "bare_board_app.py"
        template = ROOT / "templates_journeys" / f"{TEMPLATE}.yaml"
        bare_script.write_text(BARE_BOARD.replace("TEMPLATE_PATH", repr(str(template))))
        browser = playwright.chromium.launch(
            executable_path=path, headless=True, args=CHROMIUM_ARGS
        )
        with (
            _serve(script, workdir) as trivial_url,
            _serve(bare_script, workdir) as bare_url,
            _serve(ROOT / "app.py", workdir) as url,
        ):
            jid = _new_journey(database_url)
            trivial, board = _open_trivial(browser, trivial_url), _open_board(browser, url, jid)
            clicks = _clicks(trivial, board, _open_bare_board(browser, bare_url))
            notes = _note_delays(board, database_url, jid)
        browser.close()
    floor = statistics.median(clicks["trivial"])
    return [
        *(
            Figure(
                f"click round trip: {name} switch on the board",
                statistics.median(clicks[name]),
                floor,
                "trivial app",
                max_ratio=1.5,
                note=f"median of {len(clicks[name])}, on and off "
                f"(slowest {max(clicks[name]) * 1000:.0f} ms); template journey",
            )
            for name in ("projector", "findings")
        ),
        Figure(
            "projector switch: the page around the board follows",
            statistics.median(clicks["page"]),
            floor,
            "trivial app",
            note="editing tabs gone or back: the rerun that follows the board's change",
        ),
        Figure(
            "click round trip: the board redrawn through a rerun",
            statistics.median(clicks["bare"]),
            floor,
            "trivial app",
            note="a bare app with only st.toggle and the board in st.html: what each click "
            "cost before the board's switches changed it in the browser",
        ),
        Figure(
            "participant note shows on the board (slowest)",
            max(notes),
            max_seconds=2,
            note=f"{len(notes)} notes, median {statistics.median(notes):.2f} s; "
            "the inbox refreshes every second",
        ),
    ]


if __name__ == "__main__":
    print_table(figures())
