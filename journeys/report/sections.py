"""Findings tables, program diagrams and the optional as-is → to-be gap, as flowables."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from reportlab.graphics import renderPDF
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from journeys.contract.model import FindingType, Journey, JourneyState, Program
from journeys.i18n import enum_label, t
from journeys.report.board_table import SEVERITY
from journeys.report.style import CHANNEL_BG, HEADER_BG, MARKERS, RULE, Sheet, esc

MIN_SCALE = 0.45  # below this a diagram is tiled over several pages rather than shrunk
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f\ufffe\uffff]")


def plain(text: object, font: str, size: float, width: float) -> str:
    """Text wrapped to `width` for a plain table cell (no markup, far faster than Paragraph)."""
    lines: list[str] = []
    for paragraph in _CONTROL.sub(" ", str(text or "")).splitlines() or [""]:
        lines += simpleSplit(paragraph, font, size, width) or [""]
    return "\n".join(lines)


def findings_flowables(
    journey: Journey, sh: Sheet, lang: str, *, with_gap: bool = False
) -> list[Flowable]:
    """Problems (breaks, irritants) then delights, each strongest first, with improvement axes
    (a target's resolved problems and their axes are in the gap section, `with_gap`)."""
    moment_at = {m.id: i for i, m in enumerate(journey.moments)}
    moments = {m.id: m.label for m in journey.moments}
    channels = {c.id: c.label for c in journey.channels}
    found = [
        (tp, f, n)
        for n, (tp, f) in enumerate((tp, f) for tp in journey.touchpoints for f in tp.findings)
    ]
    found.sort(
        key=lambda item: (
            -item[1].intensity,
            SEVERITY.index(item[1].type),
            moment_at.get(item[0].moment, 0),
            item[2],
        )
    )
    target = with_gap and journey.state is JourneyState.TARGET
    intro = t("report.problems_intro_target" if target else "report.problems_intro", lang)
    out: list[Flowable] = [
        Paragraph(esc(t("report.problems", lang)), sh.styles["h1"]),
        Paragraph(esc(intro), sh.styles["small"]),
        Spacer(1, 3 * mm),
    ]
    problems = [(tp, f) for tp, f, _ in found if f.type is not FindingType.DELIGHT]
    delights = [(tp, f) for tp, f, _ in found if f.type is FindingType.DELIGHT]
    for title, rows in ((None, problems), (t("report.delights_title", lang), delights)):
        if title:
            out += [
                CondPageBreak(40 * mm),
                Spacer(1, 5 * mm),
                Paragraph(esc(title), sh.styles["h2"]),
            ]
        if not rows:
            out.append(Paragraph(esc(t("report.none", lang)), sh.styles["body"]))
            continue
        out.append(_findings_table(rows, moments, channels, sh, lang))
    return out


def _findings_table(
    rows: Sequence[tuple[Any, Any]],
    moments: dict[str, str],
    channels: dict[str, str],
    sh: Sheet,
    lang: str,
) -> Table:
    font, bold = "DejaVuSans", "DejaVuSans-Bold"
    size = 7.8 * sh.scale
    # a column empty on every row (a derived target's) says nothing: its room goes to the text
    axes = any((f.improvement or "").strip() for _, f in rows)
    shares = (0.05, 0.14, 0.2, 0.33, 0.28) if axes else (0.05, 0.14, 0.2, 0.61)
    widths = [sh.frame_width * share for share in shares]
    fit = [w - 8 for w in widths]
    head = [
        t("report.intensity", lang),
        t("report.moment", lang),
        f"{t('term.channel', lang)} · {t('term.touchpoint', lang)}",
        t("term.finding", lang),
        t("term.improvement", lang),
    ][: len(shares)]
    data: list[list[str]] = [[plain(h, bold, size, w) for h, w in zip(head, fit, strict=True)]]
    colours = []
    for r, (tp, f) in enumerate(rows, start=1):
        symbol, colour = MARKERS[f.type]
        source = enum_label("report.source", f.source, lang)
        data.append(
            [
                f"{symbol}{f.intensity}",
                plain(moments.get(tp.moment, tp.moment), font, size, fit[1]),
                plain(f"{channels.get(tp.channel, tp.channel)} · {tp.label}", font, size, fit[2]),
                plain(f"{f.text}\n({source})", font, size, fit[3]),
                *([plain(f.improvement or "—", font, size, fit[4])] if axes else []),
            ]
        )
        colours.append(("TEXTCOLOR", (0, r), (0, r), colour))
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), font, size, size * 1.25),
                ("FONT", (0, 0), (-1, 0), bold, size, size * 1.25),
                ("BACKGROUND", (0, 0), (-1, 0), HEADER_BG),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("FONT", (0, 1), (0, -1), bold, size * 1.1, size * 1.3),
                *colours,
            ]
        )
    )
    return table


class DiagramTile(Flowable):
    """One page-sized window on a scaled Drawing (the whole of it when it fits)."""

    def __init__(self, drawing: Any, scale: float, window: tuple[float, float, float, float]):
        super().__init__()
        self.drawing, self.scale = drawing, scale
        self.x0, self.y0, self.width, self.height = window

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        path = canvas.beginPath()
        path.rect(0, 0, self.width, self.height)
        canvas.clipPath(path, stroke=0, fill=0)
        canvas.translate(-self.x0, -self.y0)
        canvas.scale(self.scale, self.scale)
        renderPDF.draw(self.drawing, canvas, 0, 0)
        canvas.restoreState()


def diagram_flowables(
    drawing: Any, width: float, height: float, title: str, sh: Sheet, lang: str
) -> list[Flowable]:
    """The diagram scaled to fit `width` × `height`, or tiled over pages when that would
    make its text too small to read; each part is titled."""
    dw, dh = float(drawing.width), float(drawing.height)
    fit = min(width / dw, height / dh, 1.0)
    scale = fit if fit >= MIN_SCALE else max(MIN_SCALE, min(height / dh, 1.0))
    overlap = 24.0
    sw, sh_ = dw * scale, dh * scale
    cols = 1 if sw <= width else math.ceil((sw - overlap) / (width - overlap))
    rows = 1 if sh_ <= height else math.ceil((sh_ - overlap) / (height - overlap))
    out: list[Flowable] = []
    for r in range(rows):
        for c in range(cols):
            part = r * cols + c + 1
            if part > 1:
                out.append(PageBreak())
            heading = title
            if rows * cols > 1:
                heading += " — " + t("report.diagram_part", lang, part=part, parts=rows * cols)
            out.append(Paragraph(esc(heading), sh.styles["h2"]))
            x0 = min(c * (width - overlap), max(0.0, sw - width))
            tile_h = min(height, sh_)
            y0 = max(0.0, sh_ - tile_h - r * (height - overlap))  # top rows first
            out.append(DiagramTile(drawing, scale, (x0, y0, min(width, sw), tile_h)))
    return out


def program_header(program: Program, sh: Sheet, lang: str, objective: str) -> list[Flowable]:
    """The program's title, objective, goal and description."""
    st = sh.styles
    facts = f"<b>{esc(t('term.objective', lang))}</b> : {esc(objective)}"
    if program.goal:
        facts += f"   ·   <b>{esc(t('term.goal', lang))}</b> : {esc(program.goal)}"
    out: list[Flowable] = [
        Paragraph(esc(t("term.program", lang)).upper(), st["label"]),
        Spacer(1, 1.5 * mm),
        Paragraph(esc(program.title), st["h1"]),
        Paragraph(facts, st["body"]),
    ]
    if program.description:
        out.append(Paragraph(esc(program.description), st["small"]))
    return out


@dataclass(frozen=True)
class GapLine:
    """One change at a moment: a problem resolved (and by what), remaining or new; a touchpoint
    added, removed or changed. `kind` and `intensity` mark a finding; `state` is in words."""

    where: str
    text: str
    state: str
    improvement: str = ""
    kind: FindingType | None = None
    intensity: int = 0


@dataclass(frozen=True)
class GapMoment:
    """The changes at one moment of the board, with their count in words."""

    label: str
    key: bool = False
    summary: str = ""
    lines: tuple[GapLine, ...] = ()


@dataclass(frozen=True)
class GapReport:
    """The optional gap section: what the target is compared with, a summary, the changes by
    moment; `current`, the journey compared with, adds its curve and its programs' words."""

    compared_with: str = ""
    summary: tuple[str, ...] = ()
    moments: tuple[GapMoment, ...] = field(default_factory=tuple)
    current: Journey | None = None

    @classmethod
    def coerce(cls, value: GapReport | Mapping[str, Any]) -> GapReport:
        """Accept a GapReport or a plain mapping with the same keys (moments and their lines
        as mappings too)."""
        if isinstance(value, GapReport):
            return value
        moments = tuple(
            m
            if isinstance(m, GapMoment)
            else GapMoment(
                **{
                    **m,
                    "lines": tuple(
                        x if isinstance(x, GapLine) else GapLine(**x) for x in m.get("lines", ())
                    ),
                }
            )
            for m in value.get("moments", ())
        )
        return cls(
            str(value.get("compared_with", "")),
            tuple(value.get("summary", ())),
            moments,
            value.get("current"),
        )


def gap_flowables(gap: GapReport, sh: Sheet, lang: str) -> list[Flowable]:
    """The as-is → to-be section: summary lines, then the changes moment by moment: what is
    resolved and by which improvement, what remains, what is new, which touchpoints change."""
    st = sh.styles
    out: list[Flowable] = [Paragraph(esc(t("report.gap", lang)), st["h1"])]
    if gap.compared_with:
        compared = t("report.gap_compared", lang, title=gap.compared_with)
        out.append(Paragraph(esc(compared), st["body"]))
    out += [Paragraph("• " + esc(line), st["body"]) for line in gap.summary]
    if not gap.moments:
        return out
    out.append(Paragraph(esc(t("report.gap_intro", lang)), st["small"]))
    return [*out, Spacer(1, 3 * mm), _gap_table(gap.moments, sh, lang)]


def _gap_table(moments: Sequence[GapMoment], sh: Sheet, lang: str) -> Table:
    font, bold, size = "DejaVuSans", "DejaVuSans-Bold", 7.8 * sh.scale
    widths = [sh.frame_width * s for s in (0.05, 0.2, 0.33, 0.32, 0.1)]
    fit = [w - 8 for w in widths]
    head = [
        t("report.intensity", lang),
        f"{t('term.channel', lang)} · {t('term.touchpoint', lang)}",
        t("report.gap_what", lang),
        t("term.improvement", lang),
        t("report.gap_state", lang),
    ]
    data: list[list[str]] = [[plain(h, bold, size, w) for h, w in zip(head, fit, strict=True)]]
    looks: list[tuple[Any, ...]] = []
    for moment in moments:
        r = len(data)
        title = ("★ " if moment.key else "") + moment.label
        if moment.summary:
            title += f" — {moment.summary}"
        data.append([plain(title, bold, size, sh.frame_width - 8), "", "", "", ""])
        looks += [
            ("SPAN", (0, r), (-1, r)),
            ("BACKGROUND", (0, r), (-1, r), CHANNEL_BG),
            ("FONT", (0, r), (-1, r), bold, size, size * 1.25),
        ]
        for line in moment.lines:
            mark = ""
            if line.kind is not None:
                symbol, colour = MARKERS[line.kind]
                mark = f"{symbol}{line.intensity}"
                looks.append(("TEXTCOLOR", (0, len(data)), (0, len(data)), colour))
            values = (mark, line.where, line.text, line.improvement or "—", line.state)
            data.append([plain(v, font, size, w) for v, w in zip(values, fit, strict=True)])
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), font, size, size * 1.25),
                ("FONT", (0, 0), (-1, 0), bold, size, size * 1.25),
                ("BACKGROUND", (0, 0), (-1, 0), HEADER_BG),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("FONT", (0, 1), (0, -1), bold, size * 1.1, size * 1.3),
                *looks,
            ]
        )
    )
    return table
