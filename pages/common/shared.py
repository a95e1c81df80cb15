"""What every page shares: the store, the language, the selected journey, messages across reruns."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from journeys import services
from journeys.i18n import DEFAULT_LANGUAGE, enum_label, t
from journeys.roles import Permission, check
from journeys.settings import get_settings
from pages.common.auth import current_actor
from pages.common.text import plain

# Shared session keys (initialised once, in app.py).
LANG = "app_lang"
JOURNEY = "app_journey"
FLASH = "app_flash"
PROJECTOR = "board_projector"  # read by app.py to hide the sidebar on the projector

R = TypeVar("R")


_STORES: dict[str, services.Store] = {}
_STORES_LOCK = threading.Lock()


def _open_store(url: str) -> services.Store:
    """The process-wide store of `url`, opened (and migrated) once. A plain dict, not
    st.cache_resource: pages ask for the store several times per run, and the cache's
    hashing of its argument cost more than the queries that follow."""
    found = _STORES.get(url)
    if found is None:
        with _STORES_LOCK:
            found = _STORES.get(url) or _STORES.setdefault(url, services.open_store(url))
    return found


def store() -> services.Store:
    """Return the process-wide store (opened once per URL), acting for this session's user.

    The same for the whole page run: a board run asks a dozen times, and reading the settings
    and the user again each time showed in its bench (a sign-in or out reruns the page)."""
    return _for_the_run("_journeys_store", _store_now)


def _store_now() -> services.Store:
    settings = get_settings()
    return _open_store(settings.database_url).as_actor(current_actor(settings))


def lang() -> str:
    """The session's language: read once per page run (a board run asks forty times), after
    the widgets' callbacks (the language picker's changes it) have run."""
    return _for_the_run("_journeys_lang", _lang_now, after_callbacks=True)


def _lang_now() -> str:
    return st.session_state.get(LANG, DEFAULT_LANGUAGE)


def _for_the_run(name: str, compute: Callable[[], R], *, after_callbacks: bool = False) -> R:
    """`compute()`, kept for the rest of the page run (or fragment run) on its context, as
    `name`: Streamlit gives each run a new dict of cursors, which tells this run's value from
    the last run's. Outside a run, computed on every call. `after_callbacks`: not kept until
    the script itself runs (what a widget's callback may change)."""
    ctx = get_script_run_ctx(suppress_warning=True)
    run = getattr(ctx, "cursors", None)
    if run is None:
        return compute()
    kept = getattr(ctx, name, None)
    if kept is not None and kept[0] is run:
        return kept[1]
    value = compute()
    if not after_callbacks or getattr(ctx, "has_script_started", False):
        setattr(ctx, name, (run, value))
    return value


def tr(key: str, **params: Any) -> str:
    """Return a catalog message in the language of the session."""
    return t(key, lang(), **params)


def label(prefix: str, value: Any) -> str:
    """Return the catalog label of an enum value (`status`, `finding`, `journey_type`…)."""
    return enum_label(prefix, value, lang())


def selected_journey() -> str | None:
    return st.session_state.get(JOURNEY)


def select_journey(journey_id: str | None) -> None:
    """Make `journey_id` the journey every page works on (the sidebar follows on next run)."""
    st.session_state[JOURNEY] = journey_id


def flash(kind: str, message: str) -> None:
    """Keep a message to show at the top of the next run (after st.rerun); shown as text, as
    every message that may hold what a user typed (not Markdown)."""
    st.session_state[FLASH] = (kind, message)


def show_flash() -> None:
    """Show, then forget, the message kept by `flash`."""
    kept = st.session_state.pop(FLASH, None)
    if kept:
        kind, message = kept
        {"success": st.success, "warning": st.warning, "error": st.error}.get(kind, st.info)(
            plain(message)
        )


def show_error(title: str, detail: str) -> None:
    """Show an error headline and its detail verbatim (as the CLI words it), both as text."""
    st.error(plain(title))
    st.code(detail, language=None, wrap_lines=True)


def journey_titles(wanted: str | None = None) -> dict[str, str]:
    """Return the live journeys of the workspace as id → 'title · state', by title. A
    `wanted` journey missing from the list shared between runs (made a moment ago by another
    server or the CLI) is looked for again in the store before anyone is told it is gone."""
    found = read(services.journey_titles)
    if wanted and all(jid != wanted for jid, _, _ in found):
        found = read(services.journey_titles, fresh=True)
    return {jid: f"{title} · {label('state', state)}" for jid, title, state in found}


def read(service: Callable[..., R], *args: Hashable, fresh: bool = False) -> R:
    """`service(*args, store=store())`, shared by every page run until a write is committed
    through this server, or for a second at most (writes from elsewhere: the CLI, another
    server). The board reruns on every click of every session: most reruns then read nothing.
    `fresh`: read the store now (and share that).

    For reads only; what is returned is shared between sessions: treat it as read-only.
    """
    database = store()
    check(database, getattr(service, "permission", Permission.READ), service.__name__)
    key = (service.__module__, service.__qualname__, args, str(database.url), database.commits)
    now = time.monotonic()
    found = None if fresh else _SHARED.get(key)
    if found is not None and now - found[0] < SHARED_FOR:
        return found[1]
    value = service(*args, store=database)
    with _SHARED_LOCK:
        if len(_SHARED) >= 64:  # the oldest go first
            for old in sorted(_SHARED, key=lambda k: _SHARED[k][0])[:16]:
                del _SHARED[old]
        _SHARED[key] = (now, value)
    return value


# What `read` shares: a plain dict, not st.cache_resource (whose hashing of the arguments, on
# every call, cost more than a rerun's other reads together).
SHARED_FOR = 1.0  # seconds
_SHARED: dict[tuple[Any, ...], tuple[float, Any]] = {}
_SHARED_LOCK = threading.Lock()


def forget_shared_reads() -> None:
    """Drop what `read` shares (as after a write, or a second without one)."""
    with _SHARED_LOCK:
        _SHARED.clear()
