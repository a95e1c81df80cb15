"""Native tables for the deck, written as one DrawingML table each: no built-in style, our fills
and thin grey rules; the heights rows need, so that a table is split before it overflows."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.slide import Slide
from pptx.util import Emu, Pt

from journeys.export.deck_style import PAD_X, PAD_Y, RULE, WHITE
from journeys.export.deck_text import Paragraph, lines_height, paragraphs_xml, text_height

_NO_STYLE = "{2D5ABB26-0587-4C30-8999-92F81FD0307C}"  # PowerPoint's "No Style, No Grid"
_EDGES = "".join(
    f'<a:{tag} w="6350" cap="flat" cmpd="sng" algn="ctr"><a:solidFill>'
    f'<a:srgbClr val="{RULE}"/></a:solidFill><a:prstDash val="solid"/></a:{tag}>'
    for tag in ("lnL", "lnR", "lnT", "lnB")
)


@dataclass(frozen=True)
class Cell:
    """A table cell: its paragraphs, background, and how many columns it spans (a band)."""

    paragraphs: Sequence[Paragraph]
    fill: str = WHITE
    span: int = 1


def _cell_xml(cell: Cell, size: float) -> str:
    spans = f' gridSpan="{cell.span}"' if cell.span > 1 else ""
    props = (
        f'<a:tcPr marL="{PAD_X}" marR="{PAD_X}" marT="{PAD_Y}" marB="{PAD_Y}" anchor="t">'
        f'{_EDGES}<a:solidFill><a:srgbClr val="{cell.fill}"/></a:solidFill></a:tcPr>'
    )
    text = paragraphs_xml(cell.paragraphs, size)
    merged = f'<a:tc hMerge="1"><a:txBody><a:bodyPr/><a:lstStyle/><a:p/></a:txBody>{props}</a:tc>'
    body = f"<a:txBody><a:bodyPr/><a:lstStyle/>{text}</a:txBody>"
    return f"<a:tc{spans}>{body}{props}</a:tc>" + merged * (cell.span - 1)


def add_table(
    slide: Slide,
    left: int,
    top: int,
    widths: Sequence[int],
    rows: Sequence[tuple[Sequence[Cell], int]],
    size: float,
) -> Any:
    """Add a table at (left, top): columns `widths` EMU wide, `rows` as (cells, height)."""
    height = sum(h for _, h in rows)
    shape = slide.shapes.add_table(
        1, len(widths), *(Emu(v) for v in (left, top, sum(widths), height))
    )
    grid = "".join(f'<a:gridCol w="{w}"/>' for w in widths)
    body = "".join(
        f'<a:tr h="{h}">' + "".join(_cell_xml(c, size) for c in cells) + "</a:tr>"
        for cells, h in rows
    )
    table = parse_xml(
        f'<a:tbl {nsdecls("a")}><a:tblPr firstRow="0" bandRow="0">'
        f"<a:tableStyleId>{_NO_STYLE}</a:tableStyleId></a:tblPr>"
        f"<a:tblGrid>{grid}</a:tblGrid>{body}</a:tbl>"
    )
    data = shape._element.graphic.graphicData
    data.replace(data.find(qn("a:tbl")), table)
    return shape


def cell_height(lines: int, size: float) -> int:
    """Height in EMU of a table cell holding `lines` lines at `size` points."""
    return lines_height(lines, size) + 2 * int(PAD_Y) + int(Pt(1))


def cell_text_height(paragraphs: Iterable[Paragraph], size: float, width: int) -> int:
    """Height in EMU of a table cell `width` EMU wide holding `paragraphs`."""
    return text_height(paragraphs, size, width - 2 * PAD_X) + 2 * int(PAD_Y) + int(Pt(1))


def pages(heights: Sequence[int], room: int) -> list[range]:
    """Split rows of `heights` into runs that fit `room` (a row taller than it, alone)."""
    runs: list[range] = []
    start, used = 0, 0
    for i, height in enumerate(heights):
        if i > start and used + height > room:
            runs.append(range(start, i))
            start, used = i, 0
        used += height
    if heights:
        runs.append(range(start, len(heights)))
    return runs
