"""Register the vendored DejaVu fonts with reportlab and svglib (embedded, full Unicode)."""

from __future__ import annotations

import threading
from pathlib import Path

FONT_DIR = Path(__file__).parent / "fonts"
REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
SVG_FAMILY = "DejaVu Sans"

_lock = threading.Lock()
_done = False


def register_fonts() -> tuple[str, str]:
    """Register DejaVu Sans (regular, bold) once; return their reportlab names."""
    global _done
    with _lock:
        if not _done:
            from reportlab.lib.fonts import addMapping
            from reportlab.pdfbase import pdfmetrics
            from reportlab.pdfbase.ttfonts import TTFont
            from svglib.fonts import register_font

            for name, weight in ((REGULAR, "normal"), (BOLD, "bold")):
                path = str(FONT_DIR / f"{name}.ttf")
                pdfmetrics.registerFont(TTFont(name, path))
                register_font(SVG_FAMILY, path, weight=weight, rlgFontName=name)
            for italic in (0, 1):
                addMapping(REGULAR, 0, italic, REGULAR)
                addMapping(REGULAR, 1, italic, BOLD)
            _done = True
    return REGULAR, BOLD
