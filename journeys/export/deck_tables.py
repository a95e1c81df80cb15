"""Findings and gap slides: native tables continued over as many slides as their rows need,
a moment's band repeated at the top of a slide that continues it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pptx.util import Inches

from journeys.board.analysis import counts_by_moment
from journeys.contract.model import Finding, FindingType, Journey, Moment, Touchpoint
from journeys.export.deck_grid import Cell, add_table, cell_text_height
from journeys.export.deck_slides import Slides
from journeys.export.deck_style import (
    BODY_BOTTOM,
    BODY_TOP,
    BODY_W,
    CHANNEL_BG,
    HEADER_BG,
    MARGIN,
    MUTED,
    WHITE,
    hex_of,
)
from journeys.export.deck_text import Paragraph, Span, text_box, text_height
from journeys.i18n import enum_label, t
from journeys.report.board_table import SEVERITY
from journeys.report.sections import GapReport
from journeys.report.style import MARKERS

KEY_SIZES = (13.0, 12.0, 11.0)  # the largest that holds a key moment on one slide
OTHER_SIZES = (10.0,)


@dataclass(frozen=True)
class Row:
    """A table row: a paragraph list per column, or one band across them all (a moment)."""

    cells: Sequence[Sequence[Paragraph]]
    band: bool = False
    fill: str | None = None


def table_slides(
    slides: Slides,
    title: str,
    subtitle: str,
    head: Sequence[tuple[str, float]],
    rows: Sequence[Row],
    sizes: Sequence[float],
    lead: Sequence[Paragraph] = (),
) -> None:
    """Add the slides of one table: `head` names the columns and their share of the width;
    `lead`, above the table on the first slide; the header row on every slide. The text is
    at the first of `sizes` with which the table holds on one slide, else at the last."""
    widths = [int(BODY_W * share) for _, share in head]
    heading = Row([[[Span(name, bold=True)]] for name, _ in head], fill=HEADER_BG)
    lead_h = text_height(lead, 12, BODY_W, gap=3) + Inches(0.15) if lead else 0
    for size in sizes:
        runs = _runs(heading, rows, widths, size, lead_h)
        if len(runs) == 1:
            break
    for n, run in enumerate(runs, start=1):
        name = f"{title} ({n}/{len(runs)})" if len(runs) > 1 else title
        slide = slides.add(name, subtitle)
        top = BODY_TOP
        if n == 1 and lead:
            text_box(slide, (MARGIN, top, BODY_W, lead_h), lead, 12, gap=3)
            top += lead_h
        _table(slide, top, widths, run, size)


def _runs(
    heading: Row, rows: Sequence[Row], widths: list[int], size: float, lead_h: int
) -> list[list[tuple[Row, int]]]:
    """Rows (with their heights) slide by slide, each slide's starting with the header row,
    then its moment's band when it continues one."""
    header = (heading, _height(heading, widths, size))
    measured = [(row, _height(row, widths, size)) for row in rows]
    band_h = max((h for row, h in measured if row.band), default=0)
    room = BODY_BOTTOM - BODY_TOP - header[1] - band_h
    runs: list[list[tuple[Row, int]]] = []
    current: list[tuple[Row, int]] = [header]
    used, band = lead_h, None
    for row, height in measured:
        if len(current) > 1 and used + height > room:
            if current[-1][0].band and len(current) > 2:
                current.pop()  # a band alone at the foot of a slide: it opens the next one
            runs.append(current)
            current, used = [header], 0
            if band is not None and not row.band:
                current.append(band)
        if row.band:
            band = (row, height)
        current.append((row, height))
        used += height
    runs.append(current)
    return runs


def _height(row: Row, widths: Sequence[int], size: float) -> int:
    if row.band:
        return cell_text_height(row.cells[0], size, sum(widths))
    return max(cell_text_height(c, size, w) for c, w in zip(row.cells, widths, strict=True))


def _table(
    slide: object, top: int, widths: Sequence[int], rows: Sequence[tuple[Row, int]], size: float
) -> None:
    cells = []
    for row, height in rows:
        if row.band:
            cells.append(([Cell(row.cells[0], CHANNEL_BG, span=len(widths))], height))
        else:
            cells.append(([Cell(c, row.fill or WHITE) for c in row.cells], height))
    add_table(slide, MARGIN, top, widths, cells, size)  # type: ignore[arg-type]


def _mark(kind: FindingType | None, intensity: int) -> list[Paragraph]:
    if kind is None:
        return []
    symbol, colour = MARKERS[kind]
    return [[Span(f"{symbol}{intensity}", hex_of(colour), bold=True, size=1.15)]]


def _optional(text: str | None) -> list[Paragraph]:
    return [[Span(text or "")]] if (text or "").strip() else [[Span("—", MUTED)]]


class FindingRows:
    """Findings as table rows, with the journey's words for moments, channels and sources."""

    def __init__(self, journey: Journey, lang: str):
        self.journey, self.lang = journey, lang
        self.channels = {c.id: c.label for c in journey.channels}
        self.counts = counts_by_moment(journey)

    def of(self, moment: Moment) -> list[tuple[Touchpoint, Finding]]:
        """A moment's findings: problems strongest first, then delights, in document order."""
        found = [
            (tp, f)
            for tp in self.journey.touchpoints
            if tp.moment == moment.id
            for f in tp.findings
        ]
        return sorted(
            found,
            key=lambda item: (
                item[1].type is FindingType.DELIGHT,
                -item[1].intensity,
                SEVERITY.index(item[1].type),
            ),
        )

    def row(self, tp: Touchpoint, finding: Finding, axes: bool) -> Row:
        source = enum_label("report.source", finding.source, self.lang)
        cells: list[list[Paragraph]] = [
            _mark(finding.type, finding.intensity),
            [[Span(f"{self.channels.get(tp.channel, tp.channel)} · {tp.label}")]],
            [[Span(finding.text)], [Span(f"({source})", MUTED, size=0.85)]],
        ]
        if axes:
            cells.append(_optional(finding.improvement))
        return Row(cells)

    def head(self, axes: bool) -> list[tuple[str, float]]:
        lang = self.lang
        where = f"{t('term.channel', lang)} · {t('term.touchpoint', lang)}"
        if not axes:
            return [
                (t("report.intensity", lang), 0.06),
                (where, 0.26),
                (t("term.finding", lang), 0.68),
            ]
        return [
            (t("report.intensity", lang), 0.06),
            (where, 0.22),
            (t("term.finding", lang), 0.40),
            (t("term.improvement", lang), 0.32),
        ]

    def summary(self, moment: Moment) -> str:
        counts = self.counts.get(moment.id)
        if counts is None:
            return ""
        return t(
            "deck.moment_counts",
            self.lang,
            touchpoints=counts.touchpoints,
            delights=counts.delights,
            irritants=counts.irritants,
            breaks=counts.breaks,
        )


def _axes(found: Sequence[tuple[Touchpoint, Finding]]) -> bool:
    """A column empty on every row (a derived target's) says nothing: its room goes to the text."""
    return any((f.improvement or "").strip() for _, f in found)


def key_moment_slides(slides: Slides, journey: Journey, lang: str) -> None:
    """One slide (continued when needed) per key moment: its findings and improvement axes."""
    words = FindingRows(journey, lang)
    for moment in (m for m in journey.moments if m.key):
        found = words.of(moment)
        subtitle = " — ".join(x for x in (words.summary(moment), moment.description) if x)
        lead: list[Paragraph] = []
        if not found:
            lead = [[Span(t("report.none", lang), MUTED)]]
        axes = _axes(found)
        rows = [words.row(tp, f, axes) for tp, f in found]
        title = f"★ {moment.label}"
        if rows:
            table_slides(slides, title, subtitle, words.head(axes), rows, KEY_SIZES, lead)
        else:
            slide = slides.add(title, subtitle)
            text_box(slide, (MARGIN, BODY_TOP, BODY_W, Inches(0.5)), lead, 12)


def other_findings_slides(slides: Slides, journey: Journey, lang: str) -> None:
    """The findings of the other moments (all, without key moments), moment by moment."""
    words = FindingRows(journey, lang)
    keyed = any(m.key for m in journey.moments)
    groups = [(m, words.of(m)) for m in journey.moments if not m.key]
    groups = [(m, found) for m, found in groups if found]
    if not groups:
        return
    axes = _axes([item for _, found in groups for item in found])
    rows: list[Row] = []
    for moment, found in groups:
        band = f"{moment.label} — {words.summary(moment)}"
        rows.append(Row([[[Span(band, bold=True)]]], band=True))
        rows += [words.row(tp, f, axes) for tp, f in found]
    title = t("deck.other_findings" if keyed else "report.problems", lang)
    intro = t("report.problems_intro", lang)
    table_slides(slides, title, intro, words.head(axes), rows, OTHER_SIZES)


def gap_slides(slides: Slides, gap: GapReport, lang: str) -> None:
    """The as-is → to-be gap: its summary, then by moment what is resolved (by which
    improvement), what remains or is new, which touchpoints change."""
    lead: list[Paragraph] = []
    if gap.compared_with:
        lead.append([Span(t("report.gap_compared", lang, title=gap.compared_with), bold=True)])
    lead += [[Span("• " + line)] for line in gap.summary]
    head = [
        (t("report.intensity", lang), 0.06),
        (f"{t('term.channel', lang)} · {t('term.touchpoint', lang)}", 0.2),
        (t("report.gap_what", lang), 0.34),
        (t("term.improvement", lang), 0.28),
        (t("report.gap_state", lang), 0.12),
    ]
    rows: list[Row] = []
    for moment in gap.moments:
        band = ("★ " if moment.key else "") + moment.label
        band += f" — {moment.summary}" if moment.summary else ""
        rows.append(Row([[[Span(band, bold=True)]]], band=True))
        for line in moment.lines:
            rows.append(
                Row(
                    [
                        _mark(line.kind, line.intensity),
                        [[Span(line.where)]],
                        [[Span(line.text)]],
                        _optional(line.improvement),
                        [[Span(line.state, bold=True)]],
                    ]
                )
            )
    title = t("report.gap", lang)
    if not rows:
        slide = slides.add(title)
        text_box(slide, (MARGIN, BODY_TOP, BODY_W, Inches(2)), lead, 12, gap=3)
        return
    table_slides(slides, title, t("report.gap_intro", lang), head, rows, OTHER_SIZES, lead)
