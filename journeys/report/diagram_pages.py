"""Program diagrams on PDF pages: each view whole, on a page turned the other way, or in
slices of whole phases (journeys.render.slicing), one slice a page, its text never printed
smaller than slicing.MIN_TEXT_PT unless a single phase is larger than a page (then said)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.graphics import renderPDF
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
)

from journeys.contract.model import Journey, Program
from journeys.i18n import t
from journeys.render import engine as rendering
from journeys.render.slicing import VIEWS, Slice, fit_diagram
from journeys.report.style import Sheet, esc

ORIENTATIONS = ("portrait", "landscape")
TEMPLATES = {"portrait": "diagram-portrait", "landscape": "diagram-landscape"}
FOOTER_BAND = 8 * mm  # kept free at the bottom of every page for the running footer
_SAFETY = 4.0  # pt kept free under a diagram: rounding never pushes it off its page


def page_size(sh: Sheet, orientation: str) -> tuple[float, float]:
    """The sheet's paper (A3 or A4) turned `orientation`."""
    short, long = sorted(sh.size)
    return (short, long) if orientation == "portrait" else (long, short)


def frame_size(sh: Sheet, orientation: str) -> tuple[float, float]:
    """The room inside the margins and above the footer band of a page turned `orientation`."""
    width, height = page_size(sh, orientation)
    return width - 2 * sh.margin, height - 2 * sh.margin - FOOTER_BAND


def orientation_templates(sh: Sheet) -> list[PageTemplate]:
    """One page template per orientation (TEMPLATES), with the body frame of the sheet."""
    templates = []
    for orientation in ORIENTATIONS:
        width, height = frame_size(sh, orientation)
        frame = Frame(
            sh.margin,
            sh.margin + FOOTER_BAND,
            width,
            height,
            id=f"body-{orientation}",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        size = page_size(sh, orientation)
        templates.append(PageTemplate(TEMPLATES[orientation], frames=[frame], pagesize=size))
    return templates


class ScaledDiagram(Flowable):
    """A diagram's drawing at a given scale (it fits the frame: the slicing saw to it)."""

    def __init__(self, drawing: Any, scale: float):
        super().__init__()
        self.drawing, self.scale = drawing, scale
        self.width = float(drawing.width) * scale
        self.height = float(drawing.height) * scale

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        self.canv.saveState()
        self.canv.scale(self.scale, self.scale)
        renderPDF.draw(self.drawing, self.canv, 0, 0)
        self.canv.restoreState()


def slice_heading(program: Program, view: str, piece: Slice, lang: str) -> str:
    """`Detailed view — Title — 2/3: 3 · Phase, 4 · Phase` (the part only when split)."""
    heading = f"{t(f'programs.view_{view}', lang)} — {program.title}"
    if piece.parts > 1:
        names = ", ".join(f"{i + 1} · {program.phases[i].label}" for i in piece.phases)
        values = {"part": piece.part, "parts": piece.parts}
        if names:
            heading += " — " + t("report.diagram_slice", lang, phases=names, **values)
        else:
            heading += " — " + t("report.diagram_slice_legend", lang, **values)
    if piece.shrunk:
        heading += f" ({t('report.diagram_shrunk', lang)})"
    return heading


def _height(flowables: Sequence[Flowable], width: float) -> float:
    """How tall `flowables` stand in a frame `width` wide (spaces counted: an upper bound)."""
    total = 0.0
    for flowable in flowables:
        _, height = flowable.wrap(width, 10_000)
        total += height + flowable.getSpaceBefore() + flowable.getSpaceAfter()
    return total


def view_slices(
    program: Program,
    journey: Journey | None,
    view: str,
    sh: Sheet,
    lang: str,
    *,
    engine: str = "auto",
    header: Sequence[Flowable] = (),
    orientations: Sequence[str] = ("landscape", "portrait"),
) -> list[Slice]:
    """The slices of one view, each fitted to a page of the sheet below its heading (and,
    for the first, below `header`)."""
    style = sh.styles["h2"]

    def room(orientation: str, phases: tuple[int, ...] | None) -> tuple[float, float]:
        width, height = frame_size(sh, orientation)
        whole = phases is None
        shown = tuple(range(len(program.phases))) if phases is None else phases
        guess = Slice(shown, False, b"", 0, 0, orientation, 1, False, 1, 1 if whole else 9)
        heading = Paragraph(esc(slice_heading(program, view, guess, lang)), style)
        used = _height([heading], width) + _SAFETY
        if header and (whole or 0 in shown):
            used += _height(header, width)
        return width, max(0.0, height - used)

    return fit_diagram(
        program,
        journey,
        view=view,
        room=room,
        orientations=orientations,
        language=lang,
        engine=engine,
    )


def slice_flowables(
    program: Program,
    view: str,
    slices: Sequence[Slice],
    sh: Sheet,
    lang: str,
    *,
    header: Sequence[Flowable] = (),
    opening: bool = True,
) -> list[Flowable]:
    """For each slice a page turned its way (a template of `orientation_templates`), its
    heading and its drawing; `header` heads the first page. `opening=False` draws the first
    slice on the current page (the document's first page, of that slice's orientation)."""
    out: list[Flowable] = []
    for k, piece in enumerate(slices):
        if k > 0 or opening:
            out += [NextPageTemplate(TEMPLATES[piece.orientation]), PageBreak()]
        if k == 0:
            out += header
        out.append(Paragraph(esc(slice_heading(program, view, piece, lang)), sh.styles["h2"]))
        out.append(ScaledDiagram(rendering.svg_to_drawing(piece.svg), piece.scale))
    return out


def program_pages(
    program: Program,
    journey: Journey | None,
    sh: Sheet,
    lang: str,
    *,
    engine: str = "auto",
    header: Sequence[Flowable] = (),
    views: Sequence[str] = VIEWS,
    orientations: Sequence[str] = ("landscape", "portrait"),
    after: str | None = None,
) -> list[Flowable]:
    """A program's views, each starting on a new page (`header` above the first), then the
    page template `after` for what follows (the document's own, for instance)."""
    out: list[Flowable] = []
    for n, view in enumerate(views):
        top = header if n == 0 else ()
        slices = view_slices(
            program, journey, view, sh, lang, engine=engine, header=top, orientations=orientations
        )
        out += slice_flowables(program, view, slices, sh, lang, header=top)
    if after is not None:
        out.append(NextPageTemplate(after))
    return out
