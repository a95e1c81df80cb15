"""Plotly figures of a base's attrition, FR/EN: survival with its band, monthly hazard against
the base rate with the fragile windows shaded, voluntary vs involuntary, survival by segment,
and the cohort retention table. Pure: figures from the analysis, no store, no Streamlit."""

from __future__ import annotations

from html import escape

import numpy  # noqa: F401  (see journeys.board.charts: plotly finds them half imported)
import pandas  # noqa: F401
import plotly.graph_objects as go

from journeys.data.attrition import CohortRow, FragileWindow, LifeTable, SegmentTest
from journeys.i18n import t

SURVIVAL = "#0b5c96"
BAND = "rgba(11, 92, 150, 0.18)"
HAZARD = "#a33a00"
BASE = "#4a525c"
INVOLUNTARY = "#7a3e9d"
SPIKE = "rgba(246, 168, 69, 0.25)"
SEGMENT_COLOURS = ("#0b5c96", "#a33a00", "#2e7d32", "#7a3e9d", "#b8860b", "#00838f", "#5d4037")
RETENTION_SCALE = [[0.0, "#6e2a00"], [0.5, "#f6a845"], [1.0, "#eef5fb"]]


def _plain(text: str) -> str:
    """Plotly reads a few HTML tags in labels; user text must stay text."""
    return escape(text, quote=False)


def _percent(share: float, lang: str) -> str:
    """12,3 % in French, 12.3% in English (plotly's own ticks follow `separators`)."""
    if lang == "fr":
        return f"{share * 100:.1f}".replace(".", ",") + "\u00a0%"
    return f"{share:.1%}"


def _layout(fig: go.Figure, title: str, lang: str, *, height: int, projector: bool) -> go.Figure:
    size = 18 if projector else 13
    fig.update_layout(
        separators=", " if lang == "fr" else ".,",
        title={"text": _plain(title), "x": 0, "xanchor": "left"},
        height=height,
        margin={"l": 10, "r": 10, "t": 56, "b": 10},
        font={"size": size, "family": "Source Sans Pro, DejaVu Sans, sans-serif"},
        paper_bgcolor="white",
        plot_bgcolor="white",
        legend={"orientation": "h", "y": -0.18, "x": 0, "traceorder": "normal"},
        hovermode="x unified",
    )
    fig.update_xaxes(gridcolor="#e6e9ed", zeroline=False, tickfont={"color": "#15191e"})
    fig.update_yaxes(gridcolor="#e6e9ed", zeroline=False, tickfont={"color": "#4a525c"})
    return fig


def survival_figure(
    table: LifeTable, lang: str, *, projector: bool = False, height: int = 380
) -> go.Figure:
    # Everyone is there at the start: the curve begins at 100 % and drops at month 0 by those
    # who left within their first month (tenure 0 months completed), as the hazard shows them.
    months = [0] + [r.month for r in table.rows]
    survival = [1.0] + [r.survival for r in table.rows]
    upper = [1.0] + [r.upper for r in table.rows]
    lower = [1.0] + [r.lower for r in table.rows]
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=months + months[::-1],
            y=upper + lower[::-1],
            fill="toself",
            fillcolor=BAND,
            line={"width": 0},
            hoverinfo="skip",
            name=t("data.chart.band", lang),
        )
    )
    fig.add_trace(
        go.Scatter(
            x=months,
            y=survival,
            mode="lines",
            line={"color": SURVIVAL, "width": 3, "shape": "hv"},
            name=t("data.chart.survival", lang),
            hovertemplate="%{y:.1%}<extra></extra>",
        )
    )
    if table.median is not None:
        fig.add_vline(
            x=table.median,
            line={"color": BASE, "dash": "dot"},
            annotation_text=t("data.chart.median", lang, months=f"{table.median:g}"),
            annotation_position="top right",
        )
    fig.update_yaxes(tickformat=".0%", range=[0, 1.02], title=t("data.chart.still", lang))
    fig.update_xaxes(title=t("data.chart.tenure", lang), dtick=_dtick(len(months) - 1))
    return _layout(
        fig, t("data.chart.survival_title", lang), lang, height=height, projector=projector
    )


def hazard_figure(
    table: LifeTable,
    windows: list[FragileWindow],
    lang: str,
    *,
    projector: bool = False,
    height: int = 340,
) -> go.Figure:
    months = [r.month for r in table.rows]
    fig = go.Figure()
    for window in windows:
        fig.add_vrect(
            x0=window.first - 0.5, x1=window.last + 0.5, fillcolor=SPIKE, line={"width": 0}
        )
    fig.add_trace(
        go.Bar(
            x=months,
            y=[r.hazard - (r.involuntary / r.at_risk if r.at_risk else 0) for r in table.rows],
            marker={"color": HAZARD},
            name=t("data.chart.voluntary", lang),
            hovertemplate="%{y:.1%}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Bar(
            x=months,
            y=[r.involuntary / r.at_risk if r.at_risk else 0 for r in table.rows],
            marker={"color": INVOLUNTARY},
            name=t("data.chart.involuntary", lang),
            hovertemplate="%{y:.1%}<extra></extra>",
        )
    )
    fig.add_hline(
        y=table.base_hazard,
        line={"color": BASE, "dash": "dash"},
        annotation_text=t("data.chart.base_rate", lang, rate=_percent(table.base_hazard, lang)),
        annotation_position="top right",
    )
    fig.update_layout(barmode="stack")
    fig.update_yaxes(tickformat=".0%", title=t("data.chart.hazard_axis", lang))
    fig.update_xaxes(title=t("data.chart.tenure", lang), dtick=_dtick(len(months)))
    return _layout(
        fig, t("data.chart.hazard_title", lang), lang, height=height, projector=projector
    )


def segments_figure(
    tables: dict[str, LifeTable],
    test: SegmentTest | None,
    column: str,
    lang: str,
    *,
    projector: bool = False,
    height: int = 380,
) -> go.Figure:
    fig = go.Figure()
    for index, (value, table) in enumerate(tables.items()):
        fig.add_trace(
            go.Scatter(
                x=[r.month for r in table.rows],
                y=[r.survival for r in table.rows],
                mode="lines",
                line={"color": SEGMENT_COLOURS[index % len(SEGMENT_COLOURS)], "shape": "hv"},
                name=_plain(value or t("data.chart.blank", lang)),
                hovertemplate="%{y:.1%}<extra></extra>",
            )
        )
    title = t("data.chart.segments_title", lang, column=column)
    if test is not None:
        title += " — " + t("data.chart.logrank", lang, p=_p_value(test.p_value, lang))
    fig.update_yaxes(tickformat=".0%", range=[0, 1.02], title=t("data.chart.still", lang))
    fig.update_xaxes(title=t("data.chart.tenure", lang))
    return _layout(fig, title, lang, height=height, projector=projector)


def cohort_figure(
    rows: list[CohortRow], lang: str, *, projector: bool = False, height: int | None = None
) -> go.Figure:
    months = list(range(len(rows[0].retention))) if rows else []
    z = [list(row.retention) for row in rows]
    size = height or max(300, (22 if len(rows) > 24 else 28) * len(rows) + 150)
    # Bare numbers in the cells (the colour bar says they are %): they fit a 1280 px screen.
    text = [["" if v is None else f"{v * 100:.0f}" for v in row.retention] for row in rows]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=months,
            y=[f"{row.cohort} ({row.size})" for row in rows],
            text=text,
            texttemplate="%{text}",
            colorscale=RETENTION_SCALE,
            zmin=0,
            zmax=1,
            colorbar={
                "tickformat": ".0%",
                "thickness": 12,
                "len": min(1.0, 400 / size),
                "y": 1,
                "yanchor": "top",
            },
            hovertemplate="%{y} · %{x}: %{z:.1%}<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed", title=t("data.chart.cohort_axis", lang))
    # The tenure months on top, next to the title: a long table is read from its head down.
    fig.update_xaxes(
        title=t("data.chart.tenure", lang),
        side="top",
        dtick=1 if len(months) <= 25 else 3,
        showgrid=False,
    )
    fig.update_traces(textfont={"size": 11 if len(rows) > 24 else 12})
    fig = _layout(fig, t("data.chart.cohort_title", lang), lang, height=size, projector=projector)
    fig.update_layout(margin={"t": 110}, hovermode="closest")
    return fig


def _dtick(count: int) -> int:
    return 1 if count <= 13 else 3 if count <= 40 else 6


def _p_value(p: float, lang: str) -> str:
    text = "< 0.001" if p < 0.001 else f"{p:.3f}"
    return text.replace(".", ",") if lang == "fr" else text
