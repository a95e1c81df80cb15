"""The presentation: 16:9, the app's colours and font in its theme, and slides that each have a
real title, an optional subtitle, the running footer and their number."""

from __future__ import annotations

import io
from typing import Any

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.oxml import serialize_part_xml
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.slide import Slide
from pptx.util import Emu, Inches, Pt

from journeys.export.deck_style import (
    BODY_W,
    FONT,
    INK,
    MARGIN,
    MUTED,
    PRIMARY,
    RULE,
    SLIDE_H,
    SLIDE_W,
)
from journeys.export.deck_text import Span, fill_text, line_count, text_box

TITLE_SIZE, SUBTITLE_SIZE, FOOTER_SIZE = 24, 12, 9
_SLIDE_NUMBER = (
    '<a:fld {ns} id="{{5C2B1F0E-7A4D-4E38-9C1B-2F6A9D3E8B71}}" type="slidenum">'
    '<a:rPr sz="{size}" b="1"><a:solidFill><a:srgbClr val="{colour}"/></a:solidFill>'
    '<a:latin typeface="{font}"/></a:rPr><a:t>{number}</a:t></a:fld>'
)


def new_presentation() -> Any:
    """An empty 16:9 presentation whose theme has the app's colours and DejaVu Sans, and
    whose layouts are widened to 16:9 (slides a user adds look like ours)."""
    prs = Presentation()
    factor = SLIDE_W / prs.slide_width
    prs.slide_width, prs.slide_height = Emu(SLIDE_W), Emu(SLIDE_H)
    for holder in [prs.slide_master, *prs.slide_layouts]:
        for shape in holder.placeholders:
            shape.left, shape.width = int(shape.left * factor), int(shape.width * factor)
    _theme(prs)
    return prs


def _theme(prs: Any) -> None:
    part = prs.slide_master.part.part_related_by(RT.THEME)
    root = parse_xml(part.blob)
    for name, value in {"dk2": INK, "accent1": PRIMARY, "hlink": PRIMARY}.items():
        slot = root.find(f".//{qn('a:clrScheme')}/{qn('a:' + name)}")
        if slot is not None:
            slot.clear()
            slot.append(parse_xml(f'<a:srgbClr {nsdecls("a")} val="{value}"/>'))
    for latin in root.iterfind(f".//{qn('a:fontScheme')}//{qn('a:latin')}"):
        latin.set("typeface", FONT)
    part._blob = serialize_part_xml(root)


def to_bytes(prs: Any) -> bytes:
    """The .pptx file's bytes."""
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()


def rect(slide: Slide, box: tuple[int, int, int, int], colour: str) -> Any:
    """A plain filled rectangle (bands, rules), without outline nor shadow."""
    shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, *(Emu(v) for v in box))
    shape.fill.solid()
    shape.fill.fore_color.rgb = RGBColor.from_string(colour)
    shape.line.fill.background()
    style = shape._element.find(qn("p:style"))  # the theme's shadow and text colour
    if style is not None:
        shape._element.remove(style)
    return shape


class Slides:
    """The deck being built: every slide titled, with the running footer and its number."""

    def __init__(self, prs: Any, footer: str):
        self.prs = prs
        self.footer = footer
        self.layout = prs.slide_layouts[5]  # "Title Only": the title stays a real title

    def add(self, title: str, subtitle: str = "") -> Slide:
        """A new slide with its title, an optional muted subtitle, the footer and number."""
        slide = self.prs.slides.add_slide(self.layout)
        left, width = MARGIN + Inches(0.2), BODY_W - Inches(0.2)
        holder = slide.shapes.title
        holder.left, holder.top, holder.width, holder.height = (
            left,
            Inches(0.32),
            width,
            Inches(0.62),
        )
        frame = holder.text_frame
        frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = 0
        frame.vertical_anchor = MSO_ANCHOR.BOTTOM
        size = TITLE_SIZE  # smaller for a long title, down to one that holds on one line
        while size > 16 and line_count(title, size, width, bold=True) > 1:
            size -= 2
        fill_text(frame, [[Span(title, bold=True)]], size, align=PP_ALIGN.LEFT)
        rect(slide, (MARGIN, Inches(0.32), Inches(0.07), Inches(0.62)), PRIMARY)
        if subtitle:  # one line, else two smaller ones above the body
            small = line_count(subtitle, SUBTITLE_SIZE, width) > 1
            box = (left, Inches(0.96), width, Inches(0.34))
            text_box(slide, box, [[Span(subtitle, MUTED)]], SUBTITLE_SIZE - 2.5 * small)
        self._footer(slide)
        return slide

    def _footer(self, slide: Slide) -> None:
        top, height = SLIDE_H - Inches(0.42), Inches(0.24)
        rect(slide, (MARGIN, top - Inches(0.08), BODY_W, Pt(0.75)), RULE)
        box = (MARGIN, top, BODY_W - Inches(1), height)
        text_box(slide, box, [[Span(self.footer, MUTED)]], FOOTER_SIZE)
        number = text_box(
            slide, (SLIDE_W - MARGIN - Inches(1), top, Inches(1), height), [], FOOTER_SIZE
        )
        para = number.text_frame.paragraphs[0]
        para.alignment = PP_ALIGN.RIGHT
        field = _SLIDE_NUMBER.format(
            ns=nsdecls("a"),
            size=FOOTER_SIZE * 100,
            colour=INK,
            font=FONT,
            number=len(self.prs.slides),
        )
        end = para._p.find(qn("a:endParaRPr"))
        if end is None:
            para._p.append(parse_xml(field))
        else:
            end.addprevious(parse_xml(field))
