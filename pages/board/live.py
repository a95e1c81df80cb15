"""Every screen in step: the board's watcher reads, twice a second, one small signature of its
journey (its revision, its notes) and reruns the page when someone else changed it: another tab,
the projector, a colleague's laptop, another app process on the same workspace. The store is the
only channel between screens. On the projector, the watcher also shows participants' new notes
as a counter with a tray; projector mode and the minimised join code stay in the URL."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from journeys import services
from journeys.contract.model import Journey
from journeys.roles import Permission
from journeys.workshop import participants as p
from journeys.workshop.live import Change, Drawn, what_changed
from pages.board import inbox
from pages.common import guard
from pages.common.shared import forget_shared_reads, store, tr

TICK = 0.5  # seconds between two reads of the signature (one query: 0.6 ms)
DRAWN = "live_drawn"  # what this screen shows (journeys.workshop.live.Drawn)
FULL_RUN = "live_full_run"  # set by the page's run, taken by the watcher's pass in that run
SEEN = "live_seen"  # (journey, the last signature read): kept while the store is away
TRAY = "live_notes"  # the notes' tray (a popover: open or closed)
TRAY_NOTES = "live_tray_notes"  # (notes' part of the signature, the new notes it read)
CODE = "live_code"  # the join code the page's run read, for the badge
SCROLL_KEPT = "live_scroll_kept"  # the journey whose board's scroll the browser keeps
# URL parameters (app.py reads `mode` when a session starts, and keeps both on the board's URL)
MODE, PROJECTOR_MODE = "mode", "projector"
JOIN, MINIMISED = "join", "min"
SCROLLED = ".jb-scroll"  # the board's own scroll box (the HTML board)

# A rerun for a new revision draws the board's HTML anew, in a new scroll box: the browser
# keeps where the reader had scrolled it and scrolls the new one there (for the same journey).
# `data`: the scroll boxes' selector, and the journey (another one starts at the top). Its
# listeners live on the document: the component need not be drawn again on the next runs.
_KEEP_SCROLL_JS = """
export default function ({ data }) {
  const kept = window.__jwKeptScroll;
  if (kept) {
    Object.assign(kept, {selector: data.selector, key: data.key});
    return;
  }
  const state = (window.__jwKeptScroll = {selector: data.selector, key: data.key, box: null});
  const keep = (box) => {
    Object.assign(state, {box, top: box.scrollTop, left: box.scrollLeft, of: state.key});
  };
  const shown = document.querySelector(state.selector);
  if (shown !== null) keep(shown);  // scrolled before this script came
  document.addEventListener("scroll", (event) => {
    if (event.target instanceof Element && event.target.matches(state.selector)) {
      keep(event.target);
    }
  }, true);
  new MutationObserver(() => {
    if (state.box === null || state.box.isConnected) return;
    const box = document.querySelector(state.selector);
    if (box === null) return;
    if (state.of === state.key) {
      box.scrollTop = state.top;
      box.scrollLeft = state.left;
    }
    state.box = box;
  }).observe(document.body, {childList: true, subtree: true});
}
"""
_keep_scroll = st.components.v2.component(
    "journey_workshop.keep_scroll",
    html="<span></span>",
    css=".st-key-live_keep_scroll{display:none}",
    js=_KEEP_SCROLL_JS,
    isolate_styles=False,
)


def watch(editable: Any, *, projector: bool, workshop: int | None = None) -> None:
    """Watch the journey the page has just drawn (`editable`: its EditableJourney; `workshop`:
    the revision of the workshop state it drew, if it drew one); on the projector, draw the
    notes' counter and the join code's corner in a bar above the board.

    Call it once per page run, after the page has read the journey."""
    journey: Journey = editable.journey
    _keep_in_url(projector)
    st.session_state[DRAWN] = Drawn(editable.revision, workshop=workshop)
    st.session_state[FULL_RUN] = True
    if st.session_state.get(SCROLL_KEPT) != journey.id:
        # once per journey and session: its listeners stay on the document after (0.4 ms a run)
        st.session_state[SCROLL_KEPT] = journey.id
        _keep_scroll(key="live_keep_scroll", data={"selector": SCROLLED, "key": journey.id})
    bar = projector and store().actor.may(Permission.EDIT)
    if bar:
        st.session_state[CODE] = inbox.join_code(journey)
    _watcher(journey, bar)


def _keep_in_url(projector: bool) -> None:
    """Projector mode and a minimised join code go in the URL: a reload, or the same link on a
    second screen, shows the board the same way."""
    if inbox.SHOW_CODE not in st.session_state:
        st.session_state[inbox.SHOW_CODE] = guard.query_param(JOIN) != MINIMISED
    wanted = {
        MODE: PROJECTOR_MODE if projector else None,
        JOIN: None if st.session_state[inbox.SHOW_CODE] else MINIMISED,
    }
    for name, value in wanted.items():
        if st.query_params.get(name) == value:
            continue
        if value is None:
            del st.query_params[name]
        else:
            st.query_params[name] = value


@st.fragment(run_every=TICK)
def _watcher(journey: Journey, bar: bool) -> None:
    """One tick: read the signature (one small query); rerun the whole page for an edit made
    elsewhere, never for the revision this page drew itself, or for a change of the inbox it
    drew (under the board: see inbox.moved, read once a second); otherwise redraw only the bar
    above the board (on the projector, for those who may edit; elsewhere nothing shows)."""
    full_run = st.session_state.pop(FULL_RUN, False)
    drawn: Drawn | None = st.session_state.get(DRAWN)
    if drawn is None or (full_run and not bar):
        return  # the page has just read the journey: nothing to compare yet, nothing to show
    now = _signature(journey.id, gone=None if full_run else _redraw)
    if now is None:
        return
    if what_changed(drawn, now) is Change.BOARD and not full_run:
        _redraw()
    st.session_state[DRAWN] = drawn.seeing(now)
    if not full_run and inbox.moved(journey.id):
        _redraw()  # a new note, or a note or the code changed by another facilitator
    if bar:
        with st.container(
            horizontal=True,
            horizontal_alignment="right",
            vertical_alignment="center",
            gap="small",
            key="live_bar",
        ):
            _tray(journey, now)
            if inbox.join_corner(st.session_state.get(CODE)):
                st.rerun(scope="app")  # the code floating over the board comes or goes


def _signature(
    journey_id: str, *, gone: Callable[[], None] | None
) -> services.BoardSignature | None:
    """The journey's signature now; while the store is away for a moment, the last one read
    (None: none yet). A journey deleted meanwhile: `gone` is called (the page says so)."""
    try:
        now = services.board_signature(journey_id, store=store())
    except services.NotFoundError:
        if gone is not None:
            gone()
        return None
    except services.StoreError:  # the next tick tries again
        kept = st.session_state.get(SEEN)
        return kept[1] if kept is not None and kept[0] == journey_id else None
    st.session_state[SEEN] = (journey_id, now)
    return now


def _redraw() -> None:
    """Rerun the page; its shared reads may be older than the signature just read (a write
    from another process is not counted by this one's store)."""
    forget_shared_reads()
    st.rerun(scope="app")


def _tray(journey: Journey, now: services.BoardSignature) -> None:
    """The new notes' counter, which opens a tray to read them (one element while closed)."""
    count = now.new_notes
    label = (
        tr("live.notes_none")
        if count == 0
        else tr("inbox.new_one")
        if count == 1
        else tr("inbox.new_many", count=count)
    )
    tray = st.popover(
        label,
        icon=":material/forum:",
        type="primary" if count else "secondary",
        help=tr("live.notes_help"),
        key=TRAY,
        on_change="rerun",
    )
    if not tray.open:
        return
    with tray:
        notes = _new_notes(journey.id, now)
        if notes:
            st.html(inbox.notes_html(journey, notes))
        else:
            st.caption(tr("inbox.none"))
        st.caption(tr("live.notes_where"))


def _new_notes(journey_id: str, now: services.BoardSignature) -> list[p.ParticipantNote]:
    """The new notes, read again only when the signature says they changed."""
    kept = st.session_state.get(TRAY_NOTES)
    if kept is not None and kept[0] == now.notes:
        return kept[1]
    try:
        notes = p.inbox(journey_id, store=store()).new
    except services.StoreError:
        return kept[1] if kept is not None else []
    st.session_state[TRAY_NOTES] = (now.notes, notes)
    return notes
