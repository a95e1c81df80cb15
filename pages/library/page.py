"""Library: the workspace's journeys with their counts; filters; pick one to work on."""

from __future__ import annotations

import streamlit as st

from journeys import services
from journeys.board.html import SYMBOLS
from journeys.contract.model import FindingType, JourneyState, JourneyType
from journeys.i18n import table_datetime_format
from pages.common.shared import (
    label,
    lang,
    select_journey,
    selected_journey,
    show_flash,
    store,
    tr,
)
from pages.library import panels

st.title(tr("library.title"))
show_flash()

left, right = st.columns(2)
types = left.multiselect(
    tr("library.filter_type"),
    list(JourneyType),
    format_func=lambda v: label("journey_type", v),
    key="library_filter_types",
    placeholder=tr("library.filter_all"),
)
states = right.multiselect(
    tr("library.filter_state"),
    list(JourneyState),
    format_func=lambda v: label("state", v),
    key="library_filter_states",
    placeholder=tr("library.filter_all"),
)

summaries = [
    s
    for s in services.list_journeys(store=store())
    if (not types or s.journey_type in types) and (not states or s.state in states)
]

if not summaries:
    st.info(tr("library.empty"))
else:
    rows = [
        {
            "title": ("▶ " if s.id == selected_journey() else "") + s.title,
            "id": s.id,
            "type": label("journey_type", s.journey_type),
            "state": label("state", s.state),
            "touchpoints": s.touchpoints,
            "delights": s.delights,
            "irritants": s.irritants,
            "breaks": s.breaks,
            "updated": s.updated_at.astimezone(),
        }
        for s in summaries
    ]
    column = st.column_config
    event = st.dataframe(
        rows,
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        key="library_table",
        column_config={
            "title": column.TextColumn(tr("library.col_title"), width="medium"),
            "id": column.TextColumn(tr("library.col_id")),
            "type": column.TextColumn(tr("library.col_type")),
            "state": column.TextColumn(tr("library.col_state")),
            "touchpoints": column.NumberColumn(tr("term.touchpoints")),
            "delights": column.NumberColumn(
                f"{SYMBOLS[FindingType.DELIGHT]} " + tr("library.col_delights")
            ),
            "irritants": column.NumberColumn(
                f"{SYMBOLS[FindingType.IRRITANT]} " + tr("library.col_irritants")
            ),
            "breaks": column.NumberColumn(
                f"{SYMBOLS[FindingType.BREAK]} " + tr("library.col_breaks")
            ),
            "updated": column.DatetimeColumn(
                tr("library.col_updated"), format=table_datetime_format(lang())
            ),
        },
    )
    picked = event.selection.rows if event is not None and event.selection else []
    if picked and summaries[picked[0]].id != selected_journey():
        select_journey(summaries[picked[0]].id)
        st.rerun()
    st.caption(tr("library.pick_hint"))

tabs = st.tabs(
    [
        tr("library.tab_selected"),
        tr("library.tab_new"),
        tr("library.tab_import"),
        tr("library.tab_trash"),
    ]
)
with tabs[0]:
    panels.selected_panel()
with tabs[1]:
    panels.template_panel()
with tabs[2]:
    panels.import_panel()
with tabs[3]:
    panels.trash_panel()
