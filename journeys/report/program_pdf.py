"""A program's diagram (macro or detailed view) as a PDF on A3 or A4 pages: each page turned
the way its part of the diagram reads best, the diagram whole or in slices of whole phases;
then, for a manager, what a dry run and the law checks say of it (report.program_results)."""

from __future__ import annotations

import io
from datetime import date

from reportlab.platypus import BaseDocTemplate, NextPageTemplate, PageBreak

from journeys.contract.model import Journey, Program
from journeys.i18n import document_language, enum_label, format_date, t
from journeys.render.fonts import REGULAR
from journeys.report.diagram_pages import (
    FOOTER_BAND,
    TEMPLATES,
    frame_size,
    orientation_templates,
    slice_flowables,
    view_slices,
)
from journeys.report.footer import numbered_canvas
from journeys.report.program_results import ProgramResults, results_flowables
from journeys.report.sections import program_header
from journeys.report.style import sheet

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
    results: ProgramResults | None = None,
) -> bytes:
    """Return the PDF of one view of a program on `page` (A3 or A4) paper: its header, then
    the diagram whole when it fits at a readable size, else on a page turned landscape, else
    in numbered slices of whole phases, one a page; then, given `results`, upright pages with
    the dry run's volumes, pressure and quiet hours and the law checks. Fonts are embedded,
    text extractable. Raises ValueError for an unknown page size or view,
    rendering.RenderError when Graphviz cannot draw the diagram."""
    sh = sheet(page)
    lang = document_language(language or program.language)
    objective = enum_label("diagram.objective", program.objective, lang)
    header = program_header(program, sh, lang, objective)
    slices = view_slices(
        program, journey, view, sh, lang, engine=engine, header=header, orientations=ORIENTATIONS
    )
    story = slice_flowables(program, view, slices, sh, lang, header=header, opening=False)
    if results is not None:
        width = frame_size(sh, "portrait")[0]
        story += [NextPageTemplate(TEMPLATES["portrait"]), PageBreak()]
        story += results_flowables(program, results, sh, lang, width)
    templates = orientation_templates(sh)  # the first slice's orientation opens the document
    first = TEMPLATES[slices[0].orientation]
    templates.sort(key=lambda template: template.id != first)
    footer = f"{program.title} · {t('report.generated', lang)} {_date(generated_on, lang)}"
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
    doc.build(story, canvasmaker=numbered_canvas(footer, t("report.page", lang), sh))
    return buffer.getvalue()


def _date(day: date, language: str) -> str:
    return format_date(day, language, numeric=True)
