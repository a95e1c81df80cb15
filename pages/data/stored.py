"""The bases the workspace keeps (aggregates and mapping only): their list, and deleting one."""

from __future__ import annotations

import streamlit as st

from journeys.data import services as ds
from journeys.errors import StoreError
from journeys.i18n import format_datetime
from pages.common.shared import flash, lang, store, tr
from pages.common.text import plain
from pages.data import views
from pages.data.views import day, number

PREFIX = "data_bases_"


def bases_table(bases: list[ds.BaseInfo]) -> None:
    rows = []
    for info in bases:
        summary = views.base_view(info).aggregates.summary
        rows.append(
            {
                tr("data.bases.name"): info.name,
                tr("data.bases.source"): info.source,
                tr("data.bases.rows"): number(summary.rows),
                tr("data.bases.active"): number(summary.active),
                tr("data.bases.period"): f"{day(summary.first_start)} → {day(summary.last_date)}",
                tr("data.bases.imported"): format_datetime(info.updated_at, lang(), numeric=True),
            }
        )
    st.dataframe(rows, hide_index=True, width="stretch")
    st.caption(tr("data.bases.kept"))


def delete_form(bases: list[ds.BaseInfo]) -> None:
    with st.expander(tr("data.bases.delete_title"), icon=":material/delete:"):
        names = [b.name for b in bases]
        name = st.selectbox(tr("data.bases.delete_which"), names, key=PREFIX + "delete_name")
        sure = st.checkbox(
            plain(tr("data.bases.delete_sure", name=name or "")), key=PREFIX + "delete_sure"
        )
        st.button(
            tr("data.bases.delete"),
            disabled=not (name and sure),
            key=PREFIX + "delete",
            on_click=_delete,
            args=(name,),
        )


def _delete(name: str) -> None:
    try:
        ds.delete_base(name, store=store())
    except StoreError as exc:
        flash("error", str(exc))
        return
    st.session_state.pop(PREFIX + "delete_sure", None)
    flash("success", tr("data.bases.deleted", name=name))
