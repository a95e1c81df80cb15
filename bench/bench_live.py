"""Screens in step bench: how soon an edit made elsewhere shows on open boards, with no click.

1. One server (SQLite): a board in projector mode (1280×720) and one on a laptop (1920×1080);
   the bench's own process writes an edit to the workspace (another process, as the CLI or a
   second server would), then times until both boards show it. Edits land at every phase of
   the boards' watchers, which read the store's signature twice a second.
2. Two servers on one PostgreSQL workspace (when JOURNEYS_TEST_POSTGRES_URL, or the local
   socket, reaches a server): a board on each, the same edits.
3. What a watcher's tick costs the server: reading the signature (one query) on the large
   journey with 300 notes, against the page's other one-query read (the journey picker's).

Run: uv run python -m bench.bench_live
"""

from __future__ import annotations

import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from bench.common import Figure, median_times, print_table
from bench.generate import large_journey
from journeys import services
from journeys.contract.model import FindingType
from journeys.store.db import Store, open_store
from journeys.workshop import participants as p
from tests.e2e.conftest import CHROMIUM_ARGS, chromium_path, start_app
from tests.e2e.in_step import add_touchpoint, fresh_postgres_database, on_board, open_board

TEMPLATE = "first_subscription.fr.journey"
FIRST = "Paywall après 3 articles gratuits"  # a touchpoint of the template
EDITS = 20
NOTES = 300


def _delays(pages: list, store: Store, jid: str) -> list[float]:
    """Seconds from each edit's commit until every page shows it."""
    delays = []
    for n in range(EDITS):
        label = f"Modification {n} faite ailleurs"
        written = add_touchpoint(store, jid, label)  # in an empty cell: every zoom names it
        for page in pages:
            on_board(page, label).wait_for(timeout=10_000)
        delays.append(time.perf_counter() - written)
        time.sleep(0.3 + (n * 0.37) % 1.0)  # the next edit at another phase of the watchers
    return delays


def _p95(delays: list[float]) -> float:
    return statistics.quantiles(delays, n=20, method="inclusive")[18]


def _figure(name: str, delays: list[float], where: str) -> Figure:
    return Figure(
        name,
        _p95(delays),
        max_seconds=2,
        note=f"{len(delays)} edits, median {statistics.median(delays):.2f} s, slowest "
        f"{max(delays):.2f} s; {where}",
    )


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def _one_server(browser, workdir: Path) -> Figure:
    app, process = start_app(workdir)
    store = open_store(app.database_url)
    try:
        jid = services.create_from_template(TEMPLATE, store=store).id
        pages = [
            open_board(browser, app.url, jid, FIRST, projector=True),
            open_board(browser, app.url, jid, FIRST),
        ]
        delays = _delays(pages, store, jid)
    finally:
        store.dispose()
        _stop(process)
    return _figure(
        "cross-screen edit visible, p95 (SQLite)",
        delays,
        "projector and laptop boards, edit written by another process",
    )


def _two_servers(browser, workdir: Path) -> Figure:
    with fresh_postgres_database() as database_url:
        if database_url is None:
            return Figure("cross-screen edit visible, two servers", note="skipped: no PostgreSQL")
        store = open_store(database_url)  # migrated once, before the servers start
        processes = []
        try:
            jid = services.create_from_template(TEMPLATE, store=store).id
            pages = []
            for n, projector in enumerate((True, False)):
                (workdir / f"server{n}").mkdir()
                app, process = start_app(
                    workdir / f"server{n}", {"JOURNEYS_DATABASE_URL": database_url}
                )
                processes.append(process)
                pages.append(open_board(browser, app.url, jid, FIRST, projector=projector))
            delays = _delays(pages, store, jid)
        finally:
            store.dispose()
            for process in processes:
                _stop(process)
    return _figure(
        "cross-screen edit visible, p95 (2 servers, PostgreSQL)",
        delays,
        "a board on each server, one workspace",
    )


def _tick(workdir: Path) -> Figure:
    store = open_store(f"sqlite:///{workdir / 'tick.db'}")
    try:
        journey = large_journey()
        services.import_document(journey, store=store)
        code = p.open_workshop(journey.id, store=store)
        tp = journey.touchpoints[0]
        for n in range(NOTES):
            draft = p.NoteDraft(type=FindingType.IRRITANT, text=f"Note {n}", touchpoint=tp.id)
            p.submit_note(journey.id, code, draft, store=store)
        tick, floor = median_times(
            lambda: services.board_signature(journey.id, store=store),
            lambda: services.journey_titles(store=store),
            repeat=201,
        )
    finally:
        store.dispose()
    return Figure(
        "watcher tick: the board's signature (SQLite)",
        tick,
        floor,
        "journey picker's read",
        note=f"one query: revision and {NOTES} notes of the large journey",
    )


def figures() -> list[Figure]:
    path = chromium_path()
    if path is None:
        raise SystemExit("Debian's Chromium is needed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        workdir = Path(folder)
        browser = playwright.chromium.launch(
            executable_path=path, headless=True, args=CHROMIUM_ARGS
        )
        (workdir / "one").mkdir()
        found = [_one_server(browser, workdir / "one"), _two_servers(browser, workdir)]
        browser.close()
        found.append(_tick(workdir))
    return found


if __name__ == "__main__":
    print_table(figures())
