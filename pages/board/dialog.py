"""The touchpoint dialog: its fields, and its findings (type, intensity, text, source, axis)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from journeys.board.html import SYMBOLS
from journeys.contract.editing import journey_ids, shown
from journeys.contract.model import (
    Finding,
    FindingStatus,
    FindingType,
    Journey,
    Source,
    Touchpoint,
    TouchpointStatus,
)
from pages.board import actions as act
from pages.common.shared import label, show_flash, tr
from pages.common.text import plain


def touchpoint_dialog(editable: Any, touchpoint_id: str) -> None:
    """Open the dialog (it stays open across reruns until closed, saved away or deleted)."""
    title = tr("board.dialog_title")
    st.dialog(title, width="large", on_dismiss=act.close_dialog)(_body)(editable, touchpoint_id)


def add_touchpoint_dialog(journey: Journey) -> None:
    """Open the dialog to add a touchpoint in a cell; once added, its own dialog follows."""
    title = tr("board.add_touchpoint")
    st.dialog(title, width="large", on_dismiss=act.close_adding)(_add_body)(journey)


def _add_body(journey: Journey) -> None:
    st.session_state.pop(act.REFRESH, None)  # the rerun below redraws the whole page anyway
    if not st.session_state.get(act.ADDING):
        st.rerun()  # added: the whole page follows, and the new touchpoint's dialog opens
    show_flash()  # a refused form says why here, not behind the dialog
    last_moment, last_channel = st.session_state.get(act.LAST_CELL, (None, None))
    add = "board_add_tp"
    with st.form(add, clear_on_submit=True, border=False):
        _cell_pickers(add, journey, last_moment, last_channel)
        st.text_input(tr("field.label"), key=f"{add}_label")
        more = st.columns(2)
        more[0].selectbox(
            tr("field.status"),
            list(TouchpointStatus),
            key=f"{add}_status",
            format_func=lambda s: label("status", s),
        )
        more[1].text_input(tr("field.owner"), key=f"{add}_owner")
        st.form_submit_button(
            tr("board.add"),
            on_click=act.add_touchpoint,
            key=f"{add}_submit",
            args=(journey.id, journey_ids(journey), add),
            type="primary",
        )


def _body(editable: Any, touchpoint_id: str) -> None:
    if st.session_state.pop(act.REFRESH, False):
        st.rerun()  # an edit was made from inside the dialog: redraw the board behind it too
    journey = editable.journey
    touchpoint = next((tp for tp in journey.touchpoints if tp.id == touchpoint_id), None)
    if touchpoint is None:
        act.close_dialog()
        st.rerun()
    version = editable.touchpoint_versions[touchpoint_id]
    _touchpoint_form(journey, touchpoint, version)
    st.markdown(f"#### {tr('term.findings')} ({len(touchpoint.findings)})")
    refs = editable.finding_refs.get(touchpoint_id, [])
    for finding, ref in zip(touchpoint.findings, refs, strict=False):
        head = f"{SYMBOLS[finding.type] * finding.intensity}  {label('finding', finding.type)} — "
        with st.expander(head + plain(shown(finding.text, 90))):
            prefix = f"board_f_{ref.id}_{ref.version}"
            with st.form(prefix, border=False):
                _finding_fields(prefix, finding)
                save, delete = st.columns(2)
                save.form_submit_button(
                    tr("board.save"),
                    on_click=act.update_finding,
                    key=f"{prefix}_submit",
                    args=(journey.id, ref.id, ref.version, finding, prefix),
                    type="primary",
                    width="stretch",
                )
                delete.form_submit_button(
                    tr("board.delete"),
                    on_click=act.delete_finding,
                    key=f"{prefix}_delete",
                    args=(journey.id, ref.id, ref.version, finding),
                    icon=":material/delete:",
                    width="stretch",
                )
    add = f"board_add_f_{touchpoint_id}"
    with (
        st.expander(
            tr("board.add_finding"), expanded=not touchpoint.findings, icon=":material/add_comment:"
        ),
        st.form(add, clear_on_submit=True, border=False),
    ):
        _finding_fields(add, None)
        st.form_submit_button(
            tr("board.add"),
            on_click=act.add_finding,
            key=f"{add}_submit",
            args=(journey.id, touchpoint_id, add),
            type="primary",
        )
    st.divider()
    left, right = st.columns(2)
    sure = left.checkbox(
        tr("board.delete_touchpoint_confirm"), key=f"board_tp_sure_{touchpoint_id}"
    )
    left.button(
        tr("board.delete_touchpoint"),
        disabled=not sure,
        icon=":material/delete:",
        key=f"board_tp_delete_{touchpoint_id}",
        on_click=act.delete,
        args=("touchpoint", journey.id, touchpoint_id, version, touchpoint.label),
    )
    if right.button(tr("board.close"), key="board_dialog_close", width="stretch"):
        act.close_dialog()
        st.rerun()


def _touchpoint_form(journey: Any, touchpoint: Touchpoint, version: int) -> None:
    prefix = f"board_tp_{touchpoint.id}_{version}"
    statuses = list(TouchpointStatus)
    with st.form(prefix, border=True):
        st.text_input(tr("field.label"), value=touchpoint.label, key=f"{prefix}_label")
        _cell_pickers(prefix, journey, touchpoint.moment, touchpoint.channel)
        st.radio(
            tr("field.status"),
            statuses,
            index=statuses.index(touchpoint.status),
            key=f"{prefix}_status",
            horizontal=True,
            format_func=lambda s: label("status", s),
        )
        st.text_input(tr("field.owner"), value=touchpoint.owner or "", key=f"{prefix}_owner")
        st.text_area(
            tr("field.description"),
            value=touchpoint.description or "",
            key=f"{prefix}_desc",
            height=68,
        )
        st.form_submit_button(
            tr("board.save_touchpoint"),
            on_click=act.update_touchpoint,
            type="primary",
            key=f"{prefix}_submit",
            args=(journey.id, touchpoint.id, version, touchpoint, prefix),
        )


def _cell_pickers(prefix: str, journey: Any, moment: str | None, channel: str | None) -> None:
    """The moment and channel of a touchpoint, side by side (`moment`, `channel` preselected
    when they are in the journey, else the first)."""
    where = st.columns(2)
    for column, kind, items, chosen in (
        (where[0], "moment", journey.moments, moment),
        (where[1], "channel", journey.channels, channel),
    ):
        labels = {item.id: item.label for item in items}
        ids = list(labels)
        column.selectbox(
            tr(f"term.{kind}"),
            ids,
            index=ids.index(chosen) if chosen in labels else 0,
            key=f"{prefix}_{kind}",
            format_func=labels.__getitem__,
        )


def _finding_fields(prefix: str, finding: Finding | None) -> None:
    types, sources = list(FindingType), list(Source)
    kind, strength = st.columns(2)
    kind.radio(
        tr("field.type"),
        types,
        key=f"{prefix}_type",
        horizontal=True,
        index=types.index(finding.type) if finding else 1,
        format_func=lambda f: f"{SYMBOLS[f]} {label('finding', f)}",
    )
    strength.radio(
        tr("field.intensity"),
        [1, 2, 3],
        key=f"{prefix}_intensity",
        horizontal=True,
        index=(finding.intensity - 1) if finding else 1,
        format_func=lambda n: tr(f"intensity.{n}"),
    )
    st.text_input(tr("field.text"), value=finding.text if finding else "", key=f"{prefix}_text")
    origin, progress = st.columns(2)
    origin.selectbox(
        tr("field.source"),
        sources,
        key=f"{prefix}_source",
        index=sources.index(finding.source) if finding else 0,
        format_func=lambda s: label("source", s),
    )
    statuses = list(FindingStatus)
    progress.selectbox(
        tr("field.finding_status"),
        statuses,
        key=f"{prefix}_status",
        index=statuses.index(finding.status) if finding else 0,
        format_func=lambda s: label("finding_status", s),
    )
    st.text_area(
        tr("term.improvement"),
        value=(finding.improvement or "") if finding else "",
        key=f"{prefix}_improvement",
        height=68,
    )
