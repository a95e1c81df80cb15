"""What the tests and the bench of screens in step share: a board opened on a journey (in
projector mode if asked), the board's text whatever draws it, edits made from outside the
app's process, and a fresh PostgreSQL database for servers that share one workspace."""

from __future__ import annotations

import os
import re
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from journeys import services
from journeys.contract.model import Journey, Touchpoint
from journeys.store.db import Store
from tests.e2e.helpers import wait_for_app

# The board's container: the HTML board (.jb-board) or a custom component drawing it (whose
# root may be in a shadow root: Playwright's CSS locators look inside open ones). The
# board's switches are components too, but they print no touchpoint's label.
BOARD = ".jb-board, [data-testid='stBidiComponentRegular'], [data-testid='stBidiComponentIsolated']"
SOFT_HYPHEN = "\u00ad?"
PROJECTOR = {"width": 1280, "height": 720}
LAPTOP = {"width": 1920, "height": 1080}
DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@/postgres?host=/var/run/postgresql"


def open_board(browser, url: str, jid: str, shows: str, *, projector: bool = False):
    """A new browser (its own session) on the journey's board, as a link opens it, once the
    board shows `shows` (a touchpoint's label)."""
    context = browser.new_context(viewport=PROJECTOR if projector else LAPTOP, locale="fr-FR")
    page = context.new_page()
    page.goto(f"{url}/board?journey={jid}" + ("&mode=projector" if projector else ""))
    wait_for_app(page)
    on_board(page, shows).wait_for()
    return page


def on_board(page, label: str):
    """The first place the board shows `label` (a touchpoint's name) as text, hyphenated or
    not (soft hyphens may stand between any two letters)."""
    shown = re.compile(SOFT_HYPHEN.join(re.escape(char) for char in label))
    return page.locator(BOARD).get_by_text(shown).first


def seconds_until_shown(page, label: str, timeout: float) -> float:
    """Wait until the board shows `label`; return the seconds it took (from now)."""
    started = time.perf_counter()
    on_board(page, label).wait_for(timeout=timeout * 1000)
    return time.perf_counter() - started


def add_touchpoint(store: Store, jid: str, label: str) -> float:
    """An edit made outside the app's process: a touchpoint in an empty cell (where every zoom
    of the board prints its name); return when it was written (time.perf_counter)."""
    moment, channel = empty_cell(services.get_journey(jid, store=store))
    ident = "tp-" + uuid.uuid4().hex[:10]
    touchpoint = Touchpoint(id=ident, moment=moment, channel=channel, label=label)
    services.add_touchpoint(jid, touchpoint, store=store)
    return time.perf_counter()


def empty_cell(journey: Journey) -> tuple[str, str]:
    """The first cell (moment, channel) without a touchpoint, row by row."""
    taken = {(tp.moment, tp.channel) for tp in journey.touchpoints}
    return next(
        (m.id, c.id) for c in journey.channels for m in journey.moments if (m.id, c.id) not in taken
    )


def postgres_admin_url() -> str:
    return os.environ.get("JOURNEYS_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)


@contextmanager
def fresh_postgres_database() -> Iterator[str | None]:
    """The URL of a new, empty PostgreSQL database (dropped afterwards); None when the server
    at JOURNEYS_TEST_POSTGRES_URL cannot be reached."""
    admin_url = make_url(postgres_admin_url())
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text("SELECT 1"))
    except OperationalError:
        admin.dispose()
        yield None
        return
    name = f"journeys_live_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
