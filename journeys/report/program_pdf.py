"""A program's diagram (macro or detailed view) as a PDF on A3 or A4 pages: each page turned
the way its part of the diagram reads best, the diagram whole or in slices of whole phases."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate

from journeys.contract.model import Journey, Program
from journeys.i18n import document_language, enum_label, t
from journeys.render.fonts import BOLD, REGULAR
from journeys.report.diagram_pages import (
    FOOTER_BAND,
    TEMPLATES,
    orientation_templates,
    slice_flowables,
    view_slices,
)
from journeys.report.sections import program_header
from journeys.report.style import MUTED, RULE, Sheet, sheet

ORIENTATIONS = ("portrait", "landscape")  # a sheet of paper stands upright first


def build_program_pdf(
    program: Program,
    journey: Journey | None = None,
    *,
    view: str = "detailed",
    page: str = "A3",
    generated_on: date,
    language: str | None = None,
    engine: str = "auto",
) -> bytes:
    """Return the PDF of one view of a program on `page` (A3 or A4) paper: its header, then
    the diagram whole when it fits at a readable size, else on a page turned landscape, else
    in numbered slices of whole phases, one a page. Fonts are embedded, text extractable.
    Raises ValueError for an unknown page size or view, rendering.RenderError when Graphviz
    cannot draw the diagram."""
    sh = sheet(page)
    lang = document_language(language or program.language)
    objective = enum_label("diagram.objective", program.objective, lang)
    header = program_header(program, sh, lang, objective)
    slices = view_slices(
        program, journey, view, sh, lang, engine=engine, header=header, orientations=ORIENTATIONS
    )
    story = slice_flowables(program, view, slices, sh, lang, header=header, opening=False)
    templates = orientation_templates(sh)  # the first slice's orientation opens the document
    first = TEMPLATES[slices[0].orientation]
    templates.sort(key=lambda template: template.id != first)
    footer = f"{program.title} · {t('report.generated', lang)} {_date(generated_on, lang)}"
    decorate = _footer(footer, t("report.page", lang), len(slices), sh)
    for template in templates:
        template.onPage = decorate
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=templates[0].pagesize,
        leftMargin=sh.margin,
        rightMargin=sh.margin,
        topMargin=sh.margin,
        bottomMargin=sh.margin + FOOTER_BAND,
        title=program.title,
        author="Journey Workshop",
        subject=t(f"programs.view_{view}", lang),
        creator="Journey Workshop",
        invariant=True,
        initialFontName=REGULAR,  # else an unused, unembedded Helvetica is declared
    )
    doc.addPageTemplates(templates)
    doc.build(story)
    return buffer.getvalue()


def _date(day: date, language: str) -> str:
    return day.strftime(t("report.date_format", language))


def _footer(text: str, page_words: str, pages: int, sh: Sheet) -> Any:
    """The running footer: a rule, the program and date, `Page n of N` (a slice a page)."""

    def decorate(canvas: Any, doc: Any) -> None:
        width, _ = canvas._pagesize
        y = sh.margin
        canvas.saveState()
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(sh.margin, y + 4 * mm, width - sh.margin, y + 4 * mm)
        canvas.setFillColor(MUTED)
        canvas.setFont(REGULAR, 7.5 * sh.scale)
        canvas.drawString(sh.margin, y, text[:160])
        canvas.setFont(BOLD, 7.5 * sh.scale)
        number = page_words.format(page=doc.page, pages=pages)
        canvas.drawRightString(width - sh.margin, y, number)
        canvas.restoreState()

    return decorate
