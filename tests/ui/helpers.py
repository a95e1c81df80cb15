"""What the UI tests do to the app through AppTest: start it, run it, open a page, read it."""

from __future__ import annotations

import html
import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")
# Every element that shows text; the HTML blocks are read unescaped.
_TEXT_KINDS = (
    "title",
    "subheader",
    "caption",
    "success",
    "error",
    "warning",
    "info",
    "markdown",
    "code",
    "text",
)


def new_app() -> AppTest:
    """The app, not run yet: set its query parameters first, as a link would."""
    return AppTest.from_file(APP, default_timeout=60)


def run(target) -> AppTest:
    """Run the app (or the app of a widget just set or clicked) and check nothing raised."""
    at = target.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def start() -> AppTest:
    """The app on its home page, after its first run."""
    return run(new_app())


def open_page(page: str, *, lang: str = "fr", journey: str | None = None, **params: str) -> AppTest:
    """Open `page` in `lang` with `journey` picked in the sidebar; `params` go in the URL."""
    at = new_app()
    at.query_params.update({"lang": lang, **params})
    run(at)
    at.session_state["app_journey"] = journey
    at.switch_page(page)
    return run(at)


_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def as_shown(markdown: str) -> str:
    """User text written for Markdown by pages.common.text.plain, as the browser shows it."""
    return _ESCAPE.sub(r"\1", markdown).replace("\u2060", "").replace("  \n", "\n")


def texts(at: AppTest) -> str:
    """All the text on the page, one element a line, as the browser shows it."""
    shown = [
        str(e.value) if kind in ("code", "text") else as_shown(str(e.value))
        for kind in _TEXT_KINDS
        for e in getattr(at, kind)
    ]
    return "\n".join(shown + [html.unescape(h.value) for h in at.get("html")])


def button(at: AppTest, label: str):
    """The first button labelled `label`."""
    found = [b for b in at.button if b.label == label]
    assert found, f"no button {label!r} in {[b.label for b in at.button]}"
    return found[0]


def click(at: AppTest, key: str) -> AppTest:
    """Click the button of `key` and run the app."""
    return run(at.button(key=key).click())
