"""The compare page's panels: the gap in figures, cell by cell, and the problems' fate."""

from __future__ import annotations

import streamlit as st

from journeys.board.compare import CellGap, FindingRef, JourneyGap
from journeys.contract.model import Journey
from pages.common.shared import label, tr
from pages.common.text import plain


def summary(gap: JourneyGap) -> None:
    cells = gap.changed_cells
    cols = st.columns(5)
    cols[0].metric(tr("compare.metric_cells"), len(cells))
    cols[1].metric(tr("compare.metric_added"), sum(len(c.added) for c in gap.cells))
    cols[2].metric(tr("compare.metric_resolved"), len(gap.resolved))
    cols[3].metric(tr("compare.metric_remaining"), len(gap.remaining))
    cols[4].metric(tr("compare.metric_introduced"), len(gap.introduced))
    structure = [
        *(tr("compare.moment_added", label=m.label) for m in gap.moments_added),
        *(tr("compare.moment_removed", label=m.label) for m in gap.moments_removed),
        *(tr("compare.channel_added", label=c.label) for c in gap.channels_added),
        *(tr("compare.channel_removed", label=c.label) for c in gap.channels_removed),
    ]
    if structure:
        st.caption(plain(" · ".join(structure)))


def _labels(*journeys: Journey) -> tuple[dict[str, str], dict[str, str]]:
    moments: dict[str, str] = {}
    channels: dict[str, str] = {}
    for journey in journeys:
        moments |= {m.id: m.label for m in journey.moments}
        channels |= {c.id: c.label for c in journey.channels}
    return moments, channels


def _joined(items: list[str]) -> str:
    return " · ".join(items)


def _changes(cell: CellGap) -> list[str]:
    return [
        f"{c.after.label} ({', '.join(tr(f'field.{f}') for f in c.fields)})" for c in cell.changed
    ]


def cells_table(gap: JourneyGap, current: Journey, target: Journey) -> None:
    """One row per board cell where something changes (or problems remain, if asked)."""
    st.subheader(tr("compare.cells_title"), anchor=False)
    show_all = st.toggle(tr("compare.show_remaining"), key="compare_show_remaining")
    cells = gap.cells if show_all else gap.changed_cells
    if not cells:
        st.info(tr("compare.no_change"))
        return
    moments, channels = _labels(target, current)
    rows = [
        {
            tr("field.moment"): moments.get(c.moment, c.moment),
            tr("field.channel"): channels.get(c.channel, c.channel),
            tr("compare.col_added"): _joined([t.label for t in c.added]),
            tr("compare.col_removed"): _joined([t.label for t in c.removed]),
            tr("compare.col_changed"): _joined(_changes(c)),
            tr("compare.col_resolved"): _joined([r.finding.text for r in c.resolved]),
            tr("compare.col_remaining"): _joined([r.finding.text for r in c.remaining]),
            tr("compare.col_introduced"): _joined([r.finding.text for r in c.introduced]),
        }
        for c in cells
    ]
    # A column empty on every row (nothing added, say) only pushes the others off screen.
    shown = [k for k in rows[0] if any(r[k] for r in rows)]
    st.dataframe(
        [{k: r[k] for k in shown} for r in rows],
        hide_index=True,
        width="stretch",
        key="compare_cells",
    )


def _refs(refs: tuple[FindingRef, ...], names: dict[str, str], with_improvement: bool) -> None:
    if not refs:
        st.caption(tr("compare.none"))
        return
    st.dataframe(
        [
            {
                tr("field.type"): label("finding", r.finding.type),
                tr("field.intensity"): r.finding.intensity,
                tr("field.text"): r.finding.text,
                tr("compare.col_touchpoint"): names.get(r.touchpoint, r.touchpoint),
                **(
                    {tr("field.improvement"): r.finding.improvement or ""}
                    if with_improvement
                    else {}
                ),
            }
            for r in refs
        ],
        hide_index=True,
        width="stretch",
    )


def problem_lists(gap: JourneyGap, current: Journey, target: Journey) -> None:
    """Irritants and breaks the plan resolves, and those that remain."""
    names = {t.id: t.label for t in current.touchpoints} | {
        t.id: t.label for t in target.touchpoints
    }
    left, right = st.columns(2)
    with left:
        st.subheader(tr("compare.resolved_title", count=len(gap.resolved)), anchor=False)
        _refs(gap.resolved, names, with_improvement=True)
    with right:
        st.subheader(tr("compare.remaining_title", count=len(gap.remaining)), anchor=False)
        _refs(gap.remaining, names, with_improvement=False)
