"""Relationship programs: list them, create one from a template or blank, edit its phases
(macro view), steps and links (detailed view), see what is wrong and the diagrams."""

from __future__ import annotations

import streamlit as st

from pages.common.shared import journey_titles, show_flash, tr
from pages.programs import panels
from pages.programs.edit import SELECTED, edit_panel

st.title(tr("programs.title"), anchor=False)
st.caption(tr("programs.intro"))
show_flash()
titles = journey_titles()
summaries = panels.program_list(titles)
panels.create_panel(titles, expanded=not summaries)
panels.trash_panel()
if summaries and st.session_state.get(SELECTED):
    st.divider()
    edit_panel(st.session_state[SELECTED])
