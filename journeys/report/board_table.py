"""The journey board as PDF tables fitted to the page: moments across, channels down.

The font size and how much of each touchpoint a cell shows are chosen (board_fit) so that the
board fills the page width and, when it can at a readable size, holds on one page; a board
too wide for that is split into runs of moments, one a page, the channel column repeated."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Paragraph, Spacer, Table, TableStyle

from journeys.contract.model import FindingType, Journey, Touchpoint
from journeys.i18n import t
from journeys.render.fonts import BOLD, REGULAR
from journeys.report.board_fit import (
    HEAD,
    HEAD_LEADING,
    LEADING,
    LONG_WORD,
    MAX_LABEL,
    PADDING,
    SEVERITY,
    SIZES,
    BoardFit,
    Measure,
    chunks,
    fit_board,
    head_size,
    moment_title,
    ordered_markers,
    short,
    status_word,
)
from journeys.report.style import (
    CHANNEL_BG,
    HEADER_BG,
    INK,
    RULE,
    STATUS_COLOURS,
    Sheet,
    esc,
    marker,
)

__all__ = ["SEVERITY", "board_flowables", "cell_tint", "chunks", "markers", "touchpoint_markup"]

STRETCH = 4  # lines a board row may grow by so that the board fills its page
CELL_TINT = {
    FindingType.BREAK: colors.HexColor("#FDECEA"),
    FindingType.IRRITANT: colors.HexColor("#FEF6E8"),
    FindingType.DELIGHT: colors.HexColor("#EAF7F2"),
}


def markers(touchpoint: Touchpoint) -> str:
    """Markup of a touchpoint's findings, worst first: `✖3 ▼2×2 ▲1`."""
    return " ".join(
        marker(kind, intensity) + (f"×{n}" if n > 1 else "")
        for kind, intensity, n in ordered_markers(touchpoint)
    )


def touchpoint_markup(touchpoint: Touchpoint, lang: str, limit: int = MAX_LABEL) -> str:
    """Markup of one touchpoint in a board cell: label (cut to `limit` characters), status
    when not existing, markers."""
    text = f"<b>{esc(short(touchpoint.label, limit))}</b>"
    word = status_word(touchpoint, lang)
    if word:
        colour = STATUS_COLOURS[touchpoint.status.value]
        text += f' <font color="{colour}"><i>[{esc(word)}]</i></font>'
    found = markers(touchpoint)
    return text + (f"<br/>{found}" if found else "")


def cell_tint(touchpoints: list[Touchpoint]) -> colors.Color | None:
    """Background of a cell: its worst finding type, lightly."""
    kinds = {f.type for tp in touchpoints for f in tp.findings}
    return next((CELL_TINT[k] for k in SEVERITY if k in kinds), None)


def _styles(fit: BoardFit, head_points: float) -> tuple[ParagraphStyle, ParagraphStyle]:
    size = fit.size
    cell = ParagraphStyle(
        "cell", fontName=REGULAR, fontSize=size, leading=size * LEADING, embeddedHyphenation=1
    )
    head = ParagraphStyle(
        "cellhead",
        fontName=BOLD,
        fontSize=head_points,
        leading=head_points * HEAD_LEADING / HEAD,
        textColor=INK,
        embeddedHyphenation=1,
    )
    return cell, head


def _paragraph(text: str, style: ParagraphStyle, words: str, markup: bool = False) -> Paragraph:
    """A cell's paragraph, its words broken after their hyphens; a text with a word too long
    for that (a link, say) is broken anywhere instead, as reportlab cannot do both."""
    if re.search(rf"[^\s-]{{{LONG_WORD + 1},}}", words):
        style = ParagraphStyle(style.name, parent=style, embeddedHyphenation=0)
    return Paragraph(text if markup else esc(text), style)


def _rows(
    measure: Measure, run: range, fit: BoardFit, channels: range | None
) -> tuple[list[list[Any]], list[Any]]:
    """The cells of one run of moments (the moment headers, then a row per channel, all or
    those of `channels`) and the tints of those holding findings."""
    journey, lang = measure.journey, measure.lang
    column = measure.column(fit, run)
    head_points = head_size(fit, column, measure.moment_word, SIZES[-1])
    cell, head = _styles(fit, head_points)
    channel = ParagraphStyle("channel", parent=head, fontSize=fit.size * HEAD)
    channel.leading = fit.size * HEAD_LEADING
    moments = [journey.moments[i] for i in run]
    rows: list[list[Any]] = [
        [Paragraph(esc(t("term.channel", lang)), head)]
        + [
            _paragraph(moment_title(m, column - fit.size, head_points), head, m.label)
            for m in moments
        ]
    ]
    tints = []
    shown_channels = (
        journey.channels if channels is None else journey.channels[channels.start : channels.stop]
    )
    for r, row_channel in enumerate(shown_channels, start=1):
        row: list[Any] = [_paragraph(short(row_channel.label), channel, row_channel.label)]
        for c, moment in enumerate(moments, start=1):
            here = measure.cells.get((moment.id, row_channel.id), [])
            shown = [touchpoint_markup(tp, lang, fit.detail.label) for tp in here]
            if len(shown) > fit.per_cell:
                shown = shown[: fit.per_cell] + [f"<i>+{len(here) - fit.per_cell}</i>"]
            labels = " ".join(tp.label for tp in here[: fit.per_cell])
            row.append(_paragraph("<br/>".join(shown), cell, labels, markup=True) if shown else "")
            tint = cell_tint(here)
            if tint is not None:
                tints.append(("BACKGROUND", (c, r), (c, r), tint))
        rows.append(row)
    return rows, tints


def _table(
    measure: Measure,
    run: range,
    fit: BoardFit,
    room: float | None = None,
    channels: range | None = None,
) -> Table:
    """The table of one run of moments (and of a group of `channels`); given the `room` on
    its page, its rows grow (by at most STRETCH lines each) so that it fills the page."""
    rows, tints = _rows(measure, run, fit, channels)
    widths = [fit.channel_width] + [measure.column(fit, run)] * (len(rows[0]) - 1)
    side, top, bottom = fit.size / 2, fit.size * PADDING * 0.4, fit.size * PADDING * 0.6
    heights = None
    if room is not None:
        natural = [
            max(
                (p.wrap(w - 2 * side, room)[1] for p, w in zip(row, widths, strict=True) if p),
                default=0.0,
            )
            + top
            + bottom
            for row in rows
        ]
        grow = min((room - sum(natural)) / max(1, len(rows) - 1), STRETCH * fit.size * LEADING)
        heights = [natural[0]] + [h + max(0.0, grow) for h in natural[1:]]
    table = Table(rows, colWidths=widths, rowHeights=heights, repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), REGULAR, 8),  # empty cells too: else Helvetica
                ("GRID", (0, 0), (-1, -1), 0.5, RULE),
                ("BACKGROUND", (0, 0), (-1, 0), HEADER_BG),
                ("BACKGROUND", (0, 1), (0, -1), CHANNEL_BG),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), top),
                ("BOTTOMPADDING", (0, 0), (-1, -1), bottom),
                ("LEFTPADDING", (0, 0), (-1, -1), side),
                ("RIGHTPADDING", (0, 0), (-1, -1), side),
                *tints,
            ]
        )
    )
    return table


def _heading(part: str, sh: Sheet, lang: str) -> list[Flowable]:
    """The board's title and, above every run's table, the run and the markers' legend."""
    legend = t("report.legend_markers", lang)
    line = f"{part}   ·   {legend}" if part else legend
    return [
        Paragraph(esc(t("report.board", lang)), sh.styles["h1"]),
        Paragraph(esc(line), sh.styles["small"]),
        Spacer(1, 2 * mm),
    ]


def _height(flowables: Sequence[Flowable], width: float, height: float) -> float:
    return sum(f.wrap(width, height)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in flowables)


def board_flowables(journey: Journey, sh: Sheet, lang: str) -> list[Flowable]:
    """Return the board fitted to the page: per run of moments, on its own page, the title,
    the legend and the table with the channel column and the moment headers."""
    if not journey.moments or not journey.channels:
        none = Paragraph(esc(t("report.none", lang)), sh.styles["body"])
        return [Paragraph(esc(t("report.board", lang)), sh.styles["h1"]), none]
    measure = Measure(journey, sh, lang)
    widest = " · ".join(
        t(key, lang, first=888, last=888, total=888)
        for key in ("report.board_part", "report.board_channels")
    )
    room = sh.frame_height - _height(_heading(widest, sh, lang), sh.frame_width, sh.frame_height)

    def height_of(run: range, fit: BoardFit) -> float:
        return float(_table(measure, run, fit).wrap(sh.frame_width, room)[1])

    fit = fit_board(measure, room - 2, height_of)
    every = range(len(journey.channels))
    out: list[Flowable] = []
    for run in fit.runs:
        groups = [every] if fit.fits else measure.channel_groups(run, fit, room - 2)
        for channels in groups:
            if out:
                out.append(PageBreak())
            part = _part(journey, run, channels, fit, lang)
            table = _table(measure, run, fit, room - 2, channels)
            out += [*_heading(part, sh, lang), table]
    return out


def _part(journey: Journey, run: range, channels: range, fit: BoardFit, lang: str) -> str:
    """Which moments (and channels) a page of the board holds, when it does not hold all."""
    words = []
    if len(fit.runs) > 1:
        total = len(journey.moments)
        words.append(t("report.board_part", lang, first=run.start + 1, last=run.stop, total=total))
    if len(channels) < len(journey.channels):
        total = len(journey.channels)
        words.append(
            t(
                "report.board_channels",
                lang,
                first=channels.start + 1,
                last=channels.stop,
                total=total,
            )
        )
    return " · ".join(words)
