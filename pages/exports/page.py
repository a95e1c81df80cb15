"""Exports: a journey (PDF with its programs, CSV, YAML) or a relationship program (SVG, PNG,
PDF, DOT, YAML in the macro or detailed view), downloaded or saved to the export folder."""

from __future__ import annotations

import streamlit as st

from journeys import services
from journeys.i18n import LANGUAGES
from pages.common.shared import journey_titles, lang, selected_journey, store, tr
from pages.exports import panels

st.title(tr("exports.title"), anchor=False)
st.caption(tr("exports.intro"))

journeys = journey_titles()
programs = {p.id: p for p in services.list_programs(store=store())}
if not journeys and not programs:
    st.info(tr("exports.empty"))
    st.page_link("pages/library/page.py", label=tr("nav.library"), icon=":material/folder_open:")
    st.stop()

box = st.container(border=True)
choice, options = box.columns(2, gap="large")
with choice:
    kinds = [k for k, known in (("journey", journeys), ("program", programs)) if known]
    kind = st.segmented_control(
        tr("exports.kind"),
        kinds,
        default=kinds[0],
        required=True,
        format_func={k: tr(f"exports.kind_{k}") for k in kinds}.__getitem__,
        key="exports_kind",
    )
    kind = kind or kinds[0]
    if kind == "journey":
        ids = list(journeys)
        wanted = selected_journey()
        names = journeys
    else:
        linked = [p for p in programs if programs[p].journey == selected_journey()]
        ids = linked + [p for p in programs if p not in linked]
        wanted = ids[0]
        names = {p: panels.program_name(programs[p], journeys) for p in ids}
    doc_id = st.selectbox(
        tr(f"exports.pick_{kind}"),
        ids,
        index=ids.index(wanted) if wanted in ids else 0,
        format_func=lambda d: names.get(d, d),
        key=f"exports_doc_{kind}",
    )
with options:
    request = panels.format_options(kind)
    language = st.segmented_control(
        tr("exports.language"),
        LANGUAGES,
        default=lang(),
        required=True,
        format_func=str.upper,
        key="exports_language",
        help=tr("exports.language_help"),
    )
request = request | {"doc_id": doc_id, "kind": kind, "language": language or lang()}
panels.export_panel(request)
