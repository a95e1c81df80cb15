"""Register the vendored DejaVu fonts with reportlab and svglib (embedded, full Unicode)."""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Any

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
            from svglib.fonts import register_font

            for name, weight in ((REGULAR, "normal"), (BOLD, "bold")):
                path = str(FONT_DIR / f"{name}.ttf")
                # the first font registered under a name stays: ours, before svglib's
                pdfmetrics.registerFont(_font_class()(name, path))
                register_font(SVG_FAMILY, path, weight=weight, rlgFontName=name)
            for italic in (0, 1):
                addMapping(REGULAR, 0, italic, REGULAR)
                addMapping(REGULAR, 1, italic, BOLD)
            _done = True
    return REGULAR, BOLD


_WIDE = re.compile(rb"<([0-9A-F]{2})> <([0-9A-F]{5,6})>")


def _utf16(match: re.Match[bytes]) -> bytes:
    code = int(match.group(2), 16) - 0x10000
    pair = (0xD800 + (code >> 10), 0xDC00 + (code & 0x3FF))
    return b"<%s> <%04X%04X>" % (match.group(1), *pair)


def _font_class() -> type[Any]:
    """A TTFont whose text extracts as typed, whatever the characters.

    reportlab writes a character beyond U+FFFF (😊) in the font's ToUnicode map as 5 hex
    digits, which readers reject (it must be a UTF-16 surrogate pair), and draws every
    character the font lacks (👍) as code 0, which reads back as NUL. Here each such
    character gets a code of its own, drawn with the font's "missing" glyph, and every map
    says UTF-16.
    """
    from reportlab.pdfbase.ttfonts import TTFont

    class ExtractableTTFont(TTFont):  # type: ignore[misc]
        def splitString(  # noqa: N802 (reportlab's name)
            self, text: str | bytes, doc: Any, encoding: str = "utf-8"
        ) -> Any:
            if isinstance(text, bytes):
                text = text.decode(encoding)
            glyphs = self.face.charToGlyph
            for code in set(map(ord, text)):
                if code not in glyphs and code >= 0x20 and code != 0xA0:
                    glyphs[code] = 0  # its own code, the "missing" glyph, its own ToUnicode
            return super().splitString(text, doc, encoding)

        def addObjects(self, doc: Any) -> None:  # noqa: N802 (reportlab's name)
            super().addObjects(doc)
            face = self.face.name.decode("latin-1")
            for name, stream in list(doc.idToObject.items()):
                if str(name).startswith("toUnicodeCMap:") and face in str(name):
                    content = stream.content
                    raw = content.encode("latin-1") if isinstance(content, str) else content
                    fixed = _WIDE.sub(_utf16, raw)
                    if fixed != raw:
                        stream.content = (
                            fixed.decode("latin-1") if isinstance(content, str) else fixed
                        )

    return ExtractableTTFont
