"""A pre-churn signal made a trigger step in one click: per signal, one of the programs of the
journeys reading the base, and a button that adds the step (anchored on the event, its lift
and volume as the step's KPI note); what was added, or why not, said in one line."""

from __future__ import annotations

import streamlit as st

from journeys.contract.model import Objective
from journeys.data import attrition
from journeys.data import services as ds
from journeys.errors import NotFoundError, StaleVersionError, StoreError
from pages.common.shared import journey_titles, read, select_journey, store, tr
from pages.common.text import plain
from pages.data.views import number

PREFIX = "data_signal_"
DONE = PREFIX + "done"  # (base, kind, message, program id, journey id) of the last click
PROGRAMS_PAGE = "pages/programs/page.py"
PROGRAM_SELECTED = "programs_selected"  # the program the programs page opens on


def trigger_rows(info: ds.BaseInfo, found: list[attrition.Signal], *, may_edit: bool) -> None:
    """Per signal: the program to add its trigger to, and the button that adds it."""
    st.subheader(tr("data.trigger.title"), anchor=False)
    st.caption(tr("data.trigger.intro"))
    said(info.name)
    if not may_edit:
        st.caption(tr("auth.read_only"))
        return
    try:
        programs = read(ds.signal_programs, info.name)
    except StoreError as exc:
        st.error(plain(exc))
        return
    if not programs:
        _none(info)
        return
    titles = journey_titles()
    several = len({p.journey for p in programs}) > 1
    names = {
        p.id: p.title
        + (f" · {titles.get(p.journey, p.journey).split(' · ')[0]}" if several else "")
        for p in programs
        if p.journey
    }
    ids = list(names)
    journeys = {p.id: p.journey for p in programs}
    first = next((p.id for p in programs if p.objective is Objective.LIFETIME), ids[0])
    for signal in found:
        key = PREFIX + "program_" + signal.event
        if st.session_state.get(key) not in ids:
            st.session_state[key] = first
        with st.container(horizontal=True, vertical_alignment="bottom", gap="small"):
            label = tr(
                "data.trigger.row",
                event=signal.event,
                lift=number(signal.lift, 1),
                left=number(signal.left),
                subscribers=number(signal.subscribers),
            )
            program_id = st.selectbox(
                plain(label), ids, format_func=names.__getitem__, key=key, width=520
            )
            st.button(
                tr("data.trigger.add"),
                key=PREFIX + "add_" + signal.event,
                icon=":material/bolt:",
                on_click=_add,
                args=(
                    program_id,
                    names[program_id],
                    journeys[program_id],
                    info.name,
                    signal.event,
                    signal.window,
                ),
            )


def _none(info: ds.BaseInfo) -> None:
    """No program to add to: why, and the way to the programs page."""
    try:
        reading = read(ds.base_journeys, info.name)
    except StoreError:
        reading = []
    if reading:
        titles = journey_titles()
        names = [titles.get(j, j).split(" · ")[0] for j in reading]
        journeys = ", ".join(tr("data.trigger.quoted", text=name) for name in names)
        st.info(plain(tr("data.trigger.no_program", journeys=journeys)))
    else:
        st.info(tr("data.trigger.no_journey"))
    st.page_link(
        PROGRAMS_PAGE, label=tr("data.trigger.to_programs"), icon=":material/account_tree:"
    )


def said(base: str) -> None:
    """What the last click on this base's signals did: the step added (and a way to see it in
    its program), or why not. Kept until the next click, so the way stays there."""
    done = st.session_state.get(DONE)
    if done is None or done[0] != base:
        return
    _, kind, message, program_id, journey_id = done
    if kind == "error":
        st.error(plain(message), icon=":material/block:")
        return
    with st.container(horizontal=True, vertical_alignment="center", gap="small"):
        st.success(plain(message), icon=":material/check_circle:", width="stretch")
        if st.button(tr("data.trigger.open"), key=PREFIX + "open", icon=":material/open_in_new:"):
            st.session_state.pop(DONE, None)
            st.session_state[PROGRAM_SELECTED] = program_id
            select_journey(journey_id)
            st.switch_page(PROGRAMS_PAGE)


def _add(
    program_id: str, title: str, journey: str | None, base: str, event: str, window: int
) -> None:
    try:
        added = ds.add_signal_trigger(program_id, base, event, window, store=store())
    except NotFoundError as exc:
        what = {"program": "gone_program", "signal": "gone_signal"}.get(exc.what, "gone_base")
        _keep(base, tr(f"data.trigger.{what}", program=title, event=event, base=base))
        return
    except StaleVersionError:
        _keep(base, tr("data.trigger.stale", program=title))
        return
    except ValueError:
        _keep(base, tr("data.trigger.no_phase", program=title))
        return
    except StoreError as exc:
        _keep(base, str(exc).splitlines()[0])
        return
    message = tr("data.trigger.added", step=event, program=title, id=added.step_id)
    st.session_state[DONE] = (base, "success", message, program_id, journey)


def _keep(base: str, message: str) -> None:
    st.session_state[DONE] = (base, "error", message, None, None)
