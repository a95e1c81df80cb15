"""How the journey board fits the page: the font size, how much of each touchpoint a cell
shows and how many runs of moments (one a page) it takes, chosen by counting lines."""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from reportlab.pdfbase.pdfmetrics import stringWidth

from journeys.contract.model import FindingType, Journey, Moment, Touchpoint, TouchpointStatus
from journeys.i18n import enum_label
from journeys.render.fonts import BOLD, REGULAR
from journeys.report.style import MARKERS, Sheet

SEVERITY = (FindingType.BREAK, FindingType.IRRITANT, FindingType.DELIGHT)
MAX_LABEL = 90
SIZES = (12.0, 11.0, 10.0, 9.5, 9.0, 8.5, 8.0, 7.5, 7.0, 6.5, 6.0)  # points, largest first
MIN_COLUMN = 10.0  # a moment column is at least 10 × the font size wide (~16 characters)
HEAD = 1.05  # the headers' size, relative to the cells'
LEADING, HEAD_LEADING = 1.2, 1.28
PADDING = 0.95  # top and bottom padding of a cell, relative to the size
LONG_WORD = 18


@dataclass(frozen=True)
class Detail:
    """How much of a touchpoint a cell shows: its label cut to `label` characters, at most
    `per_cell` touchpoints a cell (0: as many as a page allows; then `+n`), at a font size
    of at least `floor` points."""

    label: int
    per_cell: int
    floor: float


# full labels first, then shorter ones, then names and markers only: the first that fits wins
DETAILS = (Detail(MAX_LABEL, 0, 7.5), Detail(48, 6, 6.5), Detail(32, 3, 6.0))


@dataclass(frozen=True)
class BoardFit:
    """The board's layout: font size, detail, runs of moments (one a page), channel column;
    `fits` is False when even the most compact layout is taller than a page (its rows then
    flow onto the next page, under the moment headers repeated)."""

    size: float
    detail: Detail
    runs: tuple[range, ...]
    channel_width: float
    per_cell: int
    fits: bool = True


def short(text: str, limit: int = MAX_LABEL) -> str:
    """`text` cut to `limit` characters, an ellipsis marking the cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def moment_title(moment: Moment, width: float = math.inf, size: float = 0.0) -> str:
    """A moment's header, starred when key: the star kept on the line of the first word when
    both hold in `width` at `size` points (bold)."""
    label = short(moment.label)
    if not moment.key:
        return label
    first = f"★ {label.split(maxsplit=1)[0] if label.strip() else ''}"
    return ("★\u00a0" if stringWidth(first, BOLD, size) <= width else "★ ") + label


def ordered_markers(touchpoint: Touchpoint) -> list[tuple[FindingType, int, int]]:
    """(type, intensity, how many) of a touchpoint's findings, worst first."""
    counts = Counter((f.type, f.intensity) for f in touchpoint.findings)
    ordered = sorted(counts, key=lambda key: (SEVERITY.index(key[0]), -key[1]))
    return [(kind, intensity, counts[kind, intensity]) for kind, intensity in ordered]


def status_word(touchpoint: Touchpoint, lang: str) -> str:
    """The touchpoint's status in words, empty when it simply exists."""
    if touchpoint.status is TouchpointStatus.EXISTING:
        return ""
    return enum_label("report.status", touchpoint.status, lang)


def chunks(count: int, per_page: int) -> list[range]:
    """Split `count` columns into balanced runs of at most `per_page`."""
    if count == 0:
        return []
    parts = math.ceil(count / per_page)
    size = math.ceil(count / parts)
    return [range(start, min(start + size, count)) for start in range(0, count, size)]


@functools.lru_cache(maxsize=4096)
def _widths(text: str, font: str) -> tuple[tuple[float, ...], float]:
    """The widths at 1 point of the words of `text`, and of a space."""
    return tuple(stringWidth(w, font, 1) for w in text.split()), stringWidth(" ", font, 1)


def _lines(text: str, font: str, size: float, width: float) -> int:
    """How many lines `text` wraps to in `width` at `size` points (words are not broken),
    as simpleSplit counts them, from the words' widths measured once."""
    words, space = _widths(text, font)
    if not words:
        return 0
    lines, used = 1, words[0] * size
    for word in words[1:]:
        if used + (space + word) * size <= width:
            used += (space + word) * size
        else:
            lines, used = lines + 1, word * size
    return lines


def _longest_word(texts: list[str], font: str) -> float:
    """Width at 1 point of the longest word: words break across lines only after a hyphen
    (a word of more than LONG_WORD characters, a link say, is broken anywhere)."""
    words = (w for text in texts for w in re.split(r"[ \t\n]+|(?<=-)", text))
    return max((stringWidth(w[:LONG_WORD], font, 1) for w in words), default=0.0)


def head_size(fit: BoardFit, column: float, word: float, floor: float = 0.0) -> float:
    """The moment headers' size: HEAD × the cells' size, smaller when the longest word of a
    moment's name would not hold in its column otherwise, never below `floor` (a longer word
    is then broken)."""
    return max(floor, min(fit.size * HEAD, (column - fit.size) / word if word else math.inf))


class Measure:
    """The board's cells and the heights of its tables, by counting wrapped lines."""

    def __init__(self, journey: Journey, sh: Sheet, lang: str):
        self.journey, self.sh, self.lang = journey, sh, lang
        self.cells: dict[tuple[str, str], list[Touchpoint]] = {}
        for tp in journey.touchpoints:
            self.cells.setdefault((tp.moment, tp.channel), []).append(tp)
        self.words = {tp.id: status_word(tp, lang) for tp in journey.touchpoints}
        self.marks = {
            tp.id: " ".join(f"{MARKERS[k][0]}{i}×{n}" for k, i, n in ordered_markers(tp))
            for tp in journey.touchpoints
        }
        channels = [short(c.label) for c in journey.channels]
        self.channel_text = max((stringWidth(c, BOLD, HEAD) for c in channels), default=0.0)
        self.channel_word = _longest_word(channels, BOLD) * HEAD
        self.moment_word = _longest_word([short(m.label) for m in journey.moments], BOLD)

    def channel_width(self, size: float) -> float:
        """The channel column: its longest label on one line when that takes at most 11 %
        of the page, never narrower than its longest word."""
        text = min(self.channel_text * size, 0.11 * self.sh.frame_width)
        return max(text, self.channel_word * size, 7 * size) + size

    def column(self, fit: BoardFit, run: range) -> float:
        return (self.sh.frame_width - fit.channel_width) / len(run)

    def _cell_lines(self, here: list[Touchpoint], fit: BoardFit, width: float) -> int:
        size, limit = fit.size, fit.detail.label
        lines = 0
        for tp in here[: fit.per_cell]:
            label, word = short(tp.label, limit), self.words[tp.id]
            lines += _lines(f"{label} [{word}]" if word else label, BOLD, size, width)
            lines += _lines(self.marks[tp.id], REGULAR, size, width)
        return lines + (1 if len(here) > fit.per_cell else 0)

    def rows(self, run: range, fit: BoardFit, limit: float = math.inf) -> list[float]:
        """The heights of the header and of each channel row of the table of `run` (the
        counting stops once their sum passes `limit`)."""
        size, pad = fit.size, fit.size * PADDING
        width = self.column(fit, run) - size
        moments = [self.journey.moments[i] for i in run]
        head = head_size(fit, width + size, self.moment_word, SIZES[-1])
        heads = (_lines(moment_title(m, width, head), BOLD, head, width) for m in moments)
        heights = [max(heads, default=1) * head * HEAD_LEADING / HEAD + pad]
        used = heights[0]
        for channel in self.journey.channels:
            title = _lines(short(channel.label), BOLD, size * HEAD, fit.channel_width - size)
            body = max(
                (
                    self._cell_lines(self.cells.get((m.id, channel.id), []), fit, width)
                    for m in moments
                ),
                default=0,
            )
            heights.append(max(title * size * HEAD_LEADING, body * size * LEADING) + pad)
            used += heights[-1]
            if used > limit:
                break
        return heights

    def height(self, run: range, fit: BoardFit, limit: float = math.inf) -> float:
        """The height of the table of `run` (counting stops once it passes `limit`)."""
        return sum(self.rows(run, fit, limit))

    def channel_groups(self, run: range, fit: BoardFit, room: float) -> list[range]:
        """The channels of `run` in consecutive groups, each a table no taller than `room`
        (under the repeated moment headers), the groups of about the same height."""
        head, *rows = self.rows(run, fit)
        pages = max(1, math.ceil(sum(rows) / (room - head)))
        target = sum(rows) / pages
        groups, start, used = [], 0, 0.0
        for i, height in enumerate(rows):
            if i > start and (used + height > room - head or used + height / 2 > target):
                groups.append(range(start, i))
                start, used = i, 0.0
            used += height
        return [*groups, range(start, len(rows))]


def _runs_needed(measure: Measure, count: int, size: float) -> int:
    room = measure.sh.frame_width - measure.channel_width(size)
    return math.ceil(count / max(1, int(room // (MIN_COLUMN * size))))


def candidates(measure: Measure, room: float) -> Iterator[BoardFit]:
    """Layouts from the most to the least wanted: fewer pages, then fuller labels, then a
    larger font; a moment column never narrower than MIN_COLUMN × the font size nor than
    the longest word of a moment's name."""
    width = measure.sh.frame_width
    count = len(measure.journey.moments)
    largest = max(s for s in SIZES if s <= 11.0 * measure.sh.scale)
    least = _runs_needed(measure, count, SIZES[-1])  # the fewest runs, and two more tries
    for parts in range(least, min(count, least + 2) + 1):
        runs = tuple(chunks(count, math.ceil(count / parts)))
        widest = max(len(run) for run in runs)
        for detail in DETAILS:
            for size in (s for s in SIZES if detail.floor <= s <= largest):
                channel = measure.channel_width(size)
                column = (width - channel) / widest
                if column < MIN_COLUMN * size:
                    continue
                per_cell = detail.per_cell or max(2, int(room // (6 * size * LEADING)))
                fit = BoardFit(size, detail, runs, channel, per_cell)
                if head_size(fit, column, measure.moment_word) >= max(SIZES[-1], size * 0.85):
                    yield fit


def fit_board(
    measure: Measure, room: float, height_of: Callable[[range, BoardFit], float]
) -> BoardFit:
    """The first candidate whose every table is no taller than `room`: counted, then measured
    (`height_of` returns the real table's height). When none is, the one needing the fewest
    pages, of those the one with the largest font, then the fullest labels; its rows flow
    onto further pages."""
    tried: list[tuple[tuple[int, float, int], BoardFit]] = []
    for fit in candidates(measure, room):
        heights = [measure.height(run, fit, room) for run in fit.runs]
        if all(h <= room for h in heights):
            if all(height_of(run, fit) <= room for run in fit.runs):
                return fit
            continue
        pages = sum(math.ceil(measure.height(run, fit) / room) for run in fit.runs)
        tried.append(((pages, -fit.size, DETAILS.index(fit.detail)), fit))
    if tried:
        _, fit = min(tried, key=lambda item: item[0])  # min keeps the first of equals
        return BoardFit(fit.size, fit.detail, fit.runs, fit.channel_width, fit.per_cell, False)
    size, count = SIZES[-1], len(measure.journey.moments)
    runs = tuple(chunks(count, math.ceil(count / _runs_needed(measure, count, size))))
    detail = DETAILS[-1]
    return BoardFit(size, detail, runs, measure.channel_width(size), detail.per_cell, False)
