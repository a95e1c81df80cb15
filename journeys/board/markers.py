"""A touchpoint as one line of a grid cell: its status, label and finding markers, written as
the board shows them ("◌ Email de relance ⚠⚠ ♥") and recognised in grids written by hand."""

from __future__ import annotations

import re
from dataclasses import dataclass

from journeys.board.html import STATUS_SYMBOLS, SYMBOLS
from journeys.contract.model import FindingType, Touchpoint, TouchpointStatus

_VARIANTS = str.maketrans("", "", "\ufe0e\ufe0f")  # text / emoji presentation selectors
_PLAIN = {kind: symbol.translate(_VARIANTS) for kind, symbol in SYMBOLS.items()}
# What a hand-written grid may use besides the board's symbols: the PDF's ▲▼✖, hearts and
# crosses of other fonts, and the ASCII "(+)", "(-)", "(x)" of a grid typed on a keyboard.
_SYMBOLS: dict[FindingType, str] = {
    FindingType.DELIGHT: _PLAIN[FindingType.DELIGHT] + "❤▲",
    FindingType.IRRITANT: _PLAIN[FindingType.IRRITANT] + "▼",
    FindingType.BREAK: _PLAIN[FindingType.BREAK] + "✗✘❌",
}
_ASCII = {"+": FindingType.DELIGHT, "-": FindingType.IRRITANT, "x": FindingType.BREAK}
_RUN = "|".join(f"[{re.escape(chars)}]+[1-3]?" for chars in _SYMBOLS.values())
_MARK = rf"(?:{_RUN}|\((?:\++|-+|x+)\))"
_TRAILING = re.compile(rf"(?:^|\s*)({_MARK})\s*$", re.IGNORECASE)
_STATUS = {symbol: status for status, symbol in STATUS_SYMBOLS.items() if symbol}
_SPACES = re.compile(r"[ \t\r\n\u00a0]+")


@dataclass(frozen=True)
class Marker:
    """A finding as a grid shows it: its type and intensity (1 to 3)."""

    type: FindingType
    intensity: int


@dataclass(frozen=True)
class Line:
    """One line of a cell read back: the touchpoint's label, status and finding markers."""

    label: str
    status: TouchpointStatus
    markers: tuple[Marker, ...]


def marker_text(marker: Marker) -> str:
    """'⚠⚠' for an irritant of intensity 2 (the board's symbol, once per level)."""
    return SYMBOLS[marker.type] * marker.intensity


def line_text(touchpoint: Touchpoint) -> str:
    """Return the touchpoint as one line: status symbol, label (on one line), markers."""
    label = _SPACES.sub(" ", touchpoint.label).strip()
    status = STATUS_SYMBOLS[touchpoint.status]
    marks = [marker_text(Marker(f.type, f.intensity)) for f in touchpoint.findings]
    return " ".join(part for part in (status, label, *marks) if part)


def cell_lines(text: str) -> list[str]:
    """The non-blank lines of a cell's text, each with its outer spaces removed."""
    return [line.strip() for line in text.replace("\r\n", "\n").split("\n") if line.strip()]


def parse_line(text: str) -> Line:
    """Read a line of a cell: a leading status symbol and trailing markers are recognised.

    The label may come out empty (a line of markers only): the caller says where it was.
    """
    rest = _SPACES.sub(" ", text.translate(_VARIANTS)).strip()
    status = TouchpointStatus.EXISTING
    head, _, tail = rest.partition(" ")
    if head in _STATUS and tail:
        status, rest = _STATUS[head], tail
    markers: list[Marker] = []
    while match := _TRAILING.search(rest):
        markers.insert(0, _marker(match.group(1)))
        rest = rest[: match.start()].rstrip()
    return Line(rest, status, tuple(markers))


def _marker(token: str) -> Marker:
    if token.startswith("("):
        inner = token[1:-1].lower()
        return Marker(_ASCII[inner[0]], min(len(inner), 3))
    kind = next(k for k, chars in _SYMBOLS.items() if token[0] in chars)
    if token[-1].isdigit():
        return Marker(kind, int(token[-1]))
    return Marker(kind, min(len(token), 3))
