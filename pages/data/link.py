"""A journey reads the base: each fragile window mapped to one of the journey's moments (the
board's moment headers then show what is lost there)."""

from __future__ import annotations

import streamlit as st

from journeys import services
from journeys.data import attrition
from journeys.data import services as ds
from journeys.errors import StoreError
from pages.common.shared import flash, journey_titles, read, selected_journey, store, tr
from pages.common.text import plain
from pages.data.views import number, percent, window_months

PREFIX = "data_link_"
NONE = ""


def link_panel(
    info: ds.BaseInfo, windows: list[attrition.FragileWindow], *, may_edit: bool
) -> None:
    st.subheader(tr("data.link.title"), anchor=False)
    st.caption(tr("data.link.intro"))
    titles = journey_titles()
    if not titles:
        st.info(tr("data.link.no_journey"))
        return
    key = PREFIX + "journey"
    if st.session_state.get(key) not in titles:
        chosen = selected_journey()
        st.session_state[key] = chosen if chosen in titles else next(iter(titles))
    journey_id = st.selectbox(
        tr("data.link.journey"),
        list(titles),
        format_func=titles.__getitem__,
        key=key,
        width=480,
    )
    try:
        journey = read(services.get_journey, journey_id)
        linked = ds.journey_base_link(journey_id, store=store())
    except StoreError as exc:
        st.error(plain(exc))
        return
    if linked is not None and linked[0] != info.name:
        st.caption(plain(tr("data.link.reads_other", base=linked[0])))
    current = linked[1] if linked is not None and linked[0] == info.name else {}
    moments = {m.id: m.label for m in journey.moments}
    pairs = list(moments.items())
    options = [NONE, *moments]
    none = tr("data.link.none")
    picked: dict[str, str] = {}
    # The choices start from what is saved, else from the suggestion, for each journey and base.
    scope = f"{PREFIX}{journey_id}_{info.name}_{info.version}_"
    with st.container(horizontal=True, gap="small"):
        for window in windows:
            wkey = scope + window.key
            if wkey not in st.session_state or st.session_state[wkey] not in options:
                start = current.get(window.key) or attrition.suggest_moment(window, pairs)
                st.session_state[wkey] = start if start in moments else NONE
            label = tr(
                "data.link.window",
                months=window_months(window),
                lost=number(window.lost_per_year),
                share=percent(window.share, 0),
            )
            moment = st.selectbox(
                label,
                options,
                format_func=lambda m: moments.get(m) or none,
                key=wkey,
                disabled=not may_edit,
                width=300,
            )
            if moment:
                picked[window.key] = moment
    if not may_edit:
        st.caption(tr("auth.read_only"))
        return
    with st.container(horizontal=True, gap="small"):
        st.button(
            tr("data.link.save"),
            type="primary",
            key=PREFIX + "save",
            icon=":material/link:",
            on_click=_save,
            args=(journey_id, info.name, picked, journey.title),
        )
        if linked is not None:
            st.button(
                tr("data.link.unlink"),
                key=PREFIX + "unlink",
                icon=":material/link_off:",
                on_click=_unlink,
                args=(journey_id, journey.title),
            )
    if linked is not None and linked[0] == info.name:
        st.caption(plain(tr("data.link.linked", count=len(current))))


def _save(journey_id: str, base: str, picked: dict[str, str], title: str) -> None:
    try:
        ds.link_journey_base(journey_id, base, picked, store=store())
    except StoreError as exc:
        flash("error", str(exc))
        return
    flash("success", tr("data.link.saved", journey=title, count=len(picked)))


def _unlink(journey_id: str, title: str) -> None:
    try:
        ds.link_journey_base(journey_id, None, {}, store=store())
    except StoreError as exc:
        flash("error", str(exc))
        return
    flash("success", tr("data.link.unlinked", journey=title))
