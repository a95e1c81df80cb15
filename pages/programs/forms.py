"""Programs page: the quick forms that add a phase, or a step after another one (a branch of
a decision) — to the draft, saved with the rest."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

from journeys.contract.editing import unique_id
from journeys.contract.model import Journey, Program
from pages.common.shared import tr
from pages.programs import draft as drafts
from pages.programs.editor import short
from pages.programs.tables import WAS, anchors, kinds


def add_phase_form(
    draft: dict[str, Any],
    tables: Mapping[str, Any],
    program: Program | None,
    journey: Journey | None,
) -> None:
    """Add a phase at the end (unsaved until the program is saved)."""
    moments = {m.id: m.label for m in journey.moments} if journey else {}
    with st.form("programs_add_phase", clear_on_submit=True, border=True):
        st.markdown(f"**{tr('programs.add_phase_title')}**")
        left, right = st.columns(2)
        text = left.text_input(
            tr("programs.col.label"), max_chars=300, key="programs_add_phase_label"
        )
        moment = right.selectbox(
            tr("programs.col.moment"),
            list(moments),
            index=None,
            placeholder=tr("programs.none_choice"),
            key="programs_add_phase_moment",
            format_func=lambda m: moments[m],
        )
        submitted = st.form_submit_button(
            tr("programs.add_phase"), icon=":material/add:", key="programs_add_phase_submit"
        )
    if not submitted:
        return
    if not text.strip():
        st.error(tr("programs.label_needed"))
        return
    orders = [r.get("order") for r in tables["phases"]]
    last = max((int(o) for o in orders if isinstance(o, int | float) and o == o), default=0)
    row = {
        "order": last + 1,
        "id": None,
        "label": text.strip(),
        "moment": moment,
        "description": None,
        WAS: None,
    }
    drafts.fold(draft, tables, program, add={"phases": row})
    st.session_state["programs_added"] = tr("programs.phase_added", label=text.strip())
    st.rerun()


def add_step_form(
    draft: dict[str, Any],
    tables: Mapping[str, Any],
    program: Program | None,
    journey: Journey | None,
) -> None:
    """Add a step to a phase, optionally after another step (a branch of a decision)."""
    phases = drafts.choices(tables["phases"], drafts.PHASE_KEYS)
    steps = drafts.choices(tables["steps"], drafts.STEP_KEYS)
    channels = {c.id: c.label for c in journey.channels} if journey else {}
    if not phases:
        st.info(tr("programs.add_phase_first"))
        return
    with st.form("programs_add_step", clear_on_submit=True, border=True):
        st.markdown(f"**{tr('programs.add_step_title')}**")
        a, b, c = st.columns([1, 3, 2])
        kind = a.selectbox(
            tr("programs.col.kind"),
            kinds(),
            key="programs_add_step_kind",
            format_func={v: tr(f"programs.kind.{v}") for v in kinds()}.__getitem__,
        )
        text = b.text_input(tr("programs.col.label"), max_chars=300, key="programs_add_step_label")
        phase = c.selectbox(
            tr("programs.col.phase"),
            list(phases),
            key="programs_add_step_phase",
            format_func=lambda p: phases[p],
        )
        a, b, c, d = st.columns([2, 2, 1, 2])
        channel = a.selectbox(
            tr("programs.col.channel"),
            list(channels),
            index=None,
            placeholder=tr("programs.none_choice"),
            key="programs_add_step_channel",
            format_func=lambda x: channels[x],
        )
        anchor = b.selectbox(
            tr("programs.col.anchor"),
            anchors(),
            index=None,
            placeholder=tr("programs.none_choice"),
            key="programs_add_step_anchor",
            format_func={v: tr(f"programs.anchor.{v}") for v in anchors()}.__getitem__,
        )
        offset = c.number_input(
            tr("programs.col.offset_days"),
            min_value=-3650,
            max_value=3650,
            value=0,
            step=1,
            key="programs_add_step_offset",
        )
        event = d.text_input(
            tr("programs.col.event"),
            max_chars=80,
            key="programs_add_step_event",
            help=tr("programs.event_help"),
        )
        a, b, c = st.columns([3, 2, 2])
        after = a.selectbox(
            tr("programs.after_step"),
            list(steps),
            index=None,
            placeholder=tr("programs.none_choice"),
            key="programs_add_step_after",
            format_func=lambda x: short(steps[x]),
        )
        branch = b.text_input(
            tr("programs.col.link_label"),
            max_chars=5000,
            key="programs_add_step_branch",
            help=tr("programs.link_label_help"),
        )
        kpi = c.text_input(tr("programs.col.kpi"), max_chars=5000, key="programs_add_step_kpi")
        submitted = st.form_submit_button(
            tr("programs.add_step"), icon=":material/add:", key="programs_add_step_submit"
        )
    if not submitted:
        return
    if not text.strip():
        st.error(tr("programs.label_needed"))
        return
    step_id = unique_id(text.strip(), set(steps))
    row = {
        "id": step_id,
        "label": text.strip(),
        "kind": kind,
        "phase": phase,
        "channel": channel,
        "anchor": anchor,
        "offset_days": int(offset) if anchor else None,
        "event": event.strip() or None,
        "kpi": kpi.strip() or None,
        "description": None,
        WAS: None,
    }
    link = {"from": after, "to": step_id, "label": branch.strip() or None} if after else None
    drafts.fold(draft, tables, program, add={"steps": row, "links": link})
    st.session_state["programs_added"] = tr("programs.step_added", label=text.strip())
    st.rerun()
