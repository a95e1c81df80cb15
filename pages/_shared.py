"""What every page shares: the store, the language, the selected journey, messages across reruns."""

from __future__ import annotations

import threading
from typing import Any

import streamlit as st

from journeys import services
from journeys.i18n import DEFAULT_LANGUAGE, enum_label, t
from journeys.roles import Permission, check
from journeys.settings import get_settings
from pages._auth import current_actor

# Shared session keys (initialised once, in app.py).
LANG = "app_lang"
JOURNEY = "app_journey"
FLASH = "app_flash"
PROJECTOR = "board_projector"  # read by app.py to hide the sidebar on the projector


def ensure_app_ran() -> None:
    """Go through app.py when Streamlit ran this page without it.

    With a `pages/` folder, Streamlit's older folder-based mode handles the first request after
    a server start: opened on a page URL (/board), it runs the page file alone — no sidebar,
    no shared state — until app.py has called st.navigation once. Every page starts with this.
    """
    if not st.session_state.get("app_ready"):
        st.switch_page("app.py", query_params=st.query_params.to_dict())


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
    """Return the process-wide store (opened once per URL), acting for this session's user."""
    return _open_store(get_settings().database_url).as_actor(current_actor())


def lang() -> str:
    return st.session_state.get(LANG, DEFAULT_LANGUAGE)


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
    """Keep a message to show at the top of the next run (after st.rerun)."""
    st.session_state[FLASH] = (kind, message)


def show_flash() -> None:
    """Show, then forget, the message kept by `flash`."""
    kept = st.session_state.pop(FLASH, None)
    if kept:
        kind, message = kept
        {"success": st.success, "warning": st.warning, "error": st.error}.get(kind, st.info)(
            message
        )


def show_error(title: str, detail: str) -> None:
    """Show an error headline and its detail verbatim (as the CLI words it)."""
    st.error(title)
    st.code(detail, language=None, wrap_lines=True)


def journey_titles() -> dict[str, str]:
    """Return the live journeys of the workspace as id → 'title · state', by title.

    Every page run asks (the sidebar's picker): the list is read again after any write made
    through this server, and at least every few seconds for writes made elsewhere (the CLI).
    """
    database = store()
    check(database, Permission.READ, "list journeys")  # the cache must not skip the guard
    return _titles(str(database.url), database.commits, lang(), database)


@st.cache_data(ttl=5, max_entries=16, show_spinner=False)
def _titles(url: str, commits: int, lang: str, _store: services.Store) -> dict[str, str]:
    return {
        jid: f"{title} · {enum_label('state', state, lang)}"
        for jid, title, state in services.journey_titles(store=_store)
    }
