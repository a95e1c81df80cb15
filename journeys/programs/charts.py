"""Plotly figures of a dry run, FR/EN: the program's volumes as a Sankey, messages per channel
per week, and the pressure calendar (subscribers over the cap, day by channel). Pure."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from html import escape

import numpy  # noqa: F401  (see journeys.board.charts: plotly finds them half imported)
import pandas  # noqa: F401
import plotly.graph_objects as go

from journeys.contract.editing import short_label
from journeys.contract.model import Program, StepKind
from journeys.i18n import format_number, t
from journeys.programs.dryrun_model import ProgramRun
from journeys.programs.dryrun_output import Weekly
from journeys.programs.pressure import PressureReport
from journeys.programs.style import KIND_STYLE, PALETTE

ENDED, WAITING, CARRIED = "#b0b7bf", "#d9dde2", "#8896a5"
OVER_SCALE = [[0.0, "#ffffff"], [0.001, "#fde0c5"], [0.5, "#f08a3c"], [1.0, "#8c1d04"]]


def _plain(text: str) -> str:
    """Plotly reads a few HTML tags in labels; user text must stay text."""
    return escape(text, quote=False)


def _layout(fig: go.Figure, title: str, lang: str, *, height: int) -> go.Figure:
    fig.update_layout(
        separators=", " if lang == "fr" else ".,",
        title={"text": _plain(title), "x": 0, "xanchor": "left"},
        height=height,
        margin={"l": 10, "r": 10, "t": 56, "b": 10},
        font={"size": 13, "family": "Source Sans Pro, DejaVu Sans, sans-serif"},
        paper_bgcolor="white",
        plot_bgcolor="white",
    )
    return fig


def sankey_figure(
    program: Program, result: ProgramRun, lang: str, *, height: int = 560
) -> go.Figure:
    """Subscribers along each link in the horizon; those already on their way when it starts
    come in from the left, those whose subscription ended and those still waiting when it
    ends go out to the right."""
    steps = {s.id: s for s in program.steps}
    ids = [s.id for s in program.steps]
    extra = [
        t("dryrun.chart.carried", lang),
        t("dryrun.chart.ended", lang),
        t("dryrun.chart.waiting", lang),
    ]
    index = {sid: i for i, sid in enumerate(ids)}
    carried, ended, waiting = len(ids), len(ids) + 1, len(ids) + 2
    source: list[int] = []
    target: list[int] = []
    value: list[int] = []
    colour: list[str] = []

    def flow(a: int, b: int, n: int, tint: str) -> None:
        if n > 0:
            for column, item in ((source, a), (target, b), (value, n)):
                column.append(item)
            colour.append(tint)

    for (a, b), n in result.links.items():
        if a in index and b in index:
            flow(index[a], index[b], n, "rgba(11, 92, 150, 0.25)")
    for sid, v in result.steps.items():
        flow(carried, index[sid], v.carried, "rgba(136, 150, 165, 0.3)")
        flow(index[sid], ended, v.ended, "rgba(176, 183, 191, 0.45)")
        flow(index[sid], waiting, v.waiting, "rgba(217, 221, 226, 0.6)")
    # short labels on two lines (a chain of steps stands columns close), the whole on hover
    labels = [
        _plain(short_label(steps[sid].label, 16))
        + "<br>"
        + format_number(result.steps[sid].entered, lang)
        for sid in ids
    ] + [_plain(x) for x in extra]
    whole = [_plain(steps[sid].label) for sid in ids] + [_plain(x) for x in extra]
    colours = [_node_colour(steps[sid].kind, k) for k, sid in enumerate(ids)]
    fig = go.Figure(
        go.Sankey(
            arrangement="snap",
            node={
                "label": labels,
                "color": colours + [CARRIED, ENDED, WAITING],
                "pad": 14,
                "thickness": 14,
                "line": {"color": "#5b6770", "width": 0.5},
                "customdata": whole,
                "hovertemplate": "%{customdata}<br>%{value:,d}<extra></extra>",
            },
            link={"source": source, "target": target, "value": value, "color": colour},
            valueformat=",d",
        )
    )
    fig.update_traces(textfont={"size": 11, "color": "#15191e"})
    height = max(height, 24 * len(ids))
    return _layout(fig, t("dryrun.chart.sankey", lang, title=program.title), lang, height=height)


def _node_colour(kind: StepKind, k: int) -> str:
    if kind is StepKind.MESSAGE:
        return PALETTE[k % len(PALETTE)][0]
    return KIND_STYLE.get(kind, {}).get("fillcolor", "#5b6770")


def weekly_figure(
    weekly: Weekly, names: Mapping[str, str], lang: str, *, height: int = 360
) -> go.Figure:
    """Messages per channel per week, stacked."""
    fig = go.Figure()
    for k, channel in enumerate(weekly.channels):
        fig.add_trace(
            go.Bar(
                x=list(weekly.weeks),
                y=weekly.counts[k].tolist(),
                name=_plain(names.get(channel, channel) or t("dryrun.chart.no_channel", lang)),
                marker_color=PALETTE[k % len(PALETTE)][0],
            )
        )
    fig.update_layout(
        barmode="stack", legend={"orientation": "h", "y": -0.2, "x": 0}, hovermode="x unified"
    )
    fig.update_xaxes(title=t("dryrun.chart.week", lang), gridcolor="#e6e9ed")
    fig.update_yaxes(title=t("dryrun.chart.messages", lang), gridcolor="#e6e9ed")
    return _layout(fig, t("dryrun.chart.weekly", lang), lang, height=height)


def pressure_calendar_figure(
    report: PressureReport, names: Mapping[str, str], lang: str, *, height: int = 300
) -> go.Figure:
    """A day × channel heat map: subscribers above the channel's cap that day."""
    channels = [f.channel for f in report.findings if f.cap is not None]
    days = [report.day0 + timedelta(days=d) for d in range(report.days)]
    z = [report.calendar[c].tolist() for c in channels]
    rows = [
        _plain(f"{names.get(c, c)} ≤ {f.cap}")
        for c in channels
        for f in report.findings
        if f.channel == c
    ]
    top = max((max(row, default=0) for row in z), default=0)
    step = max(1, -(-top // 4))  # whole subscribers on the colour bar, four steps at most
    fig = go.Figure(
        go.Heatmap(
            x=days,
            y=rows,
            z=z,
            colorscale=OVER_SCALE,
            zmin=0,
            zmax=max(1, top),
            xgap=1 if report.days <= 120 else 0,  # a year of 1-px gaps would hide the days
            ygap=2,
            hovertemplate=t("dryrun.chart.calendar_hover", lang) + "<extra></extra>",
            colorbar={
                "title": {"text": t("dryrun.chart.over", lang), "font": {"size": 12}},
                "tickmode": "linear",
                "tick0": 0,
                "dtick": step,
            },
        )
    )
    fig.update_xaxes(title=t("dryrun.chart.day", lang))
    title = t("dryrun.chart.calendar", lang, window=report.window)
    return _layout(fig, title, lang, height=max(height, 120 + 40 * len(channels)))
