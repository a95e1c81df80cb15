"""A program diagram fitted to pages: whole, turned, or in slices of whole phases.

The rule, for a page of a given size: the whole diagram when it fits at a readable size (its
smallest text printed at `min_text` points or more); else on the page turned the other way;
else in slices of consecutive phases, each drawn from its own DOT (so its text keeps its
size) and holding as many whole phases as fit. A phase is never cut: a single phase larger
than a page is reduced to fit it, and its slice says so (`shrunk`). The detailed view's
legend goes beside the first phases that leave it room, else alone on the last page.

Nothing here knows reportlab: a slice is SVG and the scale to draw it at, for a PDF as for
a slide.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from journeys.contract.model import Journey, Program
from journeys.programs.diagrams import detailed_dot, macro_dot
from journeys.render import engine as rendering

MIN_TEXT_PT = 7.0  # the smallest printed text we call readable
VIEWS = ("macro", "detailed")
LEGEND = -1  # the detailed view's legend, a unit of its own after the last phase
_SLACK = 1e-6

# The room for a slice's drawing on a page turned `orientation` ("portrait" or "landscape"),
# given the phases it holds, None for the whole diagram (the heading above it may depend on
# them): (width, height) in pt.
Room = Callable[[str, tuple[int, ...] | None], tuple[float, float]]


@dataclass(frozen=True)
class Slice:
    """One page's worth of a diagram: its phases (indexes in program order), whether it
    holds the legend, its SVG, natural size (pt) and the scale and orientation to draw it
    at. `shrunk` means its text prints below `min_text`: a phase larger than a page."""

    phases: tuple[int, ...]
    legend: bool
    svg: bytes
    width: float
    height: float
    orientation: str
    scale: float
    shrunk: bool
    part: int = 1
    parts: int = 1

    @property
    def smallest_text(self) -> float:
        """The size, in printed points, of the slice's smallest text."""
        return smallest_font(self.svg) * self.scale


def svg_size(svg: bytes) -> tuple[float, float]:
    """The width and height (pt) of a Graphviz SVG."""
    root = re.search(rb"<svg\b[^>]*>", svg)
    if root is None:
        raise rendering.RenderError("the diagram's SVG has no <svg> element")
    sizes = []
    for name in (rb"width", rb"height"):
        found = re.search(rb"\s" + name + rb'="([\d.]+)(pt|px)?"', root.group(0))
        if found is None:
            raise rendering.RenderError("the diagram's SVG has no size")
        value = float(found.group(1))
        sizes.append(value * 0.75 if found.group(2) == b"px" else value)
    return sizes[0], sizes[1]


def smallest_font(svg: bytes) -> float:
    """The smallest font size (pt at scale 1) used by the SVG's text, 14 when it has none."""
    sizes = [float(x) for x in re.findall(rb'font-size="([\d.]+)"', svg)]
    return min(sizes, default=14.0)


def diagram_dot(
    program: Program,
    journey: Journey | None,
    view: str,
    *,
    language: str | None = None,
    phases: Sequence[int] | None = None,
    legend: bool = True,
) -> str:
    """DOT of a view (macro or detailed), untitled, whole or for some phases only."""
    if view == "macro":
        return macro_dot(program, journey, language=language, title=False, phases=phases)
    if view == "detailed":
        return detailed_dot(
            program, journey, language=language, title=False, phases=phases, legend=legend
        )
    raise ValueError(f"unknown view {view!r}; expected one of {', '.join(VIEWS)}")


def fit_diagram(
    program: Program,
    journey: Journey | None,
    *,
    view: str,
    room: Room,
    orientations: Sequence[str] = ("portrait", "landscape"),
    language: str | None = None,
    engine: str = "auto",
    min_text: float = MIN_TEXT_PT,
) -> list[Slice]:
    """Return the diagram as slices to draw one a page (one slice when it fits).

    `orientations` are tried in order: the first where a slice fits at a readable size
    wins. Raises ValueError for an unknown view and rendering.RenderError when Graphviz
    cannot draw it."""
    fitter = _Fitter(program, journey, view, room, tuple(orientations), language, engine, min_text)
    whole = fitter.attempt(None)
    if whole is not None:
        return [whole]
    units = list(range(len(program.phases)))
    legend = view == "detailed" and fitter.has_legend()
    if len(units) + legend < 2:  # nothing to split on
        return [fitter.shrunk(None)]
    slices: list[Slice] = []
    start = 0
    while start < len(units):  # greedy: as many whole phases as fit, in program order
        best = fitter.attempt(units[start : start + 1])
        end = start + 1
        if best is None:
            best = fitter.shrunk(units[start : start + 1])
        else:
            while end < len(units):
                wider = fitter.attempt(units[start : end + 1])
                if wider is None:
                    break
                best, end = wider, end + 1
        slices.append(best)
        start = end
    if legend:
        slices = _with_legend(fitter, slices)
    return [replace(s, part=k + 1, parts=len(slices)) for k, s in enumerate(slices)]


def _with_legend(fitter: _Fitter, slices: list[Slice]) -> list[Slice]:
    """The legend beside the phases of the first slice with room for it, else alone last."""
    for k, piece in enumerate(slices):
        if piece.shrunk:
            continue
        joined = fitter.attempt([*piece.phases, LEGEND])
        if joined is not None:
            return [*slices[:k], joined, *slices[k + 1 :]]
    alone = fitter.attempt([LEGEND]) or fitter.shrunk([LEGEND])
    return [*slices, alone]


class _Fitter:
    """Draws candidate slices and measures them against the room on each orientation."""

    def __init__(
        self,
        program: Program,
        journey: Journey | None,
        view: str,
        room: Room,
        orientations: tuple[str, ...],
        language: str | None,
        engine: str,
        min_text: float,
    ):
        if view not in VIEWS:
            raise ValueError(f"unknown view {view!r}; expected one of {', '.join(VIEWS)}")
        if not orientations:
            raise ValueError("at least one orientation is needed")
        self.program, self.journey, self.view = program, journey, view
        self.room, self.orientations = room, orientations
        self.language, self.engine, self.min_text = language, engine, min_text

    def has_legend(self) -> bool:
        dot = diagram_dot(self.program, self.journey, self.view, language=self.language, phases=())
        return "cluster_legend" in dot

    def draw(self, units: Sequence[int] | None) -> tuple[tuple[int, ...], bool, bytes]:
        if units is None:
            phases = tuple(range(len(self.program.phases)))
            legend = self.view == "detailed" and self.has_legend()
            dot = diagram_dot(self.program, self.journey, self.view, language=self.language)
        else:
            phases = tuple(u for u in units if u != LEGEND)
            legend = LEGEND in units
            dot = diagram_dot(
                self.program,
                self.journey,
                self.view,
                language=self.language,
                phases=phases,
                legend=legend,
            )
        return phases, legend, rendering.render(dot, "svg", engine=self.engine)

    def attempt(self, units: Sequence[int] | None) -> Slice | None:
        """The slice of these units (None: the whole diagram) at a readable size on the
        first orientation where it fits, or None when it fits on none."""
        phases, legend, svg = self.draw(units)
        width, height = svg_size(svg)
        needed = min(1.0, self.min_text / smallest_font(svg))
        for orientation in self.orientations:
            scale = _scale(width, height, self.room(orientation, None if units is None else phases))
            if scale >= needed - _SLACK:
                return Slice(phases, legend, svg, width, height, orientation, scale, False)
        return None

    def shrunk(self, units: Sequence[int] | None) -> Slice:
        """The slice of these units reduced to fit the orientation that keeps it largest."""
        phases, legend, svg = self.draw(units)
        width, height = svg_size(svg)
        which = None if units is None else phases
        scales = {o: _scale(width, height, self.room(o, which)) for o in self.orientations}
        orientation = max(self.orientations, key=lambda o: scales[o])  # first of equals
        scale = scales[orientation]
        shrunk = smallest_font(svg) * scale < self.min_text - _SLACK
        return Slice(phases, legend, svg, width, height, orientation, scale, shrunk)


def _scale(width: float, height: float, room: tuple[float, float]) -> float:
    """The scale that fits width × height in the room, at most 1 (never enlarged)."""
    room_w, room_h = room
    if width <= 0 or height <= 0:
        return 1.0
    return max(0.0, min(1.0, room_w / width, room_h / height))
