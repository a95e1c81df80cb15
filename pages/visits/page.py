"""Visits: what mystery shoppers met on the selected journey, their list, agency CSV import."""

from __future__ import annotations

import streamlit as st

from journeys.visits import services as vs
from pages.common.shared import select_journey, selected_journey, show_flash, store, tr
from pages.common.text import plain
from pages.visits import importing as csv_import
from pages.visits import report as panels

st.title(tr("visits.title"), anchor=False)
jid = selected_journey()
if not jid:
    st.info(tr("visits.pick_first"))
    st.page_link("pages/library/page.py", label=tr("nav.library"), icon=":material/folder_open:")
    st.stop()
try:
    journey, report = vs.visits_report(jid, store=store())
except vs.NotFoundError:
    select_journey(None)
    st.rerun()
st.caption(plain(journey.title))
show_flash()
st.page_link("pages/road/page.py", label=tr("visits.open_road"), icon=":material/smartphone:")
said, listed, imported = st.tabs(
    [tr("visits.tab_report"), tr("visits.tab_list"), tr("visits.tab_import")]
)
with said:
    panels.report_tab(journey, report)
with listed:
    panels.list_tab(journey)
with imported:
    csv_import.import_tab(journey)
