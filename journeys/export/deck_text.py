"""Text in the deck: user text made safe for the XML, styled runs written as DrawingML (one
parse per text body: python-pptx's run-by-run API is too slow for a large board), and the
height text takes, measured with the DejaVu metrics the renderers use."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.slide import Slide
from pptx.text.text import TextFrame
from pptx.util import Emu, Pt
from reportlab.lib.utils import simpleSplit

from journeys.export.deck_style import FONT, INK, LEADING
from journeys.render.fonts import register_fonts

# XML 1.0 forbids C0 controls (but tab and line ends), lone surrogates and U+FFFE/FFFF;
# python-pptx refuses them. C1 controls are legal but invisible: dropped as well.
_UNSAFE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
_ALIGN = {PP_ALIGN.LEFT: "l", PP_ALIGN.CENTER: "ctr", PP_ALIGN.RIGHT: "r"}


def clean(text: object) -> str:
    """User text as the deck can hold it: line ends as `\\n`, tabs as spaces, controls gone."""
    return _UNSAFE.sub("", _BREAKS.sub("\n", str(text or ""))).replace("\t", " ")


@dataclass(frozen=True)
class Span:
    """A run of text in one look; `size` is relative to the paragraph's."""

    text: str
    colour: str = INK
    bold: bool = False
    italic: bool = False
    size: float = 1.0


@dataclass(frozen=True)
class Spaced:
    """A paragraph set apart from the one before it by `before` points."""

    spans: Sequence[Span]
    before: float


Paragraph = Sequence[Span] | Spaced


def _run_props(span: Span, size: float) -> str:
    hundredths = round(size * span.size * 2) * 50
    return (
        f'<a:rPr sz="{hundredths}" b="{int(span.bold)}" i="{int(span.italic)}"'
        f' dirty="0"><a:solidFill><a:srgbClr val="{span.colour}"/></a:solidFill>'
        f'<a:latin typeface="{FONT}"/><a:cs typeface="{FONT}"/></a:rPr>'
    )


def paragraphs_xml(
    paragraphs: Iterable[Paragraph], size: float, align: PP_ALIGN | None = None, gap: float = 0
) -> str:
    """DrawingML `<a:p>` elements of `paragraphs` at `size` points (at least one, empty)."""
    out, first = [], True
    algn = f' algn="{_ALIGN[align]}"' if align in _ALIGN else ""
    for item in paragraphs:
        spans, before = (item.spans, item.before) if isinstance(item, Spaced) else (item, gap)
        spacing = f'<a:spcBef><a:spcPts val="{round(before * 100)}"/></a:spcBef>'
        props = f"<a:pPr{algn}>{spacing if before and not first else ''}</a:pPr>"
        runs = []
        for span in spans:
            look = _run_props(span, size)
            for n, piece in enumerate(clean(span.text).split("\n")):
                if n:
                    runs.append(f"<a:br>{look}</a:br>")
                if piece:
                    runs.append(f"<a:r>{look}<a:t>{escape(piece)}</a:t></a:r>")
        end = f'<a:endParaRPr sz="{round(size * 2) * 50}" dirty="0"/>'
        out.append(f"<a:p>{props}{''.join(runs)}{end}</a:p>")
        first = False
    if not out:
        out.append(f'<a:p><a:pPr{algn}/><a:endParaRPr sz="{round(size * 2) * 50}"/></a:p>')
    return "".join(out)


def fill_text(
    frame: TextFrame,
    paragraphs: Iterable[Paragraph],
    size: float,
    *,
    align: PP_ALIGN | None = None,
    gap: float = 0.0,
) -> None:
    """Write `paragraphs` into `frame` (replacing what it held), `gap` points between them."""
    frame.word_wrap = True
    body = frame._txBody
    for old in body.findall(qn("a:p")):
        body.remove(old)
    xml = paragraphs_xml(paragraphs, size, align, gap)
    for para in parse_xml(f"<a:txBody {nsdecls('a')}>{xml}</a:txBody>"):
        body.append(para)


def text_box(
    slide: Slide,
    box: tuple[int, int, int, int],
    paragraphs: Iterable[Paragraph],
    size: float,
    *,
    align: PP_ALIGN | None = None,
    anchor: MSO_ANCHOR = MSO_ANCHOR.TOP,
    gap: float = 0.0,
) -> Any:
    """Add a text box at `box` (left, top, width, height in EMU), with no inner margin."""
    shape = slide.shapes.add_textbox(*(Emu(v) for v in box))
    frame = shape.text_frame
    frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = 0
    frame.vertical_anchor = anchor
    fill_text(frame, paragraphs, size, align=align, gap=gap)
    return shape


# -- measuring text, to split tables over slides before a renderer spills them off the slide


def line_count(text: str, size: float, width: int, *, bold: bool = False) -> int:
    """Lines `text` takes at `size` points in a column `width` EMU wide (DejaVu metrics)."""
    regular, heavy = register_fonts()
    room = Emu(width).pt
    return sum(
        max(1, len(simpleSplit(part, heavy if bold else regular, size, room)))
        for part in clean(text).split("\n")
    )


def lines_height(lines: int, size: float) -> int:
    """Height in EMU of `lines` lines at `size` points."""
    return int(Pt(lines * size * LEADING))


def text_height(paragraphs: Iterable[Paragraph], size: float, width: int, gap: float = 0) -> int:
    """Height in EMU of `paragraphs` written at `size` points in a column `width` EMU wide."""
    total, first = 0, True
    for item in paragraphs:
        spans, before = (item.spans, item.before) if isinstance(item, Spaced) else (item, gap)
        scale = max((span.size for span in spans), default=1.0)
        bold = any(span.bold for span in spans)
        text = "".join(span.text for span in spans)
        total += lines_height(line_count(text, size * scale, width, bold=bold), size * scale)
        total += 0 if first else int(Pt(before))
        first = False
    return total
