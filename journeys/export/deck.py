"""The journey as an editable PowerPoint deck (16:9): a title slide, the board as native tables,
one slide per key moment, the other findings, the emotion curve as a native chart, the program
diagrams as pictures and, for a target journey, the gap from its current journey."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

from pptx.enum.text import PP_ALIGN
from pptx.util import Inches, Pt

from journeys.board.analysis import journey_counts
from journeys.contract.model import Journey, Program
from journeys.export.deck_board import board_slides
from journeys.export.deck_media import curve_slide, program_slides
from journeys.export.deck_slides import Slides, new_presentation, rect, to_bytes
from journeys.export.deck_style import BODY_W, MARGIN, MUTED, PRIMARY, RULE, SLIDE_H
from journeys.export.deck_tables import gap_slides, key_moment_slides, other_findings_slides
from journeys.export.deck_text import Paragraph, Span, fill_text, text_box, text_height
from journeys.i18n import document_language, enum_label, format_date, t
from journeys.report.sections import GapReport

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
Progress = Callable[[float, str], None]
"""Told how far the deck is (0 to 1) and the step it starts: board, findings, curve,
programs, gap, file."""


def build_journey_deck(
    journey: Journey,
    programs: Sequence[Program] = (),
    *,
    generated_on: date,
    gap: GapReport | Mapping[str, Any] | None = None,
    language: str | None = None,
    engine: str = "auto",
    progress: Progress | None = None,
) -> bytes:
    """Return the .pptx bytes of a journey and its programs, in `language` (the journey's).

    Every piece of text is a text run (tables, text boxes, the chart's categories), so the
    deck stays editable; only the program diagrams are pictures. `gap`, for a target journey,
    adds its gap slides and the current journey's curve beside this one's. Raises
    rendering.RenderError when Graphviz cannot draw a program.
    """
    tell = progress or (lambda fraction, step: None)
    lang = document_language(language or journey.language)
    report = GapReport.coerce(gap) if gap is not None else None
    current = report.current if report is not None else None
    day = format_date(generated_on, lang, numeric=True)
    slides = Slides(new_presentation(), f"{journey.title} · {t('report.generated', lang)} {day}")
    _cover(slides, journey, programs, day, lang)
    tell(0.05, "board")
    board_slides(slides, journey, lang)
    tell(0.2, "findings")
    key_moment_slides(slides, journey, lang)
    other_findings_slides(slides, journey, lang)
    tell(0.5, "curve")
    curve_slide(slides, journey, current, lang)
    for n, program in enumerate(programs):
        tell(0.55 + 0.35 * n / len(programs), "programs")
        program_slides(slides, program, _linked(program, journey, current), lang, engine)
    if report is not None:
        tell(0.9, "gap")
        gap_slides(slides, report, lang)
    tell(0.95, "file")
    data = to_bytes(slides.prs)
    tell(1.0, "file")
    return data


def _linked(program: Program, journey: Journey, current: Journey | None) -> Journey | None:
    """The journey whose words and channel colours a program is drawn with, as in the PDF."""
    if program.journey in (None, journey.id):
        return journey
    if current is not None and program.journey == current.id:
        return current
    return None


def _cover(
    slides: Slides, journey: Journey, programs: Sequence[Program], day: str, lang: str
) -> None:
    prs = slides.prs
    slide = prs.slides.add_slide(prs.slide_layouts[5])
    rect(slide, (0, 0, Inches(0.3), SLIDE_H), PRIMARY)
    left, width = MARGIN + Inches(0.5), BODY_W - Inches(0.5)
    top = int(Inches(0.7))
    state = enum_label("report.state", journey.state, lang).upper()
    text_box(slide, (left, top, width, Inches(0.3)), [[Span(state, MUTED, bold=True)]], 12)
    top += Inches(0.4)
    title: list[Paragraph] = [[Span(journey.title, bold=True)]]
    height = text_height(title, 34, width)
    holder = slide.shapes.title
    holder.left, holder.top, holder.width, holder.height = left, top, width, height
    frame = holder.text_frame
    frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = 0
    fill_text(frame, title, 34, align=PP_ALIGN.LEFT)
    top += height + Inches(0.12)
    kind = [[Span(enum_label("report.type", journey.journey_type, lang), PRIMARY)]]
    text_box(slide, (left, top, width, Inches(0.45)), kind, 20)
    top += Inches(0.65)
    facts = [
        (t("csv.field_persona", lang), journey.persona),
        (
            t("report.objectives", lang),
            ", ".join(enum_label("diagram.objective", o, lang) for o in journey.objectives),
        ),
        (t("programs.title", lang), ", ".join(p.title for p in programs)),
        (t("report.generated", lang), day),
    ]
    lines: list[Paragraph] = []
    for label, value in facts:
        if value:
            lines += [[Span(label.upper(), MUTED, bold=True, size=0.75)], [Span(value)]]
    if journey.description:
        lines.append([Span(journey.description, MUTED, size=0.9)])
    room = SLIDE_H - Inches(1.9) - top
    text_box(slide, (left, top, width, room), lines, _fitting(lines, width, room), gap=2)
    _figures(slide, journey, lang, left, width)


def _fitting(lines: list[Paragraph], width: int, room: int) -> float:
    """The largest text size, from 14 points down to 9, at which `lines` fit `room`."""
    size = 14.0
    while size > 9 and text_height(lines, size, width, gap=2) > room:
        size -= 1
    return size


def _figures(slide: Any, journey: Journey, lang: str, left: int, width: int) -> None:
    counts = journey_counts(journey)
    figures = [
        (len(journey.moments), "moments"),
        (len(journey.channels), "channels"),
        (counts.touchpoints, "touchpoints"),
        (counts.delights, "delights"),
        (counts.irritants, "irritants"),
        (counts.breaks, "breaks"),
    ]
    top = SLIDE_H - Inches(1.55)
    rect(slide, (left, top, width, Pt(2)), RULE)
    text_box(slide, (left, top - Inches(0.32), width, Inches(0.28)),
             [[Span(t("report.figures", lang).upper(), MUTED, bold=True)]], 10)  # fmt: skip
    step = width // len(figures)
    for n, (value, name) in enumerate(figures):
        cell = [
            [Span(str(value), PRIMARY, bold=True)],
            [Span(t(f"report.figures.{name}", lang), MUTED, size=0.4)],
        ]
        text_box(slide, (left + n * step, top + Inches(0.12), step, Inches(1.0)), cell, 28)
