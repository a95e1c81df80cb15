"""Board: the journey as moments of life × channels, its emotion curve, and the workshop's edits."""

from __future__ import annotations

import streamlit as st

from journeys import services
from journeys.data import services as data_services
from pages.board import canvas, edit, live, panels, voting
from pages.board.inbox import inbox_panel
from pages.common.shared import (
    PROJECTOR,
    label,
    read,
    select_journey,
    selected_journey,
    show_flash,
    store,
    tr,
)
from pages.common.switch import instant_switch
from pages.common.text import plain

jid = selected_journey()
if not jid:
    st.title(tr("nav.board"))
    st.info(tr("board.pick_first"))
    st.page_link("pages/library/page.py", label=tr("nav.library"), icon=":material/folder_open:")
    st.stop()
database = store()
try:
    editable = read(services.get_journey_for_edit, jid)
except services.NotFoundError:
    select_journey(None)
    st.rerun()
journey = editable.journey
# What the board's caches are keyed by: this revision of this journey in this database (row
# ids and revision numbers repeat from one database to another).
revision_key = (str(database.url), jid, editable.revision)
canvas.restore_view()  # zoom, lanes, presentation from the URL, once per session
projector = st.session_state.get(PROJECTOR, False)
# The subscriber base the board reads, if any: one small query, shared between runs as the
# journey is; its version keys the drawings, so a base imported again redraws them.
base = read(data_services.journey_base_state, jid)

head, switches = st.columns([3, 2], vertical_alignment="bottom")
with head:
    if projector:
        st.subheader(plain(journey.title), anchor=False)
    else:
        st.title(plain(journey.title), anchor=False)
        st.caption(
            f"{label('journey_type', journey.journey_type)} · {label('state', journey.state)}"
            + (f" · {plain(journey.persona)}" if journey.persona else "")
        )
# Both switches on the title's line: the board below gets the height (1280×720 on a projector).
with switches, st.container(horizontal=True, horizontal_alignment="right", gap="medium"):
    instant_switch(
        tr("board.projector"),
        key="board_projector_switch",
        state_key=PROJECTOR,
        target=".jb-board",
        css_class="jb-projector",
        help=tr("board.projector_help"),
    )
    show_findings = panels.findings_switch()
# Every screen in step: an edit made elsewhere redraws this page within a second or two.
# The workshop's shared state (who presents, follow-me, timer, dots) moves without the journey:
# shared between runs as the journey is (the watcher reruns the page when its revision moves).
workshop_state = read(services.workshop_state, jid)
workshop = workshop_state.revision
live.watch(editable, projector=projector, workshop=workshop)

# One container whether or not a message shows: the board after it keeps its place, so the
# canvas keeps its zoom, selection and scroll from run to run.
with st.container():
    if not projector:
        show_flash()
        panels.stale_panel(editable)
        panels.confirm_panel(editable)

panels.board(
    editable,
    revision_key,
    projector=projector,
    show_findings=show_findings,
    base=base,
    tally=panels.tally(jid, revision_key, workshop),
)
inbox_panel(journey, projector=projector)
voting.vote_panel(jid)  # open, close, clear the dot vote; the facilitator's own dots

if journey.moments:
    panels.emotion_chart(editable, revision_key)

if not projector:
    edit.editing_tabs(editable)
    panels.analysis_expander(editable, revision_key, base=base)
    edit.open_dialog_if_any(editable)
