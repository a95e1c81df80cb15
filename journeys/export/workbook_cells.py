"""What each cell of the Excel workbook holds: its layout (the hidden ids, the columns) and the
text of a moment, channel, finding or step, shared by the writer and the import that reads it
back (which compares a workbook with the text its base would have been written as)."""

from __future__ import annotations

import re
from collections.abc import Mapping

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from journeys.board.html import KEY_SYMBOL
from journeys.contract.model import (
    Channel,
    Finding,
    FindingStatus,
    FindingType,
    Journey,
    Moment,
    Program,
    Source,
    Step,
    Touchpoint,
)
from journeys.i18n import enum_label, t
from journeys.programs.dot_text import timing_text

META_SHEET = "_ids"
META_FORMAT = "journeys-workbook/1"
META_CHUNK = 30_000  # characters per cell: Excel keeps at most 32,767
# The grid: row 1 and column A are hidden and hold the ids; moments head row 2, channels
# column B; Excel moves them with the cells when a client inserts or deletes a row or column.
ID_ROW, HEAD_ROW, ID_COL, HEAD_COL = 1, 2, 1, 2
FINDING_COLUMNS = (
    "id",
    "touchpoint_id",
    "moment",
    "channel",
    "touchpoint",
    "type",
    "intensity",
    "text",
    "source",
    "improvement",
    "status",
    "visit",
)
STEP_COLUMNS = ("id", "phase", "label", "kind", "channel", "timing", "kpi", "description")
_SPACES = re.compile(r"[ \t\r\n\u00a0]+")


def text(value: object) -> str:
    """A cell's text: no character a worksheet cannot hold."""
    return ILLEGAL_CHARACTERS_RE.sub("", "" if value is None else str(value))


def one_line(value: str) -> str:
    return _SPACES.sub(" ", text(value)).strip()


def moment_head(moment: Moment) -> str:
    """'★ Renouvellement' for a key moment, the label alone otherwise."""
    label = one_line(moment.label)
    return f"{KEY_SYMBOL} {label}" if moment.key else label


def channel_head(channel: Channel) -> str:
    return one_line(channel.label)


def finding_cells(
    journey: Journey,
    touchpoint_id: str,
    finding: Finding,
    lang: str,
    names: Mapping[str, str] | None = None,
) -> dict:
    """The cells of a finding's row, by column name (the ids excepted). `names` (see
    `names_of`) saves looking the labels up again for each of thousands of findings."""
    names = names if names is not None else names_of(journey)
    return {
        "moment": names[f"m:{names[f't:{touchpoint_id}:moment']}"],
        "channel": names[f"c:{names[f't:{touchpoint_id}:channel']}"],
        "touchpoint": names[f"t:{touchpoint_id}"],
        "type": enum_label("finding", finding.type, lang),
        "intensity": finding.intensity,
        "text": text(finding.text),
        "source": enum_label("source", finding.source, lang),
        "improvement": text(finding.improvement or ""),
        "status": enum_label("finding_status", finding.status, lang),
        "visit": finding.visit or "",
    }


def names_of(journey: Journey) -> dict[str, str]:
    """The labels a findings row shows, on one line, keyed m:<moment>, c:<channel>, t:<tp>."""
    names = {f"m:{m.id}": one_line(m.label) for m in journey.moments}
    names |= {f"c:{c.id}": one_line(c.label) for c in journey.channels}
    tp: Touchpoint
    for tp in journey.touchpoints:
        names[f"t:{tp.id}"] = one_line(tp.label)
        names[f"t:{tp.id}:moment"], names[f"t:{tp.id}:channel"] = tp.moment, tp.channel
        names.setdefault(f"m:{tp.moment}", tp.moment)
        names.setdefault(f"c:{tp.channel}", tp.channel)
    return names


def step_cells(program: Program, step: Step, journey: Journey | None, lang: str) -> dict:
    """The cells of a program step's row, by column name (the id excepted)."""
    phases = {p.id: p.label for p in program.phases}
    channels = {c.id: c.label for c in journey.channels} if journey else {}
    return {
        "phase": one_line(phases.get(step.phase, step.phase)),
        "label": text(step.label),
        "kind": enum_label("programs.kind", step.kind, lang),
        "channel": one_line(channels.get(step.channel, step.channel)) if step.channel else "",
        "timing": timing_text(step.timing, lang),
        "kpi": text(step.kpi or ""),
        "description": text(step.description or ""),
    }


def choices(lang: str) -> dict[str, list[str]]:
    """The words a client picks from in the findings sheet, by column."""
    return {
        "type": [enum_label("finding", v, lang) for v in FindingType],
        "intensity": ["1", "2", "3"],
        "source": [enum_label("source", v, lang) for v in Source],
        "status": [enum_label("finding_status", v, lang) for v in FindingStatus],
    }


def sheet_names(lang: str) -> tuple[str, str]:
    """The names of the grid and findings sheets in a language."""
    return t("workbook.sheet_grid", lang), t("workbook.sheet_findings", lang)
