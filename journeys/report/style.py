"""Typography, colours and safe text for the journey PDF."""

from __future__ import annotations

import re
from dataclasses import dataclass
from xml.sax.saxutils import escape as _xml_escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A3, A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from journeys.contract.model import FindingType
from journeys.render.fonts import register_fonts

INK = colors.HexColor("#1F2933")
MUTED = colors.HexColor("#616E7C")
RULE = colors.HexColor("#CBD2D9")
HEADER_BG = colors.HexColor("#E4E7EB")
CHANNEL_BG = colors.HexColor("#F5F7FA")
ACCENT = colors.HexColor("#0072B2")
EMPTY_BG = colors.HexColor("#FAFBFC")

# Okabe-Ito hues (colour-blind safe), darkened where used as text on white.
MARKERS: dict[FindingType, tuple[str, str]] = {
    FindingType.DELIGHT: ("▲", "#007A5A"),
    FindingType.IRRITANT: ("▼", "#B36B00"),
    FindingType.BREAK: ("✖", "#C0392B"),
}
LIGHT = {
    FindingType.DELIGHT: colors.HexColor("#C7EDE2"),
    FindingType.IRRITANT: colors.HexColor("#FBE3B3"),
    FindingType.BREAK: colors.HexColor("#F8CFC4"),
}
STATUS_COLOURS = {"missing": "#8A94A6", "poorly_handled": "#B36B00", "planned": "#0072B2"}

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def esc(text: object) -> str:
    """Return user text safe inside reportlab Paragraph markup; newlines become breaks."""
    clean = _CONTROL.sub("", str(text)).replace("\r\n", "\n").replace("\r", "\n")
    return _xml_escape(clean).replace("\t", " ").replace("\n", "<br/>")


def marker(kind: FindingType, intensity: int) -> str:
    """Paragraph markup of a finding marker: its symbol and intensity, in its colour."""
    symbol, colour = MARKERS[kind]
    return f'<font color="{colour}">{symbol}{intensity}</font>'


@dataclass(frozen=True)
class Sheet:
    """Page geometry and paragraph styles for one paper size."""

    page: str
    size: tuple[float, float]
    margin: float
    scale: float
    styles: dict[str, ParagraphStyle]

    @property
    def frame_width(self) -> float:
        return self.size[0] - 2 * self.margin

    @property
    def frame_height(self) -> float:
        return self.size[1] - 2 * self.margin - 8 * mm  # the footer band


def sheet(page: str) -> Sheet:
    """Return the Sheet of an A3 or A4 landscape page; raises ValueError otherwise."""
    if page not in ("A3", "A4"):
        raise ValueError(f"unknown page size {page!r}; expected 'A3' or 'A4'")
    regular, bold = register_fonts()
    scale = 1.15 if page == "A3" else 1.0
    size = landscape(A3 if page == "A3" else A4)

    def style(name: str, size_pt: float, font: str = regular, **extra: object) -> ParagraphStyle:
        values: dict[str, object] = {
            "fontName": font,
            "fontSize": size_pt * scale,
            "leading": size_pt * scale * 1.25,
            "textColor": INK,
            "alignment": TA_LEFT,
        }
        return ParagraphStyle(name, **(values | extra))

    styles = {
        "title": style("title", 28, bold, leading=34 * scale, spaceAfter=6 * mm),
        "subtitle": style("subtitle", 14, textColor=ACCENT, spaceAfter=8 * mm),
        "h1": style("h1", 17, bold, spaceBefore=2 * mm, spaceAfter=4 * mm),
        "h2": style("h2", 12, bold, spaceBefore=3 * mm, spaceAfter=2 * mm),
        "body": style("body", 10, spaceAfter=2 * mm),
        "label": style("label", 8.5, bold, textColor=MUTED),
        "value": style("value", 11, spaceAfter=3 * mm),
        "small": style("small", 8, textColor=MUTED),
        "cell": style("cell", 7.6),
        "cellhead": style("cellhead", 8.2, bold),
        "figure": style("figure", 22, bold, textColor=ACCENT),
    }
    return Sheet(page, size, 14 * mm, scale, styles)
