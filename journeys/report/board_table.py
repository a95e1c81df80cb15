"""The journey board as PDF tables: moments across, channels down, split across pages."""

from __future__ import annotations

import math
from collections import Counter

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Paragraph, Spacer, Table, TableStyle

from journeys.contract.model import FindingType, Journey, Touchpoint, TouchpointStatus
from journeys.i18n import enum_label, t
from journeys.report.style import (
    CHANNEL_BG,
    HEADER_BG,
    RULE,
    STATUS_COLOURS,
    Sheet,
    esc,
    marker,
)

SEVERITY = (FindingType.BREAK, FindingType.IRRITANT, FindingType.DELIGHT)
CELL_TINT = {
    FindingType.BREAK: colors.HexColor("#FDECEA"),
    FindingType.IRRITANT: colors.HexColor("#FEF6E8"),
    FindingType.DELIGHT: colors.HexColor("#EAF7F2"),
}
MAX_LABEL = 90


def _short(text: str, limit: int = MAX_LABEL) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def markers(touchpoint: Touchpoint) -> str:
    """Markup of a touchpoint's findings, worst first: `✖3 ▼2×2 ▲1`."""
    counts = Counter((f.type, f.intensity) for f in touchpoint.findings)
    ordered = sorted(counts, key=lambda key: (SEVERITY.index(key[0]), -key[1]))
    parts = []
    for kind, intensity in ordered:
        times = f"×{counts[kind, intensity]}" if counts[kind, intensity] > 1 else ""
        parts.append(marker(kind, intensity) + times)
    return " ".join(parts)


def touchpoint_markup(touchpoint: Touchpoint, lang: str) -> str:
    """Markup of one touchpoint in a board cell: label, status when not existing, markers."""
    text = f"<b>{esc(_short(touchpoint.label))}</b>"
    status = touchpoint.status
    if status is not TouchpointStatus.EXISTING:
        colour = STATUS_COLOURS[status.value]
        word = esc(enum_label("report.status", status, lang))
        text += f' <font color="{colour}"><i>[{word}]</i></font>'
    found = markers(touchpoint)
    return text + (f"<br/>{found}" if found else "")


def cell_tint(touchpoints: list[Touchpoint]) -> colors.Color | None:
    """Background of a cell: its worst finding type, lightly."""
    kinds = {f.type for tp in touchpoints for f in tp.findings}
    return next((CELL_TINT[k] for k in SEVERITY if k in kinds), None)


def chunks(count: int, per_page: int) -> list[range]:
    """Split `count` columns into balanced runs of at most `per_page`."""
    if count == 0:
        return []
    parts = math.ceil(count / per_page)
    size = math.ceil(count / parts)
    return [range(start, min(start + size, count)) for start in range(0, count, size)]


def board_flowables(journey: Journey, sh: Sheet, lang: str) -> list[Flowable]:
    """Return the board as tables, one run of moments per page; the channel column and the
    moment headers repeat on every page (headers also when a run spans pages downwards)."""
    st = sh.styles
    channel_width = 34 * mm * sh.scale
    per_page = max(1, int((sh.frame_width - channel_width) // (30 * mm * sh.scale)))
    # a row taller than a page cannot be split: keep every cell within a few touchpoints
    max_in_cell = max(2, int(sh.frame_height * 0.75 // (6 * st["cell"].leading)))
    cells: dict[tuple[str, str], list[Touchpoint]] = {}
    for tp in journey.touchpoints:
        cells.setdefault((tp.moment, tp.channel), []).append(tp)
    runs = chunks(len(journey.moments), per_page)
    out: list[Flowable] = []
    for number, run in enumerate(runs):
        moments = [journey.moments[i] for i in run]
        if number:
            out.append(PageBreak())
        if len(runs) > 1:
            part = t(
                "report.board_part",
                lang,
                first=run.start + 1,
                last=run.stop,
                total=len(journey.moments),
            )
            out += [Paragraph(esc(part), st["small"]), Spacer(1, 2 * mm)]
        head = [Paragraph(esc(t("term.channel", lang)), st["cellhead"])]
        head += [
            Paragraph(("★ " if m.key else "") + esc(_short(m.label)), st["cellhead"])
            for m in moments
        ]
        rows, tints = [head], []
        for r, channel in enumerate(journey.channels, start=1):
            row: list[object] = [Paragraph(esc(_short(channel.label)), st["cellhead"])]
            for c, moment in enumerate(moments, start=1):
                here = cells.get((moment.id, channel.id), [])
                shown = [touchpoint_markup(tp, lang) for tp in here[:max_in_cell]]
                if len(here) > max_in_cell:
                    shown.append(f"<i>+{len(here) - max_in_cell}</i>")
                row.append(Paragraph("<br/>".join(shown), st["cell"]) if shown else "")
                tint = cell_tint(here)
                if tint is not None:
                    tints.append(("BACKGROUND", (c, r), (c, r), tint))
            rows.append(row)
        width = (sh.frame_width - channel_width) / max(1, len(moments))
        table = Table(rows, colWidths=[channel_width] + [width] * len(moments), repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), st["cell"].fontName, st["cell"].fontSize),
                    ("GRID", (0, 0), (-1, -1), 0.5, RULE),
                    ("BACKGROUND", (0, 0), (-1, 0), HEADER_BG),
                    ("BACKGROUND", (0, 1), (0, -1), CHANNEL_BG),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("TOPPADDING", (0, 0), (-1, -1), 3),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                    ("LEFTPADDING", (0, 0), (-1, -1), 4),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                    *tints,
                ]
            )
        )
        out.append(table)
    out += [Spacer(1, 3 * mm), Paragraph(esc(t("report.legend_markers", lang)), st["small"])]
    return out
