"""The board's editing tabs: touchpoints, moments, channels and flows; opens the dialog."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from journeys.contract.editing import journey_ids
from journeys.contract.model import Journey
from pages.board import actions as act
from pages.board.dialog import add_touchpoint_dialog, touchpoint_dialog
from pages.board.panels import touchpoint_name
from pages.common.shared import tr

TAB = "board_edit_tab"  # the label of the open editing tab


def editing_tabs(editable: Any) -> None:
    """Four tabs; only the open one runs (the others would redraw hundreds of options for
    nothing on every rerun of the board)."""
    panels: list[tuple[str, Callable[[], None]]] = [
        ("term.touchpoints", lambda: _touchpoints_tab(editable)),
        ("term.moments", lambda: _structure_tab(editable, "moment")),
        ("term.channels", lambda: _structure_tab(editable, "channel")),
        ("term.flows", lambda: _flows_tab(editable)),
    ]
    tabs = st.tabs([tr(title) for title, _ in panels], key=TAB, on_change="rerun")
    for tab, (_, draw) in zip(tabs, panels, strict=True):
        if tab.open:
            with tab:
                draw()


def _structure_tab(editable: Any, kind: str) -> None:
    """Add a moment (or channel) on the left; edit, move or delete one on the right."""
    journey: Journey = editable.journey
    items = journey.moments if kind == "moment" else journey.channels
    add_side, edit_side = st.columns(2, gap="large")
    with add_side:
        _add_structure_form(journey, kind, items)
    if items:
        with edit_side:
            versions = editable.moment_versions if kind == "moment" else editable.channel_versions
            _edit_structure(journey, kind, items, versions)


def _add_structure_form(journey: Journey, kind: str, items: list[Any]) -> None:
    add = f"board_add_{kind}"
    with st.form(add, clear_on_submit=True, border=True):
        st.markdown(f"**{tr(f'board.add_{kind}')}**")
        st.text_input(tr("field.label"), key=f"{add}_label")
        cols = st.columns([2, 1] if kind == "moment" else [1], vertical_alignment="bottom")
        cols[0].selectbox(
            tr("board.position"),
            range(len(items) + 1),
            index=len(items),
            key=f"{add}_pos",
            format_func=lambda i: (
                tr("board.at_end") if i == len(items) else tr("board.before", label=items[i].label)
            ),
        )
        if kind == "moment":
            cols[1].checkbox(tr("field.key"), key=f"{add}_key")
        st.form_submit_button(
            tr("board.add"),
            on_click=act.add_structure,
            key=f"{add}_submit",
            args=(kind, journey.id, journey_ids(journey), add),
            type="primary",
        )


def _edit_structure(journey: Journey, kind: str, items: list[Any], versions: dict) -> None:
    jid = journey.id
    index = st.selectbox(
        tr(f"board.pick_{kind}"),
        range(len(items)),
        key=f"board_pick_{kind}",
        format_func=lambda i: f"{i + 1}. {items[i].label}",
    )
    item = items[min(index or 0, len(items) - 1)]
    version = versions[item.id]
    prefix = f"board_{kind}_{item.id}_{version}"
    with st.form(prefix, border=True):
        st.text_input(tr("field.label"), value=item.label, key=f"{prefix}_label")
        if kind == "moment":
            st.checkbox(tr("field.key"), value=item.key, key=f"{prefix}_key")
        st.text_area(
            tr("field.description"), value=item.description or "", key=f"{prefix}_desc", height=68
        )
        if kind == "moment":  # the KPI the board's KPI lane shows (typed there too)
            st.text_input(
                tr("field.kpi"), value=item.kpi or "", key=f"{prefix}_kpi", max_chars=5000
            )
        st.form_submit_button(
            tr("board.save"),
            on_click=act.update_structure,
            key=f"{prefix}_submit",
            args=(kind, jid, item.id, version, item, prefix),
        )
    count = sum(1 for tp in journey.touchpoints if getattr(tp, kind) == item.id)
    pos = items.index(item)
    back, forth, remove = st.columns(3)
    back.button(
        tr(f"board.move_back_{kind}"),
        disabled=pos == 0,
        key=f"board_back_{kind}",
        on_click=act.move,
        args=(kind, jid, item.id, version, pos, pos - 1, item.label),
        width="stretch",
    )
    forth.button(
        tr(f"board.move_on_{kind}"),
        disabled=pos == len(items) - 1,
        key=f"board_on_{kind}",
        on_click=act.move,
        args=(kind, jid, item.id, version, pos, pos + 1, item.label),
        width="stretch",
    )
    remove.button(
        tr("board.delete"),
        key=f"board_del_{kind}",
        icon=":material/delete:",
        on_click=act.ask_delete,
        args=(kind, jid, item.id, version, item.label, count),
        width="stretch",
    )


PICKER = "board_tp_picker"  # the popover that holds the touchpoint picker, open or closed


def _touchpoints_tab(editable: Any) -> None:
    """Pick a touchpoint to edit it, or add one; both open a dialog (nothing of the forms is
    drawn, on every rerun of the board, until asked for; nor the picker, a widget of hundreds
    of options, until its popover opens)."""
    journey: Journey = editable.journey
    if not journey.moments or not journey.channels:
        st.info(tr("board.need_structure"))
        return
    names = touchpoint_name(journey)
    # One row that wraps on a phone (a horizontal container: one block, where columns were four).
    row = st.container(horizontal=True, vertical_alignment="bottom")
    if names:
        picker = row.popover(
            tr("board.edit_touchpoint"),
            icon=":material/edit:",
            key=PICKER,
            on_change="rerun",
        )
        if picker.open:
            with picker:
                chosen = st.selectbox(
                    tr("board.pick_touchpoint"),
                    list(names),
                    key="board_pick_tp",
                    format_func=names.__getitem__,
                    width=420,
                )
                st.button(
                    tr("board.edit_open"),
                    key="board_edit_tp",
                    icon=":material/edit:",
                    on_click=act.open_dialog,
                    args=(chosen,),
                    type="primary",
                )
    row.button(
        tr("board.add_touchpoint_short"),
        key="board_add_tp_open",
        icon=":material/add:",
        on_click=act.open_adding,
        type="primary",
    )


def _flows_tab(editable: Any) -> None:
    journey: Journey = editable.journey
    names = touchpoint_name(journey)
    if len(names) < 2:
        st.info(tr("board.need_touchpoints"))
        return
    flows = journey.flows
    if flows:
        st.dataframe(
            {  # columns, not rows: 400 flows convert to a table in one go
                tr("field.from"): [names[f.from_] for f in flows],
                tr("field.to"): [names[f.to] for f in flows],
                tr("finding.break"): ["✖" if f.break_ else "" for f in flows],
                tr("field.label"): [f.label or "" for f in flows],
            },
            hide_index=True,
            width="stretch",
        )
        shown = [f"{names[f.from_]} → {names[f.to]}" for f in flows]
        index = st.selectbox(
            tr("board.pick_flow"),
            range(len(flows)),
            key="board_pick_flow",
            format_func=shown.__getitem__,
        )
        flow = flows[min(index or 0, len(flows) - 1)]
        left, right = st.columns(2)
        left.button(
            tr("board.flow_unbreak") if flow.break_ else tr("board.flow_break"),
            key="board_flow_toggle",
            on_click=act.set_flow_break,
            args=(journey.id, flow, not flow.break_),
            width="stretch",
        )
        right.button(
            tr("board.delete"),
            key="board_flow_delete",
            icon=":material/delete:",
            on_click=act.delete_flow,
            args=(journey.id, flow),
            width="stretch",
        )
    add = "board_add_flow"
    with st.form(add, clear_on_submit=True, border=True):
        st.markdown(f"**{tr('board.add_flow')}**")
        ends = st.columns(2)
        ends[0].selectbox(
            tr("field.from"), list(names), key=f"{add}_from", format_func=names.__getitem__
        )
        ends[1].selectbox(
            tr("field.to"), list(names), key=f"{add}_to", format_func=names.__getitem__, index=1
        )
        st.checkbox(tr("board.flow_is_break"), key=f"{add}_break")
        st.text_input(tr("field.label"), key=f"{add}_label")
        st.form_submit_button(
            tr("board.add"),
            on_click=act.add_flow,
            args=(journey.id, add),
            key=f"{add}_submit",
            type="primary",
        )


def open_dialog_if_any(editable: Any) -> None:
    if st.session_state.get(act.ADDING):
        add_touchpoint_dialog(editable.journey)
        return
    wanted = st.session_state.get(act.DIALOG)
    if not wanted:
        return
    if wanted not in editable.touchpoint_versions:
        act.close_dialog()
        return
    touchpoint_dialog(editable, wanted)
