"""The journey PDF a manager hands out: a summary page, the board, the emotion curve, the
programs, the gap; the full findings table as an optional appendix."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
)

from journeys.board.analysis import emotion_curve
from journeys.board.priorities import NO_VOTES, Votes
from journeys.contract.model import Journey, Program
from journeys.i18n import document_language, enum_label, format_date, t
from journeys.render.fonts import REGULAR
from journeys.report.board_table import board_flowables
from journeys.report.curve import curve_drawing
from journeys.report.diagram_pages import orientation_templates, program_pages
from journeys.report.footer import numbered_canvas
from journeys.report.sections import (
    GapReport,
    findings_flowables,
    gap_flowables,
    program_header,
)
from journeys.report.style import Sheet, esc, sheet
from journeys.report.summary import FragileMoment, SummaryInput, summary_flowables


def build_journey_pdf(
    journey: Journey,
    programs: Sequence[Program] = (),
    *,
    page: str = "A3",
    generated_on: date,
    gap: GapReport | Mapping[str, Any] | None = None,
    language: str | None = None,
    engine: str = "auto",
    appendix: bool = True,
    fragile: Sequence[FragileMoment] = (),
    votes: Votes = NO_VOTES,
) -> bytes:
    """Return the PDF of a journey and its programs, on landscape A3 or A4 pages.

    A summary page first, then the board fitted to the page, the emotion curve, the
    programs and the gap; `appendix` adds the full findings table at the end (the export use
    cases leave it out unless asked). Fonts (DejaVu Sans) are embedded, text stays
    extractable. `gap`, when given, adds the as-is → to-be section; with its current journey,
    that journey's curve is drawn beside this one's, its improvements count among the
    summary's and the programs linked to it use its words and colours. `fragile` moments
    (from subscriber data) are listed on the summary page. `votes`, the dots of the
    workshop's vote (workshop.votes.report_votes), put the problems the room chose first on
    the summary page and weigh its improvements. Raises ValueError for an unknown
    page size and rendering.RenderError when Graphviz cannot draw a program.
    """
    sh = sheet(page)
    lang = document_language(language or journey.language)
    gap_report = GapReport.coerce(gap) if gap is not None else None
    current = gap_report.current if gap_report is not None else None
    summary = SummaryInput(
        journey,
        programs,
        _date(generated_on, lang),
        current,
        gap_report.summary if gap_report is not None else (),
        fragile,
        votes,
    )
    story: list[Flowable] = summary_flowables(summary, sh, lang)
    story += [PageBreak(), *board_flowables(journey, sh, lang)]
    story += [PageBreak(), *_curve(journey, sh, lang, current)]
    for program in programs:
        linked = _linked(program, journey, current)
        story += _program(program, linked, sh, lang, engine)  # opens its own pages
    if gap_report is not None:
        story += [PageBreak(), *gap_flowables(gap_report, sh, lang)]
    if appendix:
        story += [
            PageBreak(),
            Paragraph(esc(t("report.appendix", lang)).upper(), sh.styles["label"]),
        ]
        story += findings_flowables(journey, sh, lang, with_gap=gap is not None)
    buffer = io.BytesIO()
    footer = f"{journey.title} · {t('report.generated', lang)} {_date(generated_on, lang)}"
    doc = BaseDocTemplate(
        buffer,
        pagesize=sh.size,
        leftMargin=sh.margin,
        rightMargin=sh.margin,
        topMargin=sh.margin,
        bottomMargin=sh.margin + 8 * mm,
        title=journey.title,
        author="Journey Workshop",
        subject=enum_label("report.state", journey.state, lang),
        creator="Journey Workshop",
        invariant=True,
        initialFontName=REGULAR,  # else an unused, unembedded Helvetica is declared
    )
    frame = Frame(
        doc.leftMargin,
        doc.bottomMargin,
        doc.width,
        doc.height,
        id="body",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    doc.addPageTemplates([PageTemplate("page", frames=[frame]), *orientation_templates(sh)])
    doc.build(story, canvasmaker=numbered_canvas(footer, t("report.page", lang), sh))
    return buffer.getvalue()


def _date(day: date, language: str) -> str:
    return format_date(day, language, numeric=True)


def _curve(journey: Journey, sh: Sheet, lang: str, current: Journey | None) -> list[Flowable]:
    height = min(sh.frame_height - 30 * mm, 150 * mm * sh.scale)
    drawing = curve_drawing(
        emotion_curve(journey),
        sh.frame_width,
        height,
        REGULAR,
        size=8 * sh.scale,
        compared=emotion_curve(current) if current is not None else (),
        legend=(t("compare.curve_current", lang), t("compare.curve_target", lang)),
    )
    return [
        Paragraph(esc(t("chart.emotion_title", lang)), sh.styles["h1"]),
        Paragraph(esc(t("report.curve_intro", lang)), sh.styles["small"]),
        Spacer(1, 4 * mm),
        drawing,
    ]


def _linked(program: Program, journey: Journey, current: Journey | None) -> Journey | None:
    """The journey whose words and channel colours a program is drawn with, as in its exports:
    its own journey (a target's PDF holds its current journey's programs), else none."""
    if program.journey in (None, journey.id):
        return journey
    if current is not None and program.journey == current.id:
        return current
    return None


def _program(
    program: Program, linked: Journey | None, sh: Sheet, lang: str, engine: str
) -> list[Flowable]:
    """The program's macro then detailed view, each whole, turned or in slices of whole
    phases (journeys.report.diagram_pages), its header on the first page."""
    objective = enum_label("diagram.objective", program.objective, lang)
    header = program_header(program, sh, lang, objective)
    return program_pages(program, linked, sh, lang, engine=engine, header=header, after="page")
