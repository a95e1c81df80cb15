"""The deck's emotion curve (a native line chart: the current and the target journey) and the
program diagrams (pictures drawn by the renderer, split over slides when too small to read)."""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from typing import Any, cast

from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import (
    XL_CHART_TYPE,
    XL_LABEL_POSITION,
    XL_LEGEND_POSITION,
    XL_MARKER_STYLE,
    XL_TICK_LABEL_POSITION,
)
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.parts.image import Image
from pptx.util import Emu, Pt

from journeys.board.analysis import EmotionPoint, emotion_curve
from journeys.contract.model import FindingType, Journey, Program
from journeys.export.deck_slides import Slides
from journeys.export.deck_style import (
    BODY_BOTTOM,
    BODY_TOP,
    BODY_W,
    FONT,
    INK,
    MARGIN,
    MUTED,
    RULE,
    WHITE,
    hex_of,
)
from journeys.export.deck_text import clean
from journeys.i18n import enum_label, t
from journeys.programs.diagrams import detailed_dot, macro_dot
from journeys.render import engine as rendering
from journeys.report.style import MARKERS

SCORE_FORMAT = '+0;-0;"0"'
MIN_SCALE = 0.45  # a diagram shown smaller is split over slides (its text would be unreadable)
MAX_SCALE = 1.0  # drawn at 96 dpi: larger, it would blur
OVERLAP = Pt(18)


def curve_slide(slides: Slides, journey: Journey, current: Journey | None, lang: str) -> None:
    """The emotion curve as a line chart: one series, or the current (dashed, grey) and the
    target journey's for a target compared with its current journey."""
    slide = slides.add(t("chart.emotion_title", lang), t("deck.curve_intro", lang))
    points = emotion_curve(journey)
    data = CategoryChartData(number_format=SCORE_FORMAT)
    data.categories = [clean(("★ " if p.key else "") + p.label) for p in points]
    if current is not None:
        before = {p.moment: p.score for p in emotion_curve(current)}
        data.add_series(
            clean(t("compare.curve_current", lang)), [before.get(p.moment) for p in points]
        )
        data.add_series(clean(t("compare.curve_target", lang)), [p.score for p in points])
    else:
        name = enum_label("report.state", journey.state, lang)
        data.add_series(clean(name), [p.score for p in points])
    frame: Any = slide.shapes.add_chart(
        XL_CHART_TYPE.LINE_MARKERS,
        Emu(MARGIN),
        Emu(BODY_TOP),
        Emu(BODY_W),
        Emu(BODY_BOTTOM - BODY_TOP),
        cast(Any, data),
    )
    chart = frame.chart
    chart.font.name, chart.font.size = FONT, Pt(12)
    chart.font.color.rgb = RGBColor.from_string(INK)
    chart.has_title = False
    chart.has_legend = current is not None
    if chart.has_legend:
        chart.legend.position = XL_LEGEND_POSITION.TOP
        chart.legend.include_in_layout = False
    _axes(chart)
    *others, main = chart.plots[0].series
    for series in others:
        _line(series, MUTED, dashed=True)
        series.marker.format.fill.solid()
        series.marker.format.fill.fore_color.rgb = RGBColor.from_string(WHITE)
        series.marker.format.line.color.rgb = RGBColor.from_string(MUTED)
    _line(main, INK, dashed=False)
    _scored(main, points)


def _axes(chart: object) -> None:
    values = chart.value_axis  # type: ignore[attr-defined]
    values.has_major_gridlines = True
    values.major_gridlines.format.line.color.rgb = RGBColor.from_string(RULE)
    values.format.line.fill.background()
    values.tick_labels.number_format = SCORE_FORMAT
    values.tick_labels.number_format_is_linked = False
    values.tick_labels.font.color.rgb = RGBColor.from_string(MUTED)
    values.major_unit = max(1, math.ceil(_span(chart) / 8))
    categories = chart.category_axis  # type: ignore[attr-defined]
    categories.tick_label_position = XL_TICK_LABEL_POSITION.LOW
    categories.format.line.color.rgb = RGBColor.from_string(MUTED)
    categories.tick_labels.font.size = Pt(11)


def _span(chart: object) -> int:
    values = [v for s in chart.plots[0].series for v in s.values if v is not None]  # type: ignore[attr-defined]
    return int(max([1, *values]) - min([-1, *values]))


def _line(series: object, colour: str, *, dashed: bool) -> None:
    line = series.format.line  # type: ignore[attr-defined]
    line.color.rgb = RGBColor.from_string(colour)
    line.width = Pt(2 if dashed else 2.75)
    line.dash_style = MSO_LINE_DASH_STYLE.DASH if dashed else MSO_LINE_DASH_STYLE.SOLID
    series.smooth = False  # type: ignore[attr-defined]
    series.marker.style = XL_MARKER_STYLE.CIRCLE  # type: ignore[attr-defined]
    series.marker.size = 7 if dashed else 10  # type: ignore[attr-defined]


def _scored(series: object, points: list[EmotionPoint]) -> None:
    """Points coloured as the PDF's (delight green above zero, break red below), scores shown."""
    labels = series.data_labels  # type: ignore[attr-defined]
    labels.show_value = True
    labels.number_format = SCORE_FORMAT
    labels.number_format_is_linked = False
    labels.position = XL_LABEL_POSITION.ABOVE
    labels.font.bold = True
    for n, point in enumerate(points):
        kind = FindingType.DELIGHT if point.score > 0 else FindingType.BREAK
        colour = hex_of(MARKERS[kind][1]) if point.score else MUTED
        look = series.points[n].marker.format  # type: ignore[attr-defined]
        look.fill.solid()
        look.fill.fore_color.rgb = RGBColor.from_string(colour)
        look.line.color.rgb = RGBColor.from_string(WHITE)


# -- program diagrams


@dataclass(frozen=True)
class Tiling:
    """How a diagram of `width` × `height` points is shown: at `scale`, on cols × rows slides."""

    scale: float
    cols: int
    rows: int


def tiling(width: float, height: float, room_w: float, room_h: float) -> Tiling:
    """The fewest slides that show the diagram at MIN_SCALE or more, the largest scale then."""
    fit = min(room_w / width, room_h / height, MAX_SCALE)
    if fit >= MIN_SCALE:
        return Tiling(fit, 1, 1)
    overlap = OVERLAP.pt
    for count in range(2, 25):
        shapes = [(c, count // c) for c in range(1, count + 1) if count % c == 0]
        scored = [
            (
                min(
                    (c * (room_w - overlap) + overlap) / width,
                    (r * (room_h - overlap) + overlap) / height,
                    MAX_SCALE,
                ),
                c,
                r,
            )  # fmt: skip
            for c, r in shapes
        ]
        scale, cols, rows = max(scored)
        if scale >= MIN_SCALE:
            return Tiling(scale, cols, rows)
    return Tiling(
        MIN_SCALE,
        math.ceil(width * MIN_SCALE / (room_w - overlap)),
        math.ceil(height * MIN_SCALE / (room_h - overlap)),
    )


def program_slides(
    slides: Slides, program: Program, linked: Journey | None, lang: str, engine: str
) -> None:
    """The macro then the detailed view of a program, each on one slide or tiled."""
    objective = enum_label("diagram.objective", program.objective, lang)
    colon = t("diagram.colon", lang)
    facts = f"{t('term.objective', lang)}{colon}{objective}"
    if program.goal:
        facts += f" · {t('term.goal', lang)}{colon}{program.goal}"
    for view, build in (("macro", macro_dot), ("detailed", detailed_dot)):
        dot = build(program, linked, language=lang, title=False)
        png = rendering.render(dot, "png", engine=engine)  # the Exports page's PNG
        title = f"{program.title} — {t(f'programs.view_{view}', lang)}"
        _diagram(slides, png, title, facts, lang)


def _diagram(slides: Slides, png: bytes, title: str, facts: str, lang: str) -> None:
    """The whole diagram on one slide; when that makes it too small to read, then again in
    parts, each on a slide (one picture, cropped differently)."""
    pixels = Image.from_blob(png).size
    width, height = (n * 72 / rendering.DPI for n in pixels)  # points
    room_w, room_h = Emu(BODY_W).pt, Emu(BODY_BOTTOM - BODY_TOP).pt
    whole = Tiling(min(room_w / width, room_h / height, MAX_SCALE), 1, 1)
    plans = [whole] if whole.scale >= MIN_SCALE else [whole, tiling(width, height, room_w, room_h)]
    for plan in plans:
        _place(slides, io.BytesIO(png), plan, (width, height), title, facts, lang)


def _place(
    slides: Slides,
    png: io.BytesIO,
    plan: Tiling,
    size: tuple[float, float],
    title: str,
    facts: str,
    lang: str,
) -> None:
    shown_w, shown_h = size[0] * plan.scale, size[1] * plan.scale  # points
    overlap = OVERLAP.pt
    step_w = (shown_w - overlap) / plan.cols + overlap if plan.cols > 1 else shown_w
    step_h = (shown_h - overlap) / plan.rows + overlap if plan.rows > 1 else shown_h
    parts = plan.cols * plan.rows
    for r in range(plan.rows):
        for c in range(plan.cols):
            x0, y0 = c * (step_w - overlap), r * (step_h - overlap)
            tw, th = min(step_w, shown_w - x0), min(step_h, shown_h - y0)
            heading = title
            if parts > 1:
                part = r * plan.cols + c + 1
                heading += " — " + t("report.diagram_part", lang, part=part, parts=parts)
            slide = slides.add(heading, facts)
            left = MARGIN + (BODY_W - Pt(tw)) // 2
            png.seek(0)
            picture = slide.shapes.add_picture(png, Emu(left), Emu(BODY_TOP), Pt(tw), Pt(th))
            picture.crop_left, picture.crop_right = x0 / shown_w, 1 - (x0 + tw) / shown_w
            picture.crop_top, picture.crop_bottom = y0 / shown_h, 1 - (y0 + th) / shown_h
            cast(Any, picture._element).nvPicPr.cNvPr.set("descr", clean(heading))  # alt text
