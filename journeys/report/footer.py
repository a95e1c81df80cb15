"""The running footer of every PDF the product writes: a rule, the document's line and
`Page n of N`, written once all pages exist (N is not known before)."""

from __future__ import annotations

from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from journeys.render.fonts import BOLD, REGULAR
from journeys.report.style import MUTED, RULE, Sheet


def numbered_canvas(footer: str, page_words: str, sh: Sheet) -> type[Canvas]:
    """A canvas class that writes the running footer and `Page n of N` once all pages exist."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._saved: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 (reportlab's name)
            self._saved.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._saved)
            for state in self._saved:
                self.__dict__.update(state)
                self._decorate(total)
                super().showPage()
            super().save()

        def _decorate(self, total: int) -> None:
            width, _ = self._pagesize  # diagram pages may be turned
            y = sh.margin
            self.setStrokeColor(RULE)
            self.setLineWidth(0.5)
            self.line(sh.margin, y + 4 * mm, width - sh.margin, y + 4 * mm)
            self.setFillColor(MUTED)
            self.setFont(REGULAR, 7.5 * sh.scale)
            self.drawString(sh.margin, y, footer[:160])
            text = page_words.format(page=self._pageNumber, pages=total)
            self.setFont(BOLD, 7.5 * sh.scale)
            self.drawRightString(width - sh.margin, y, text)

    return NumberedCanvas
