"""The deck's look: 16:9 geometry, the app's and the PDF's colours, the font."""

from __future__ import annotations

from typing import Any

from pptx.util import Inches, Pt

from journeys.report import style as report_style

FONT = "DejaVu Sans"  # the vendored font of the PDF and the diagrams
PRIMARY = "0B5C96"  # the app's primaryColor (.streamlit/config.toml)


def hex_of(colour: Any) -> str:
    """`RRGGBB` of a reportlab colour or a `#rrggbb` string."""
    if isinstance(colour, str):
        return colour.lstrip("#").upper()
    return str(colour.hexval())[2:].upper()


INK = hex_of(report_style.INK)
MUTED = hex_of(report_style.MUTED)
RULE = hex_of(report_style.RULE)
HEADER_BG = hex_of(report_style.HEADER_BG)
CHANNEL_BG = hex_of(report_style.CHANNEL_BG)
WHITE = "FFFFFF"

# in EMU (914,400 an inch)
SLIDE_W, SLIDE_H = int(Inches(13.333)), int(Inches(7.5))
MARGIN = int(Inches(0.45))
BODY_TOP = int(Inches(1.3))
BODY_BOTTOM = int(Inches(6.85))  # the footer lies below
BODY_W = SLIDE_W - 2 * MARGIN
PAD_X, PAD_Y = int(Pt(4.5)), int(Pt(3))  # table cell margins
LEADING = 1.2  # line height of DejaVu Sans in LibreOffice and PowerPoint, with a little room
