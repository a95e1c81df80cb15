"""Plotly figures of a journey: the emotion curve and the heat map of irritants; pure."""

from __future__ import annotations

from html import escape

# Plotly looks for numpy and pandas in sys.modules without importing them. While another session's
# thread is importing them (st.dataframe does, on the library page), plotly finds them half made
# and fails ("has no attribute 'Series'"). Importing them here waits for such an import to end.
import numpy  # noqa: F401
import pandas  # noqa: F401
import plotly.graph_objects as go

from journeys.board.analysis import emotion_curve, pain_matrix
from journeys.contract.editing import short_label
from journeys.contract.model import Journey
from journeys.i18n import t

DELIGHT = "#0b5c96"
PAIN = "#a33a00"
NEUTRAL = "#4a525c"
# Colour-blind safe sequential scale (light yellow → dark brown), readable on a projector.
PAIN_SCALE = [
    [0.0, "#fbf7ee"],
    [0.25, "#fde3a7"],
    [0.5, "#f6a845"],
    [0.75, "#cf5c10"],
    [1.0, "#6e2a00"],
]


def _plain(text: str) -> str:
    """Plotly reads a few HTML tags in labels; user text must stay text."""
    return escape(text, quote=False)


def _wrap(text: str, width: int = 16) -> str:
    """Break a label on spaces into lines of about `width` characters (plotly's <br>)."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


def _base_layout(fig: go.Figure, *, height: int, projector: bool) -> go.Figure:
    size = 18 if projector else 13
    fig.update_layout(
        height=height,
        margin={"l": 10, "r": 10, "t": 64, "b": 10},
        font={"size": size, "family": "Source Sans Pro, DejaVu Sans, sans-serif"},
        paper_bgcolor="white",
        plot_bgcolor="white",
        showlegend=False,
    )
    fig.update_xaxes(tickfont={"color": "#15191e"})
    fig.update_yaxes(tickfont={"color": "#4a525c"})
    return fig


def emotion_figure(
    journey: Journey,
    *,
    lang: str = "fr",
    projector: bool = False,
    height: int = 260,
    narrow: bool = False,
) -> go.Figure:
    """Return the emotion curve: per moment, delights minus irritants and breaks (intensities).

    Points are shaped as well as coloured (▲ above zero, ▼ below, ● at zero). `narrow`: for a
    phone, one short slanted line per moment (the whole name in the hover).
    """
    points = emotion_curve(journey)
    names = [("★ " if p.key else "") + p.label for p in points]
    # A board is 800 px wide on a laptop's projector: shorter lines as moments add up, and
    # slanted labels beyond what lines can hold.
    slanted = narrow or len(points) > 14
    if narrow:
        labels = [_plain(short_label(name, 18)) for name in names]
    else:
        width = 60 if slanted else (16 if len(points) <= 6 else 10)
        labels = [_wrap(_plain(name), width) for name in names]
    scores = [p.score for p in points]
    colours = [DELIGHT if s > 0 else PAIN if s < 0 else NEUTRAL for s in scores]
    symbols = ["triangle-up" if s > 0 else "triangle-down" if s < 0 else "circle" for s in scores]
    hover = [
        t(
            "chart.emotion_hover",
            lang,
            moment=_plain(p.label),
            score=p.score,
            delight=p.delight,
            pain=p.pain,
        )
        for p in points
    ]
    fig = go.Figure(
        go.Scatter(
            x=list(range(len(points))),
            y=scores,
            mode="lines+markers+text",
            line={"color": NEUTRAL, "width": 3, "shape": "linear"},
            marker={
                "color": colours,
                "symbol": symbols,
                "size": 16 if projector else 12,
                "line": {"color": "white", "width": 1},
            },
            text=[f"{s:+d}" if s else "0" for s in scores],
            textposition=["top center" if s >= 0 else "bottom center" for s in scores],
            cliponaxis=False,
            hovertext=hover,
            hoverinfo="text",
        )
    )
    fig.add_hline(y=0, line={"color": "#9aa3ad", "width": 1, "dash": "dot"})
    low, high = min([0, *scores]), max([0, *scores])
    pad = max(1, (high - low) * 0.25)
    fig.update_xaxes(
        tickvals=list(range(len(points))),
        ticktext=labels,
        showgrid=False,
        # Unset, plotly slants the wrapped labels only where they would overlap.
        tickangle=-40 if slanted else None,
        range=[-0.5, len(points) - 0.5],
    )
    fig.update_yaxes(range=[low - pad, high + pad], zeroline=False, gridcolor="#eef1f5")
    subtitle = t("chart.emotion_axis", lang)
    fig.update_layout(
        title={
            "text": t("chart.emotion_title", lang),
            "x": 0,
            "font": {"size": 16},
            "subtitle": {"text": _wrap(subtitle, 44) if narrow else subtitle},
        }
    )
    fig = _base_layout(fig, height=height, projector=projector)
    if narrow:
        # The subtitle on two lines; slanted labels reach left of their moment (the first one,
        # in too narrow a margin, plotly would drop).
        fig.update_layout(margin={"t": 84, "l": 72})
    return fig


def irritant_heatmap(
    journey: Journey, *, lang: str = "fr", projector: bool = False, height: int | None = None
) -> go.Figure:
    """Return the heat map of irritant and break intensities by channel (rows) × moment."""
    matrix = pain_matrix(journey)
    moments = [("★ " if m.key else "") + _plain(m.label) for m in journey.moments]
    channels = [_plain(c.label) for c in journey.channels]
    # Positions, not labels, on the axes: two moments may share a label.
    custom = [[[m, c] for m in moments] for c in channels]
    fig = go.Figure(
        go.Heatmap(
            z=matrix,
            x=list(range(len(moments))),
            y=list(range(len(channels))),
            customdata=custom,
            colorscale=PAIN_SCALE,
            zmin=0,
            text=[[str(v) if v else "" for v in row] for row in matrix],
            texttemplate="%{text}",
            hovertemplate=t("chart.heat_hover", lang) + "<extra></extra>",
            xgap=2,
            ygap=2,
            colorbar={"title": {"text": t("chart.heat_scale", lang)}},
        )
    )
    fig.update_xaxes(
        tickvals=list(range(len(moments))), ticktext=[_wrap(m) for m in moments], tickangle=0
    )
    fig.update_yaxes(tickvals=list(range(len(channels))), ticktext=channels)
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(title={"text": t("chart.heat_title", lang), "x": 0, "font": {"size": 16}})
    rows = max(1, len(channels))
    return _base_layout(fig, height=height or 120 + 44 * rows, projector=projector)
