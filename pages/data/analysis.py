"""What a base says: its KPIs, then one view at a time (survival, monthly hazard, segments,
cohorts, pre-churn signals, fragile moments); only the open tab is computed."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from journeys.data import attrition, charts
from journeys.data import services as ds
from journeys.data.aggregate import SIGNAL_WINDOWS
from pages.common.shared import lang, tr
from pages.common.text import plain
from pages.data import link, triggers, views
from pages.data.views import day, money, number, percent, window_months

CHART = {"displayModeBar": False}
VIEWS = ("survival", "hazard", "segments", "cohorts", "signals", "fragile")


def kpis_row(info: ds.BaseInfo) -> None:
    """Churn rate per year, renewal at 12 months, involuntary share, median lifetime."""
    view = views.base_view(info)
    found = views.kpis(info)
    summary = view.aggregates.summary
    median = view.table.median
    cells = [
        ("data.kpi.churn", percent(found.churn_rate)),
        (
            "data.kpi.renewal",
            "—" if found.renewal_rate is None else percent(found.renewal_rate),
        ),
        ("data.kpi.involuntary", percent(found.involuntary_share)),
        (
            "data.kpi.median",
            tr("data.kpi.months", months=number(median, 0 if median.is_integer() else 1))
            if median is not None
            else tr("data.kpi.not_reached", months=len(view.table.rows) - 1),
        ),
    ]
    with st.container(horizontal=True, gap="small", key="data_kpis"):
        for key, value in cells:
            st.metric(tr(key), value, help=tr(f"{key}_help"), border=True)
    st.caption(
        tr(
            "data.kpi.base_line",
            rows=number(summary.rows),
            active=number(summary.active),
            ended=number(summary.ended),
            first=day(summary.first_start),
            last=day(summary.last_date),
        )
    )


def views_tabs(info: ds.BaseInfo, *, may_edit: bool) -> None:
    """The analysis tabs; the open one is drawn."""
    draw: dict[str, Callable[[], None]] = {
        "survival": lambda: _survival(info),
        "hazard": lambda: _hazard(info),
        "segments": lambda: _segments(info),
        "cohorts": lambda: _cohorts(info),
        "signals": lambda: _signals(info, may_edit=may_edit),
        "fragile": lambda: _fragile(info, may_edit=may_edit),
    }
    tabs = st.tabs(
        [tr(f"data.view.{name}") for name in VIEWS], key=f"data_view_{lang()}", on_change="rerun"
    )
    for name, tab in zip(VIEWS, tabs, strict=True):
        if tab.open:
            with tab:
                draw[name]()


def _figure(info: ds.BaseInfo, kind: str, make: Callable[[], object]) -> object:
    return views.kept(info, ("figure", kind, lang()), make)


def _survival(info: ds.BaseInfo) -> None:
    view = views.base_view(info)
    figure = _figure(info, "survival", lambda: charts.survival_figure(view.table, lang()))
    st.plotly_chart(figure, config=CHART, key="data_survival")
    st.caption(tr("data.view.survival_help"))


def _hazard(info: ds.BaseInfo) -> None:
    view = views.base_view(info)
    figure = _figure(info, "hazard", lambda: charts.hazard_figure(view.table, view.windows, lang()))
    st.plotly_chart(figure, config=CHART, key="data_hazard")
    st.caption(tr("data.view.hazard_help"))


def _segments(info: ds.BaseInfo) -> None:
    view = views.base_view(info)
    columns = list(view.aggregates.segments)
    if not columns:
        st.info(tr("data.view.no_segments"))
        return
    key = "data_segment_column"
    if st.session_state.get(key) not in columns:
        st.session_state[key] = columns[0]
    column = st.selectbox(tr("data.view.segment_column"), columns, key=key, width=480)
    tables, test = views.segments(info, column)
    figure = _figure(
        info,
        f"segments:{column}",
        lambda: charts.segments_figure(tables, test, column, lang()),
    )
    st.plotly_chart(figure, config=CHART, key="data_segments")
    if test is None:
        st.caption(tr("data.view.logrank_none"))
    else:
        said = "data.view.logrank_differ" if test.p_value < 0.05 else "data.view.logrank_alike"
        st.caption(plain(tr(said, column=column, p=_p_value(test.p_value))))


def _p_value(p: float) -> str:
    return "< 0,001" if p < 0.001 and lang() == "fr" else "< 0.001" if p < 0.001 else number(p, 3)


def _cohorts(info: ds.BaseInfo) -> None:
    rows = views.cohorts(info)
    if not rows:
        st.info(tr("data.view.no_cohorts"))
        return
    figure = _figure(info, "cohorts", lambda: charts.cohort_figure(rows, lang()))
    st.plotly_chart(figure, config=CHART, key="data_cohorts")
    st.caption(tr("data.view.cohorts_help"))


def _signals(info: ds.BaseInfo, *, may_edit: bool) -> None:
    view = views.base_view(info)
    if not view.aggregates.signals:
        triggers.said(info.name)  # a click on a signal gone with an import says so
        st.info(tr("data.view.no_signals"))
        return
    window = st.segmented_control(
        tr("data.signals.window"),
        SIGNAL_WINDOWS,
        default=SIGNAL_WINDOWS[0],
        format_func={d: tr("data.signals.days", days=d) for d in SIGNAL_WINDOWS}.__getitem__,
        key="data_signal_window",
        required=True,
    )
    found = attrition.signals(view.aggregates, int(window or SIGNAL_WINDOWS[0]))
    if not found:
        triggers.said(info.name)
        st.info(tr("data.view.no_signals"))
        return
    st.dataframe(
        [
            {
                tr("data.signals.event"): s.event,
                tr("data.signals.subscribers"): s.subscribers,
                tr("data.signals.left"): s.left,
                tr("data.signals.rate"): percent(s.rate),
                tr("data.signals.base_rate"): percent(s.base_rate),
                tr("data.signals.lift"): f"×{number(s.lift, 1)}",
                tr("data.signals.interval"): f"{number(s.lower, 1)} – {number(s.upper, 1)}",
            }
            for s in found
        ],
        hide_index=True,
        width="stretch",
    )
    st.caption(tr("data.signals.help", days=window))
    triggers.trigger_rows(info, found, may_edit=may_edit)


def _fragile(info: ds.BaseInfo, *, may_edit: bool) -> None:
    view = views.base_view(info)
    windows = view.windows
    if not windows:
        st.info(tr("data.fragile.none"))
        return
    st.dataframe(
        [
            {
                tr("data.fragile.months"): window_months(w),
                tr("data.fragile.lost"): number(w.lost_per_year),
                tr("data.fragile.share"): percent(w.share),
                tr("data.fragile.revenue"): money(w.revenue_per_year),
                tr("data.fragile.involuntary"): percent(w.involuntary_share),
                tr("data.fragile.ratio"): f"×{number(w.ratio, 1)}",
            }
            for w in windows
        ],
        hide_index=True,
        width="stretch",
    )
    st.caption(tr("data.fragile.help", rate=percent(view.table.base_hazard)))
    link.link_panel(info, windows, may_edit=may_edit)
