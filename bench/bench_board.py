"""Board bench, in one process: a rerun of the board page on the large journey (30 moments x
15 channels, 400 touchpoints, 2,000 findings) against a rerun of a trivial Streamlit page.

Both are driven by Streamlit's AppTest, so the harness costs the same on both sides; as in the
real server, the compiled scripts are kept and app.py routes with st.navigation. The board's
reads are shared between runs until a write (or for a second): the second figure is a rerun
that reads the database again.
Run: uv run python -m bench.bench_board
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from streamlit.runtime.scriptrunner.script_cache import ScriptCache
from streamlit.testing.v1 import AppTest, app_test, local_script_runner

from bench.common import Figure, median_times, print_table
from bench.generate import large_journey
from journeys import services
from pages.common.shared import forget_shared_reads
from tests.ui.conftest import NavigationPagesManager

_SCRIPTS = ScriptCache()
APP = str(Path(__file__).resolve().parents[1] / "app.py")
TRIVIAL = "import streamlit as st\nst.title('Trivial')\nst.write('Hello')\n"


def _board_app(database_url: str) -> AppTest:
    # As the real server does after its first run: app.py routes with st.navigation (AppTest
    # would otherwise fall back, on every run, to the old `pages/` folder mode)...
    app_test.PagesManager = NavigationPagesManager
    # ...and keeps the scripts it compiled (one cache for the whole server; AppTest makes a
    # new one, and compiles app.py and the page again, on every run).
    app_test.ScriptCache = local_script_runner.ScriptCache = lambda: _SCRIPTS
    os.environ["JOURNEYS_DATABASE_URL"] = database_url
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["journey"] = "grand-parcours"
    at.run()
    at.switch_page("pages/board/page.py")
    at.run()
    if at.exception:
        raise RuntimeError(at.exception[0].value)
    if not any(e.key == "board_canvas" for e in at.get("bidi_component")):
        raise RuntimeError("the board (its canvas) did not render")
    return at


def figures() -> list[Figure]:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'board.db'}"
        services.import_document(large_journey(), store=services.open_store(url))
        board = _board_app(url)
        trivial = AppTest.from_string(TRIVIAL)
        trivial.run()
        floor, rerun, cold = median_times(
            trivial.run, board.run, lambda: _reads_expired(board), repeat=31
        )
    return [
        Figure(
            "board rerun, large journey (AppTest)",
            rerun,
            floor,
            "trivial page",
            max_ratio=5,
            note="400 touchpoints, 2,000 findings; no write since the last run",
        ),
        Figure(
            "board rerun, shared reads expired",
            cold,
            floor,
            "trivial page",
            note="the same, once the pages' shared reads are over a second old",
        ),
    ]


def _reads_expired(board: AppTest) -> None:
    forget_shared_reads()  # as after a write, or a second without one: the page reads the database
    board.run()


if __name__ == "__main__":
    print_table(figures())
