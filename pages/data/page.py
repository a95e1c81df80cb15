"""Subscriber data: the workspace's bases, an extract imported after mapping its columns, what
its attrition says (KPIs, survival, hazard, segments, cohorts, signals, fragile moments) and its
fragile moments mapped to a journey's moments. Only aggregates are kept, never a row."""

from __future__ import annotations

import streamlit as st

from journeys.data import services as ds
from journeys.errors import StoreError
from journeys.roles import Permission
from pages.common.shared import lang, read, show_flash, store, tr
from pages.common.text import plain
from pages.data import analysis, importer, stored

st.title(tr("data.title"), anchor=False)
st.caption(tr("data.intro"))
show_flash()
may_edit = store().actor.may(Permission.EDIT)
try:
    bases = read(ds.list_bases)
except StoreError as exc:
    st.error(plain(exc))
    st.stop()

SECTIONS = ("analysis", "import", "bases")
# The open tab is kept by its label, which changes with the language: one key per language.
section_key = f"data_section_{lang()}"
wanted = st.session_state.pop(importer.TAB, None)
if wanted is None and not bases and section_key not in st.session_state:
    wanted = "import"  # nothing to analyse yet
if wanted in SECTIONS:
    st.session_state[section_key] = tr(f"data.section.{wanted}")
tabs = st.tabs(
    [tr(f"data.section.{name}") for name in SECTIONS], key=section_key, on_change="rerun"
)
shown = dict(zip(SECTIONS, tabs, strict=True))

if shown["analysis"].open:
    with shown["analysis"]:
        if not bases:
            st.info(tr("data.no_base"))
        else:
            names = [b.name for b in bases]
            if st.session_state.get(importer.SELECTED) not in names:
                st.session_state[importer.SELECTED] = names[0]
            name = st.selectbox(tr("data.base"), names, key=importer.SELECTED, width=480)
            info = next(b for b in bases if b.name == name)
            st.caption(plain(tr("data.base_source", source=info.source)))
            analysis.kpis_row(info)
            analysis.views_tabs(info, may_edit=may_edit)

if shown["import"].open:
    with shown["import"]:
        if may_edit:
            importer.import_panel(bases)
        else:
            st.info(tr("data.import.needs_edit"))

if shown["bases"].open:
    with shown["bases"]:
        if not bases:
            st.info(tr("data.no_base"))
        else:
            stored.bases_table(bases)
            if may_edit:
                stored.delete_form(bases)
