"""A switch that changes what the browser already shows at once, then tells the server.

A Streamlit toggle redraws through a rerun: the click goes to the server, the page runs, and the
browser swaps the new HTML in (for the board, a 20–700 kB table parsed again). This switch
first toggles a class on the elements it names, so the reader sees the change in the next
frame; the rerun that follows draws the same thing, and the rest of the page (sidebar, editing
chrome) follows it. The value lives in `st.session_state[state_key]`, a plain session key that
the page (and app.py) read like any other.
"""

from __future__ import annotations

from functools import partial
from typing import Any

import streamlit as st

_HTML = (
    '<label class="jw-switch"><input type="checkbox" role="switch">'
    '<span class="jw-switch-track" aria-hidden="true"></span>'
    '<span class="jw-switch-text"></span></label>'
)

# Shaped like Streamlit's own toggle, in the theme's colours (CCv2 passes them as --st-*).
_CSS = """
.jw-switch{display:inline-flex;align-items:center;gap:.6rem;min-height:2.5rem;cursor:pointer;
 font-family:var(--st-font,"Source Sans","Source Sans Pro",sans-serif);font-size:1rem;
 color:var(--st-text-color,#15191e);user-select:none;-webkit-tap-highlight-color:transparent}
.jw-switch:not(.jw-ready){visibility:hidden}
.jw-switch input{position:absolute;opacity:0;width:1px;height:1px;margin:0}
.jw-switch-track{position:relative;flex:none;width:2rem;height:1rem;border-radius:1rem;
 background:#b9bec6;transition:background .12s}
.jw-switch-track::after{content:"";position:absolute;top:-.125rem;left:-.125rem;width:1.25rem;
 height:1.25rem;border-radius:50%;background:#fff;border:1px solid #9aa3ad;
 box-shadow:0 1px 2px rgba(0,0,0,.25);transition:transform .12s}
.jw-switch input:checked+.jw-switch-track{background:var(--st-primary-color,#0b5c96)}
.jw-switch input:checked+.jw-switch-track::after{transform:translateX(1rem);
 border-color:var(--st-primary-color,#0b5c96)}
.jw-switch input:focus-visible+.jw-switch-track{outline:2px solid
 var(--st-primary-color,#0b5c96);outline-offset:3px}
"""

# `data`: label, help, checked, and the class to toggle on the elements `target` selects (on
# when checked, or off when checked if `invert`). The new value goes as a one-shot trigger, so
# that a value the server changed meanwhile never hides a click.
_JS = """
export default function ({ data, parentElement, setTriggerValue }) {
  const label = parentElement.querySelector(".jw-switch");
  const input = label.querySelector("input");
  label.querySelector(".jw-switch-text").textContent = data.label;
  label.title = data.help || "";
  input.checked = data.checked;
  const show = (on) => {
    document.querySelectorAll(data.target).forEach((element) => {
      element.classList.toggle(data.cls, data.invert ? !on : on);
    });
  };
  input.onchange = () => {
    show(input.checked);
    setTriggerValue("toggled", input.checked);
  };
  label.classList.add("jw-ready");  // hidden until here: never a wrong or dead switch
}
"""

_component = st.components.v2.component(
    "journey_workshop.switch", html=_HTML, css=_CSS, js=_JS, isolate_styles=False
)


def _store_click(key: str, state_key: str) -> None:
    value = getattr(st.session_state[key], "toggled", None)
    if isinstance(value, bool):
        st.session_state[state_key] = value


def instant_switch(
    label: str,
    *,
    key: str,
    state_key: str,
    target: str,
    css_class: str,
    invert: bool = False,
    help: str | None = None,
    default: bool = False,
) -> bool:
    """Draw the switch and return its value (kept in `st.session_state[state_key]`).

    On a click, the browser toggles `css_class` on every element `target` (a CSS selector)
    matches, and the page reruns with the new value; the server must draw those elements
    with that class when the value says so (`invert`: when it does not)."""
    checked = bool(st.session_state.setdefault(state_key, default))
    data: dict[str, Any] = {
        "label": label,
        "help": help or "",
        "checked": checked,
        "target": target,
        "cls": css_class,
        "invert": invert,
    }
    _component(
        key=key,
        data=data,
        width="content",
        on_toggled_change=partial(_store_click, key, state_key),
    )
    return checked
