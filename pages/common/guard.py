"""What strangers meet when something goes wrong: URL parameters checked before any query, and
an unexpected error shown as a translated message with a reference the server's log keeps."""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Callable

import streamlit as st

from journeys.i18n import DEFAULT_LANGUAGE, normalise_language, t
from journeys.settings import SettingsRefused

log = logging.getLogger("journeys.app")

# The longest value each URL parameter may have: a language code, a journey id (a slug), a
# draft token, a join code. Longer ones are not links the app made.
PARAM_MAX = {"lang": 8, "journey": 80, "draft": 64, "j": 80, "code": 16}
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
REFUSED = "app_refused_params"  # the names of this run's refused parameters


def query_param(name: str) -> str | None:
    """The URL's parameter `name`, or None when it is missing, empty or refused (a control
    character such as NUL, or longer than PARAM_MAX allows). A refused one is logged and
    named by `refused_params`, so that the page can say the link is not valid."""
    value = st.query_params.get(name)
    if not value:
        return None
    if len(value) <= PARAM_MAX.get(name, 200) and not _CONTROL.search(value):
        return value
    log.warning("URL parameter %r refused: %d characters or control characters", name, len(value))
    refused = st.session_state.setdefault(REFUSED, [])
    if name not in refused:
        refused.append(name)
    return None


def refused_params() -> list[str]:
    """The names of the URL parameters refused since the session started (see query_param)."""
    return list(st.session_state.get(REFUSED, []))


def error_language() -> str:
    """The language to speak in when the session may not have one yet."""
    chosen = st.session_state.get("app_lang")
    return normalise_language(chosen or query_param("lang") or DEFAULT_LANGUAGE)


def show_unexpected(error: Exception) -> str:
    """Log `error` with its traceback (a refused setting: its one line, naming the variable)
    under a new short reference, and show the visitor a message in the session's language with
    that reference (never the error's text: it may name server paths, SQL or settings). Return
    the reference."""
    reference = secrets.token_hex(4).upper()
    if isinstance(error, SettingsRefused):  # its one line says it all: no traceback
        log.error("%s (reference %s)", error, reference)
        key = "app.config_error"
    else:
        log.error("unexpected error, reference %s", reference, exc_info=error)
        key = "app.unexpected_error"
    st.error(t(key, error_language(), reference=reference), icon=":material/error:")
    return reference


def run_guarded(body: Callable[[], None]) -> None:
    """Run `body` (the app's run); an exception it lets through is logged and told, not shown
    (st.stop and st.rerun are not exceptions of this kind: they pass)."""
    try:
        body()
    except Exception as error:  # the last line of defence: everything else is handled earlier
        show_unexpected(error)
