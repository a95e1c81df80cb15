"""The emotion curve of a journey, drawn with reportlab graphics."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from reportlab.graphics.shapes import Circle, Drawing, Group, Line, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from journeys.board.analysis import EmotionPoint
from journeys.contract.model import FindingType
from journeys.report.style import INK, LIGHT, MARKERS, MUTED, RULE


def _wrap(text: str, font: str, size: float, width: float, max_lines: int = 3) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and stringWidth(f"{lines[-1]} {word}", font, size) <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][:-1] + "…" if len(lines[-1]) > 1 else "…"
    return lines


def axis_ticks(low: int, high: int) -> list[int]:
    """Return round ticks (a step of 1, 2 or 5 × 10^n), at most about eight, that include 0
    and cover low..high."""
    wanted = max(1.0, (high - low) / 6)
    power = 10 ** max(0, math.floor(math.log10(wanted)))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= wanted)
    first, last = math.floor(low / step) * step, math.ceil(high / step) * step
    return list(range(first, last + 1, step))


def curve_drawing(
    points: Sequence[EmotionPoint],
    width: float,
    height: float,
    font: str,
    size: float = 7.5,
    *,
    compared: Sequence[EmotionPoint] = (),
    legend: tuple[str, str] = ("", ""),
) -> Drawing:
    """Return the curve as a Drawing of `width` × `height` points, text at `size` points.

    `compared`, the current journey's curve when `points` are its target's, is drawn dashed
    and grey at the same moments (matched by moment id); `legend` names both (current, target).
    """
    drawing = Drawing(width, height)
    drawing.initialFontName = font  # the default, Helvetica, would be declared unembedded
    if not points:
        return drawing
    rotate = len(points) > 12
    before = {p.moment: p for p in compared}
    left, right, top, pad = 4 * size, 10.0, 12.0 + (2.4 * size if before else 0), 2.2 * size
    bottom = 12 * size if rotate else 6.5 * size
    # the target's bars and both lines (the current journey's bars are not drawn)
    scores = [p.score for p in before.values()]
    ticks = axis_ticks(
        min(-1, *(-p.pain for p in points), *scores), max(1, *(p.delight for p in points), *scores)
    )
    low, high = ticks[0], ticks[-1]
    span = high - low
    step = (width - left - right) / len(points)

    def y(value: float) -> float:
        return bottom + pad + (value - low) / span * (height - bottom - top - 2 * pad)

    for tick in ticks:
        drawing.add(
            Line(
                left,
                y(tick),
                width - right,
                y(tick),
                strokeColor=RULE,
                strokeWidth=0.8 if tick == 0 else 0.4,
            )
        )
        drawing.add(
            String(
                left - 5,
                y(tick) - size / 3,
                f"{tick:+d}" if tick else "0",
                fontName=font,
                fontSize=size,
                fillColor=MUTED,
                textAnchor="end",
            )
        )
    bar = min(step * 0.45, 40)
    xs = [left + (i + 0.5) * step for i in range(len(points))]
    for x, point in zip(xs, points, strict=True):
        if point.delight:
            drawing.add(
                Rect(
                    x - bar / 2,
                    y(0),
                    bar,
                    y(point.delight) - y(0),
                    strokeColor=None,
                    fillColor=LIGHT[FindingType.DELIGHT],
                )
            )
        if point.pain:
            drawing.add(
                Rect(
                    x - bar / 2,
                    y(-point.pain),
                    bar,
                    y(0) - y(-point.pain),
                    strokeColor=None,
                    fillColor=LIGHT[FindingType.BREAK],
                )
            )
    if before:
        _compared_line(drawing, list(zip(xs, points, strict=True)), before, y, font, size)
        _legend(drawing, width - right, height - 1.4 * size, legend, font, size)
    coords = [c for x, p in zip(xs, points, strict=True) for c in (x, y(p.score))]
    drawing.add(PolyLine(coords, strokeColor=INK, strokeWidth=1.8))
    for x, point in zip(xs, points, strict=True):
        kind = FindingType.DELIGHT if point.score > 0 else FindingType.BREAK
        colour = colors.HexColor(MARKERS[kind][1]) if point.score else MUTED
        drawing.add(Circle(x, y(point.score), 3.2, fillColor=colour, strokeColor=colors.white))
        offset = 0.9 * size if point.score >= 0 else -1.6 * size
        drawing.add(
            String(
                x,
                y(point.score) + offset,
                f"{point.score:+d}" if point.score else "0",
                fontName=font,
                fontSize=size * 1.1,
                fillColor=colour,
                textAnchor="middle",
            )
        )
        label = ("★ " if point.key else "") + point.label
        drawing.add(_axis_label(label, x, bottom - 1.3 * size, step, font, rotate, size))
    return drawing


def _compared_line(
    drawing: Drawing,
    placed: list[tuple[float, EmotionPoint]],
    before: dict[str, EmotionPoint],
    y: Callable[[float], float],
    font: str,
    size: float,
) -> None:
    """The current curve under the target's: dashed, grey, its scores left of its points."""
    shown = [(x, before[p.moment], p) for x, p in placed if p.moment in before]
    coords = [c for x, old, _ in shown for c in (x, y(old.score))]
    drawing.add(PolyLine(coords, strokeColor=MUTED, strokeWidth=1.4, strokeDashArray=[4, 3]))
    for x, old, new in shown:
        drawing.add(Circle(x, y(old.score), 2.4, fillColor=colors.white, strokeColor=MUTED))
        if old.score != new.score:
            drawing.add(
                String(
                    x - 5,
                    y(old.score) - size / 3,
                    f"{old.score:+d}" if old.score else "0",
                    fontName=font,
                    fontSize=size,
                    fillColor=MUTED,
                    textAnchor="end",
                )
            )


def _legend(
    drawing: Drawing, right: float, y: float, names: tuple[str, str], font: str, size: float
) -> None:
    """`- - current   —— target`, right-aligned at the top of the drawing."""
    x = right
    for name, colour, dash, width in ((names[1], INK, None, 1.8), (names[0], MUTED, [4, 3], 1.4)):
        x -= stringWidth(name, font, size)
        drawing.add(String(x, y, name, fontName=font, fontSize=size, fillColor=INK))
        drawing.add(
            Line(
                x - 26,
                y + size / 3,
                x - 4,
                y + size / 3,
                strokeColor=colour,
                strokeWidth=width,
                strokeDashArray=dash,
            )
        )
        x -= 26 + 2 * size


def _axis_label(
    text: str, x: float, y: float, step: float, font: str, rotate: bool, size: float
) -> Group:
    group = Group()
    if rotate:
        (line,) = _wrap(text, font, size * 0.9, 14 * size, max_lines=1) or [""]
        group.add(
            String(0, 0, line, fontName=font, fontSize=size * 0.9, fillColor=INK, textAnchor="end")
        )
        group.transform = (0.766, 0.643, -0.643, 0.766, x + 2, y)  # 40° counter-clockwise
        return group
    for n, line in enumerate(_wrap(text, font, size, step - 4)):
        group.add(
            String(
                x,
                y - n * size * 1.2,
                line,
                fontName=font,
                fontSize=size,
                fillColor=INK,
                textAnchor="middle",
            )
        )
    return group
