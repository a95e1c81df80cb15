"""Plotly figures of what visits say and of the as-is → to-be gap; pure, every text escaped."""

from __future__ import annotations

import math

import plotly.graph_objects as go

from journeys.board.analysis import EmotionPoint
from journeys.board.charts import DELIGHT, NEUTRAL, PAIN, _base_layout, _plain, _wrap
from journeys.board.compare import JourneyGap
from journeys.contract.model import Journey
from journeys.i18n import t
from journeys.visits.report import VisitsReport

# Low ratings in burnt orange, high ones in blue (colour-blind safe, matches the board).
RATING_SCALE = [
    [0.0, "#8a3200"],
    [0.25, "#e69f00"],
    [0.5, "#f4f1ea"],
    [0.75, "#6fa8d6"],
    [1.0, "#0b5c96"],
]


def ratings_heatmap(
    journey: Journey, report: VisitsReport, *, lang: str = "fr", height: int | None = None
) -> go.Figure:
    """Return the heat map of mean ratings (1–5) by channel (rows) × moment (columns).

    Cells without a rating stay blank; each rated cell shows its mean and how many ratings.
    """
    means = report.rating_matrix(journey)
    counts = report.rating_counts(journey)
    moments = [("★ " if m.key else "") + _plain(m.label) for m in journey.moments]
    channels = [_plain(c.label) for c in journey.channels]
    z = [[math.nan if v is None else v for v in row] for row in means]
    text = [
        [f"{v:.1f}<br>n={n}" if v is not None else "" for v, n in zip(row, n_row, strict=True)]
        for row, n_row in zip(means, counts, strict=True)
    ]
    custom = [
        [[m, c, n] for m, n in zip(moments, n_row, strict=True)]
        for c, n_row in zip(channels, counts, strict=True)
    ]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=list(range(len(moments))),
            y=list(range(len(channels))),
            zmin=1,
            zmax=5,
            colorscale=RATING_SCALE,
            text=text,
            texttemplate="%{text}",
            customdata=custom,
            hovertemplate=t("visits.chart_rating_hover", lang) + "<extra></extra>",
            hoverongaps=False,
            xgap=2,
            ygap=2,
            colorbar={
                "title": {"text": t("visits.chart_rating_scale", lang)},
                "tickvals": [1, 3, 5],
            },
        )
    )
    fig.update_xaxes(
        tickvals=list(range(len(moments))),
        ticktext=[_wrap(m, 11) for m in moments],
        tickangle=0,
        tickfont={"size": 11},
        showgrid=False,
        zeroline=False,
    )
    fig.update_yaxes(
        tickvals=list(range(len(channels))),
        ticktext=channels,
        autorange="reversed",
        showgrid=False,
        zeroline=False,
    )
    fig.update_layout(
        title={"text": t("visits.chart_rating_title", lang), "x": 0, "font": {"size": 16}}
    )
    rows = max(1, len(channels))
    _base_layout(fig, height=height or 150 + 46 * rows, projector=False)
    fig.update_layout(plot_bgcolor="#eef1f5")  # cells no one rated stay grey, not blank
    return fig


def _curve_trace(
    points: tuple[EmotionPoint, ...], order: dict[str, int], name: str, colour: str, dash: str
) -> go.Scatter:
    return go.Scatter(
        x=[order[p.moment] for p in points],
        y=[p.score for p in points],
        name=name,
        mode="lines+markers",
        line={"color": colour, "width": 3, "dash": dash},
        marker={"size": 11, "symbol": "circle" if dash == "solid" else "diamond", "color": colour},
        hovertext=[f"{_plain(p.label)}<br>{name} : {p.score:+d}" for p in points],
        hoverinfo="text",
    )


def gap_curves(gap: JourneyGap, *, lang: str = "fr", height: int = 320) -> go.Figure:
    """Return the emotion curves of the current and the target journey on one chart.

    Moments follow the target's order, moments only in the current journey after their
    predecessor. The current curve is dashed and grey, the target's solid and blue.
    """
    labels: dict[str, EmotionPoint] = {}
    for point in (*gap.target_curve, *gap.current_curve):
        labels.setdefault(point.moment, point)
    ordered = [p.moment for p in gap.target_curve]
    for index, point in enumerate(gap.current_curve):
        if point.moment not in ordered:
            previous = gap.current_curve[index - 1].moment if index else None
            ordered.insert(ordered.index(previous) + 1 if previous in ordered else 0, point.moment)
    order = {m: i for i, m in enumerate(ordered)}
    fig = go.Figure(
        [
            _curve_trace(
                gap.current_curve, order, t("compare.curve_current", lang), NEUTRAL, "dot"
            ),
            _curve_trace(
                gap.target_curve, order, t("compare.curve_target", lang), DELIGHT, "solid"
            ),
        ]
    )
    fig.add_hline(y=0, line={"color": PAIN, "width": 1, "dash": "dot"})
    ticks = [_wrap(("★ " if labels[m].key else "") + _plain(labels[m].label), 11) for m in ordered]
    fig.update_xaxes(
        tickvals=list(range(len(ordered))),
        ticktext=ticks,
        tickangle=0,
        showgrid=False,
        tickfont={"size": 11},
    )
    fig.update_yaxes(gridcolor="#eef1f5", zeroline=False)
    fig.update_layout(
        title={
            "text": t("compare.curves_title", lang),
            "x": 0,
            "font": {"size": 16},
            "subtitle": {"text": t("chart.emotion_axis", lang)},
        }
    )
    _base_layout(fig, height=height, projector=False)
    fig.update_layout(
        showlegend=True,
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1},
    )
    return fig
