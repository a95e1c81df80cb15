"""The board in the deck: a native table per slide (moments across, channels down), touchpoints
and their markers as text, split by moment groups and, when rows overflow, by channel groups."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from pptx.util import Inches, Pt

from journeys.board.analysis import touchpoints_by_cell
from journeys.contract.model import FindingType, Journey, Moment, Touchpoint, TouchpointStatus
from journeys.export.deck_grid import Cell, add_table, cell_height, pages
from journeys.export.deck_slides import Slides
from journeys.export.deck_style import (
    BODY_BOTTOM,
    BODY_TOP,
    BODY_W,
    CHANNEL_BG,
    HEADER_BG,
    INK,
    MARGIN,
    MUTED,
    PAD_X,
    PRIMARY,
    WHITE,
    hex_of,
)
from journeys.export.deck_text import Paragraph, Spaced, Span, line_count, text_box
from journeys.i18n import enum_label, t
from journeys.report.board_table import CELL_TINT, SEVERITY, chunks
from journeys.report.style import MARKERS, STATUS_COLOURS

MOMENTS_PER_SLIDE = 6
SIZES = (11.0, 10.0, 9.0)  # the largest with which every channel fits on one slide is used
CHANNEL_W = Inches(1.55)
LEGEND_H = Inches(0.32)
GAP = 4.0  # points between two touchpoints of a cell


def marker_counts(touchpoint: Touchpoint) -> list[tuple[FindingType, int, int]]:
    """A touchpoint's findings as (type, intensity, how many), worst first, as on the PDF."""
    counts = Counter((f.type, f.intensity) for f in touchpoint.findings)
    ordered = sorted(counts, key=lambda key: (SEVERITY.index(key[0]), -key[1]))
    return [(kind, intensity, counts[kind, intensity]) for kind, intensity in ordered]


@dataclass(frozen=True)
class _Part:
    """One slide of the board: its moments, its channels, its rows as (cells, height)."""

    moments: range
    channels: range
    rows: list[tuple[Sequence[Cell], int]]
    widths: list[int]


class _Board:
    """The board's cells at one text size."""

    def __init__(self, journey: Journey, lang: str, size: float):
        self.journey, self.lang, self.size = journey, lang, size
        self.cells = touchpoints_by_cell(journey)
        self.room = BODY_BOTTOM - BODY_TOP - LEGEND_H

    def header(self, moments: list[Moment], width: int) -> tuple[list[Cell], int]:
        cells = [Cell([[Span(t("term.channel", self.lang), bold=True)]], HEADER_BG)]
        lines = 1
        for m in moments:
            text = ("★ " if m.key else "") + m.label
            span = Span(text, WHITE if m.key else INK, bold=True)
            cells.append(Cell([[span]], PRIMARY if m.key else HEADER_BG))
            lines = max(lines, line_count(text, self.size, width - 2 * PAD_X, bold=True))
        return cells, cell_height(lines, self.size)

    def touchpoint(self, tp: Touchpoint) -> tuple[list[list[Span]], str]:
        """The touchpoint's paragraphs, and the text its first line is measured on."""
        head = [Span(tp.label, bold=True)]
        if tp.status is not TouchpointStatus.EXISTING:
            word = enum_label("report.status", tp.status, self.lang)
            head.append(Span(f" [{word}]", hex_of(STATUS_COLOURS[tp.status.value]), italic=True))
        paragraphs = [head]
        marks: list[Span] = []
        for kind, intensity, count in marker_counts(tp):
            symbol, colour = MARKERS[kind]
            times = f"×{count}" if count > 1 else ""
            marks += [Span(f"{symbol}{intensity}{times}", hex_of(colour), bold=True), Span("  ")]
        if marks:
            paragraphs.append(marks[:-1])
        return paragraphs, "".join(span.text for span in head)

    def cell(self, moment: Moment, channel: str, width: int, limit: int) -> tuple[Cell, int]:
        """A cell's touchpoints, as many as fit `limit` EMU, then `+N` for the others."""
        here = self.cells.get((moment.id, channel), [])
        paragraphs: list[Paragraph] = []
        lines, gaps = 0, 0
        for n, tp in enumerate(here):
            texts, measured = self.touchpoint(tp)
            more = line_count(measured, self.size, width - 2 * PAD_X, bold=True) + len(texts) - 1
            if n and cell_height(lines + more + 1, self.size) + Pt(GAP * (gaps + 1)) > limit:
                paragraphs.append([Span(f"+{len(here) - n}", MUTED, italic=True)])
                lines += 1
                break
            paragraphs += [Spaced(texts[0], GAP), *texts[1:]] if n else texts
            lines, gaps = lines + more, gaps + (1 if n else 0)
        kinds = {f.type for tp in here for f in tp.findings}
        tint = next((hex_of(CELL_TINT[k]) for k in SEVERITY if k in kinds), WHITE)
        return Cell(paragraphs, tint), cell_height(lines, self.size) + int(Pt(GAP * gaps))

    def parts(self, run: range) -> list[_Part]:
        """The slides of a run of moments: channels grouped so that each slide holds."""
        moments = [self.journey.moments[i] for i in run]
        width = (BODY_W - CHANNEL_W) // len(moments)
        header = self.header(moments, width)
        rows = []
        for channel in self.journey.channels:
            lines = line_count(channel.label, self.size, CHANNEL_W - 2 * PAD_X, bold=True)
            cells = [Cell([[Span(channel.label, bold=True)]], CHANNEL_BG)]
            height = cell_height(lines, self.size)
            for moment in moments:
                cell, tall = self.cell(moment, channel.id, width, self.room - header[1])
                cells.append(cell)
                height = max(height, tall)
            rows.append((cells, height))
        widths = [CHANNEL_W, *([width] * len(moments))]
        groups = pages([h for _, h in rows], self.room - header[1])
        return [_Part(run, g, [header, *(rows[i] for i in g)], widths) for g in groups]


def board_slides(slides: Slides, journey: Journey, lang: str) -> None:
    """Add the board's slides: the largest text size with which every channel fits on one
    slide per group of moments; at the smallest, channels are split over slides too."""
    runs = chunks(len(journey.moments), MOMENTS_PER_SLIDE)
    title = t("report.board", lang)
    if not runs or not journey.channels:
        slide = slides.add(title)
        box = (MARGIN, BODY_TOP, BODY_W, Inches(0.5))
        text_box(slide, box, [[Span(t("report.none", lang))]], 12)
        return
    for size in SIZES:
        board = _Board(journey, lang, size)
        parts = [part for run in runs for part in board.parts(run)]
        if len(parts) == len(runs):
            break
    split = len(parts) > len(runs)
    legend = [[Span(t("report.legend_markers", lang), MUTED)]]
    for part in parts:
        words = []
        if len(runs) > 1:
            first, last, total = part.moments.start + 1, part.moments.stop, len(journey.moments)
            words.append(t("report.board_part", lang, first=first, last=last, total=total))
        if split:
            first, last, total = part.channels.start + 1, part.channels.stop, len(journey.channels)
            words.append(t("report.board_channels", lang, first=first, last=last, total=total))
        slide = slides.add(title, " · ".join(words))
        add_table(slide, MARGIN, BODY_TOP, part.widths, part.rows, board.size)
        box = (MARGIN, BODY_BOTTOM - LEGEND_H + Inches(0.1), BODY_W, LEGEND_H)
        text_box(slide, box, legend, 9)
