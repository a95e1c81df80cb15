"""Programs page: the editing widgets — header fields and the phases, steps and links tables."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pandas as pd
import streamlit as st

from journeys.contract.model import SLUG_PATTERN, Journey, Objective
from journeys.i18n import LANGUAGES
from pages.common.shared import label, tr
from pages.programs import draft as drafts
from pages.programs.contract_cells import CONTRACTS
from pages.programs.tables import WAS, Row, anchors, kinds, purposes

column = st.column_config
SHORT = 48


def short(text: str) -> str:
    return text if len(text) <= SHORT else text[: SHORT - 1] + "…"


def _shown(names: Mapping[str, str], *, cut: bool = False) -> Callable[[object], str]:
    """The format_func of a select column of ids: each id's name (cut to SHORT), else the id.
    Typed for any cell value, as Streamlit types a select column's format_func."""

    def shown(value: object) -> str:
        name = names.get(str(value), str(value))
        return short(name) if cut else name

    return shown


def _options(known: Mapping[str, str], used: Sequence[Any]) -> list[str]:
    """The known ids, then any id a row uses that is not known (shown, flagged by the checks)."""
    extra = [v for v in dict.fromkeys(used) if isinstance(v, str) and v and v not in known]
    return [*known, *extra]


def header_fields(draft: Mapping[str, Any], journeys: Mapping[str, str]) -> Row:
    """Title, objective, journey, goal, language and description of the program."""
    head, k = draft["tables"]["header"], drafts.tag(draft)
    left, middle, right = st.columns([2, 1, 1])
    title = left.text_input(
        tr("programs.col.title"),
        value=head.get("title") or "",
        max_chars=300,
        key=f"programs_h_title_{k}",
    )
    objectives = [o.value for o in Objective]
    objective = middle.selectbox(
        tr("programs.col.objective"),
        objectives,
        index=objectives.index(head["objective"]) if head["objective"] in objectives else 0,
        format_func={v: label("objective", v) for v in objectives}.__getitem__,
        key=f"programs_h_objective_{k}",
    )
    options = _options(journeys, [head.get("journey")])
    journey = right.selectbox(
        tr("programs.col.journey"),
        options,
        index=options.index(head["journey"]) if head.get("journey") else None,
        placeholder=tr("programs.no_journey"),
        format_func={
            j: journeys.get(j) or tr("programs.missing_journey", id=j) for j in options
        }.__getitem__,
        key=f"programs_h_journey_{k}",
    )
    left, right = st.columns([3, 1])
    goal = left.text_input(
        tr("programs.col.goal"),
        value=head.get("goal") or "",
        help=tr("programs.goal_help"),
        max_chars=5000,
        key=f"programs_h_goal_{k}",
    )
    languages = list(LANGUAGES)
    language = right.selectbox(
        tr("programs.col.language"),
        languages,
        index=languages.index(head["language"]) if head.get("language") in languages else 0,
        format_func=str.upper,
        key=f"programs_h_language_{k}",
    )
    description = st.text_area(
        tr("programs.col.description"),
        value=head.get("description") or "",
        height=68,
        max_chars=5000,
        key=f"programs_h_description_{k}",
    )
    return {
        "title": title,
        "objective": objective,
        "journey": journey,
        "goal": goal,
        "language": language,
        "description": description,
        **_subscription_fields(head, k),
    }


def _subscription_fields(head: Mapping[str, Any], k: str) -> Row:
    """The subscribers' contract: what the French law checks need (term, tacit renewal, agreed
    SEPA pre-notification delay)."""
    kind, term, tacit, notice = st.columns([2, 1, 1.4, 2], vertical_alignment="bottom")
    contract = kind.selectbox(
        tr("programs.col.contract"),
        CONTRACTS,
        index=CONTRACTS.index(head.get("contract") or "unsaid"),
        format_func={c: tr(f"programs.contract.{c}") for c in CONTRACTS}.__getitem__,
        help=tr("programs.contract_help"),
        key=f"programs_h_contract_{k}",
    )
    fixed = contract == "fixed_term"
    months = term.number_input(
        tr("programs.col.term_months"),
        min_value=1,
        max_value=120,
        value=head.get("term_months") if fixed else None,
        step=1,
        disabled=not fixed,
        key=f"programs_h_term_{k}",
    )
    renews = tacit.checkbox(
        tr("programs.col.tacit_renewal"),
        value=bool(head.get("tacit_renewal")) and fixed,
        disabled=not fixed,
        key=f"programs_h_tacit_{k}",
    )
    days = notice.number_input(
        tr("programs.col.prenotification_days"),
        min_value=0,
        max_value=60,
        value=head.get("prenotification_days") if contract != "unsaid" else None,
        step=1,
        disabled=contract == "unsaid",
        help=tr("programs.prenotification_help"),
        key=f"programs_h_notice_{k}",
    )
    return {
        "contract": contract,
        "term_months": months if fixed else None,
        "tacit_renewal": renews if fixed else False,
        "prenotification_days": days if contract != "unsaid" else None,
    }


def _frame(rows: Sequence[Row], keys: Sequence[str], numbers: Sequence[str] = ()) -> pd.DataFrame:
    frame = pd.DataFrame(
        [{k: row.get(k) for k in (*keys, WAS)} for row in rows], columns=[*keys, WAS]
    )
    for name in numbers:
        frame[name] = pd.to_numeric(frame[name], errors="coerce").round().astype("Int64")
    for name in frame.columns:
        if name not in numbers:
            frame[name] = frame[name].astype("object")
    return frame


def _edited(frame: pd.DataFrame) -> list[Row]:
    return [dict(row) for row in frame.to_dict("records")]


def _text(key: str, **extra: Any) -> Any:
    return column.TextColumn(tr(f"programs.col.{key}"), **extra)


def _slug(key: str, help_key: str) -> Any:
    """A column holding an id: lowercase letters, digits and single dashes."""
    return _text(key, max_chars=80, validate=SLUG_PATTERN, width="small", help=tr(help_key))


def phases_table(draft: Mapping[str, Any], journey: Journey | None) -> list[Row]:
    """The phases, in order (the order column sorts them on save); edits returned as rows."""
    rows = draft["tables"]["phases"]
    moments = {m.id: m.label for m in journey.moments} if journey else {}
    edited = st.data_editor(
        _frame(rows, drafts.PHASE_KEYS, numbers=("order",)),
        key=f"programs_phases_{drafts.tag(draft)}",
        num_rows="dynamic",
        placeholder="",
        hide_index=True,
        width="stretch",
        column_order=drafts.PHASE_KEYS,
        column_config={
            "order": column.NumberColumn(
                tr("programs.col.order"),
                min_value=1,
                max_value=999,
                step=1,
                format="%d",
                width="small",
                help=tr("programs.order_help"),
            ),
            "id": _slug("id", "programs.id_help"),
            "label": _text("label", max_chars=300, width="medium"),
            "moment": column.SelectboxColumn(
                tr("programs.col.moment"),
                width="medium",
                options=_options(moments, [r.get("moment") for r in rows]),
                format_func=_shown(moments),
            ),
            "description": _text("description", max_chars=5000, width="large"),
        },
    )
    return _edited(edited)


def steps_table(draft: Mapping[str, Any], journey: Journey | None) -> list[Row]:
    """The steps: kind, label, phase, channel, timing, KPI; edits returned as rows."""
    rows = draft["tables"]["steps"]
    phases = drafts.choices(draft["tables"]["phases"], drafts.PHASE_KEYS)
    channels = {c.id: c.label for c in journey.channels} if journey else {}
    edited = st.data_editor(
        _frame(rows, drafts.STEP_KEYS, numbers=("offset_days",)),
        key=f"programs_steps_{drafts.tag(draft)}",
        num_rows="dynamic",
        placeholder="",
        hide_index=True,
        width="stretch",
        column_order=drafts.STEP_KEYS,
        column_config={
            "id": _slug("id", "programs.id_help"),
            "label": _text("label", max_chars=300, width="large"),
            "kind": column.SelectboxColumn(
                tr("programs.col.kind"),
                options=kinds(),
                format_func=_shown({v: tr(f"programs.kind.{v}") for v in kinds()}),
                width="small",
            ),
            "phase": column.SelectboxColumn(
                tr("programs.col.phase"),
                width="small",
                options=_options(phases, [r.get("phase") for r in rows]),
                format_func=_shown(phases, cut=True),
            ),
            "channel": column.SelectboxColumn(
                tr("programs.col.channel"),
                width="small",
                options=_options(channels, [r.get("channel") for r in rows]),
                format_func=_shown(channels),
            ),
            "anchor": column.SelectboxColumn(
                tr("programs.col.anchor"),
                options=anchors(),
                format_func=_shown({v: tr(f"programs.anchor.{v}") for v in anchors()}),
                width="small",
                help=tr("programs.anchor_help"),
            ),
            "offset_days": column.NumberColumn(
                tr("programs.col.offset_days"),
                min_value=-3650,
                max_value=3650,
                step=1,
                format="%+d",
                width="small",
                help=tr("programs.offset_help"),
            ),
            "event": _slug("event", "programs.event_help"),
            "purpose": column.SelectboxColumn(
                tr("programs.col.purpose"),
                options=purposes(),
                format_func=_shown({v: tr(f"programs.purpose.{v}") for v in purposes()}),
                width="small",
                help=tr("programs.purpose_help"),
            ),
            "entry": _text("entry", max_chars=2000, width="medium", help=tr("programs.entry_help")),
            "kpi": _text("kpi", max_chars=5000, width="medium"),
            "description": _text("description", max_chars=5000, width="medium"),
        },
    )
    return _edited(edited)


def links_table(draft: Mapping[str, Any]) -> list[Row]:
    """The links between steps; a decision's links carry the branch labels."""
    rows = draft["tables"]["links"]
    steps = drafts.choices(draft["tables"]["steps"], drafts.STEP_KEYS)
    used = [r.get(end) for r in rows for end in ("from", "to")]
    options = _options(steps, used)
    edited = st.data_editor(
        _frame(rows, drafts.LINK_KEYS),
        key=f"programs_links_{drafts.tag(draft)}",
        num_rows="dynamic",
        placeholder="",
        hide_index=True,
        width="stretch",
        column_order=drafts.LINK_KEYS,
        column_config={
            "from": column.SelectboxColumn(
                tr("programs.col.from"),
                options=options,
                format_func=_shown(steps, cut=True),
                width="large",
                required=True,
            ),
            "to": column.SelectboxColumn(
                tr("programs.col.to"),
                options=options,
                format_func=_shown(steps, cut=True),
                width="large",
                required=True,
            ),
            "label": _text(
                "link_label", max_chars=5000, width="medium", help=tr("programs.link_label_help")
            ),
        },
    )
    return _edited(edited)
