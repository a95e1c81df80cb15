"""The journey PDF a manager hands out: cover, board, findings, emotion curve, programs, gap."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from journeys.board.analysis import emotion_curve
from journeys.contract.model import FindingType, Journey, Program
from journeys.i18n import document_language, enum_label, t
from journeys.programs.diagrams import detailed_dot, macro_dot
from journeys.render import engine as rendering
from journeys.render.fonts import BOLD, REGULAR
from journeys.report.board_table import board_flowables
from journeys.report.curve import curve_drawing
from journeys.report.sections import (
    GapReport,
    diagram_flowables,
    findings_flowables,
    gap_flowables,
    program_header,
)
from journeys.report.style import ACCENT, MUTED, RULE, Sheet, esc, sheet


def build_journey_pdf(
    journey: Journey,
    programs: Sequence[Program] = (),
    *,
    page: str = "A3",
    generated_on: date,
    gap: GapReport | Mapping[str, Any] | None = None,
    language: str | None = None,
    engine: str = "auto",
) -> bytes:
    """Return the PDF of a journey and its programs, on landscape A3 or A4 pages.

    Fonts (DejaVu Sans) are embedded, text stays extractable. `gap`, when given, adds the
    as-is → to-be section; with its current journey, that journey's curve is drawn beside
    this one's and the programs linked to it use its words and colours. Raises ValueError
    for an unknown page size and rendering.RenderError when Graphviz cannot draw a program.
    """
    sh = sheet(page)
    lang = document_language(language or journey.language)
    gap_report = GapReport.coerce(gap) if gap is not None else None
    current = gap_report.current if gap_report is not None else None
    story: list[Flowable] = _cover(journey, programs, sh, generated_on, lang)
    story += [PageBreak(), Paragraph(esc(t("report.board", lang)), sh.styles["h1"])]
    story += board_flowables(journey, sh, lang)
    story += [PageBreak(), *findings_flowables(journey, sh, lang, with_gap=gap is not None)]
    story += [PageBreak(), *_curve(journey, sh, lang, current)]
    for program in programs:
        linked = _linked(program, journey, current)
        story += [PageBreak(), *_program(program, linked, sh, lang, engine)]
    if gap_report is not None:
        story += [PageBreak(), *gap_flowables(gap_report, sh, lang)]
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
    doc.addPageTemplates([PageTemplate("page", frames=[frame])])
    doc.build(story, canvasmaker=_numbered(footer, t("report.page", lang), sh))
    return buffer.getvalue()


def _date(day: date, language: str) -> str:
    return day.strftime(t("report.date_format", language))


def _cover(
    journey: Journey,
    programs: Sequence[Program],
    sh: Sheet,
    day: date,
    lang: str,
) -> list[Flowable]:
    st = sh.styles
    kind = enum_label("report.type", journey.journey_type, lang)
    out: list[Flowable] = [
        Spacer(1, 18 * mm),
        Paragraph(esc(enum_label("report.state", journey.state, lang)).upper(), st["label"]),
        Spacer(1, 2 * mm),
        Paragraph(esc(journey.title), st["title"]),
        Paragraph(esc(kind), st["subtitle"]),
    ]
    facts = [
        (t("csv.field_persona", lang), journey.persona),
        (
            t("report.objectives", lang),
            ", ".join(enum_label("diagram.objective", o, lang) for o in journey.objectives),
        ),
        (t("programs.title", lang), ", ".join(p.title for p in programs)),
        (t("report.generated", lang), _date(day, lang)),
    ]
    for label, value in facts:
        if value:
            out += [Paragraph(esc(label).upper(), st["label"]), Paragraph(esc(value), st["value"])]
    if journey.description:
        out += [Spacer(1, 2 * mm), Paragraph(esc(journey.description), st["body"])]
    out += [Spacer(1, 8 * mm), _figures(journey, sh, lang)]
    return out


def _figures(journey: Journey, sh: Sheet, lang: str) -> Flowable:
    counts = {kind: 0 for kind in FindingType}
    for tp in journey.touchpoints:
        for finding in tp.findings:
            counts[finding.type] += 1
    figures = [
        (len(journey.moments), "moments"),
        (len(journey.channels), "channels"),
        (len(journey.touchpoints), "touchpoints"),
        (counts[FindingType.DELIGHT], "delights"),
        (counts[FindingType.IRRITANT], "irritants"),
        (counts[FindingType.BREAK], "breaks"),
    ]
    row = [
        [
            Paragraph(str(n), sh.styles["figure"]),
            Paragraph(esc(t(f"report.figures.{name}", lang)), sh.styles["small"]),
        ]
        for n, name in figures
    ]
    table = Table([row], colWidths=[sh.frame_width / len(figures)] * len(figures))
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), REGULAR, 10),
                ("LINEABOVE", (0, 0), (-1, 0), 1.5, ACCENT),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 8),
            ]
        )
    )
    return KeepTogether(
        [
            Paragraph(esc(t("report.figures", lang)).upper(), sh.styles["label"]),
            Spacer(1, 2 * mm),
            table,
        ]
    )


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
    objective = enum_label("diagram.objective", program.objective, lang)
    out = program_header(program, sh, lang, objective)
    room = sh.frame_height - 38 * mm
    for view, build in (("macro", macro_dot), ("detailed", detailed_dot)):
        dot = build(program, linked, language=lang, title=False)
        svg = rendering.render(dot, "svg", engine=engine)
        drawing = rendering.svg_to_drawing(svg)
        title = t(f"programs.view_{view}", lang)
        if view == "detailed":
            out.append(PageBreak())
            room = sh.frame_height - 12 * mm
            title += f" — {program.title}"
        out += diagram_flowables(drawing, sh.frame_width, room, title, sh, lang)
    return out


def _numbered(footer: str, page_words: str, sh: Sheet) -> type[Canvas]:
    """A canvas class that writes the running footer and `Page n of N` once all pages exist."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._saved: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 (reportlab's name)
            self._saved.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._saved)
            for state in self._saved:
                self.__dict__.update(state)
                self._decorate(total)
                super().showPage()
            super().save()

        def _decorate(self, total: int) -> None:
            width, _ = sh.size
            y = sh.margin
            self.setStrokeColor(RULE)
            self.setLineWidth(0.5)
            self.line(sh.margin, y + 4 * mm, width - sh.margin, y + 4 * mm)
            self.setFillColor(MUTED)
            self.setFont(REGULAR, 7.5 * sh.scale)
            self.drawString(sh.margin, y, footer[:160])
            text = page_words.format(page=self._pageNumber, pages=total)
            self.setFont(BOLD, 7.5 * sh.scale)
            self.drawRightString(width - sh.margin, y, text)

    return NumberedCanvas
