"""CSV of a journey's touchpoints and findings, safe to open in Excel or LibreOffice."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from journeys.contract.model import Journey

COLUMNS = (
    "journey",
    "moment_id",
    "moment",
    "channel_id",
    "channel",
    "touchpoint_id",
    "touchpoint",
    "status",
    "owner",
    "finding_type",
    "intensity",
    "finding",
    "source",
    "improvement",
    "visit",
)
# A cell starting with one of these is read as a formula by spreadsheets (OWASP CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "+", "－", "＠")


def neutralise(value: object) -> str:
    """Return the cell text, prefixed with an apostrophe when a spreadsheet would run it."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def rows(journey: Journey) -> Iterator[dict[str, object]]:
    """Yield one row per finding, and one row for each touchpoint without findings."""
    moments = {m.id: m.label for m in journey.moments}
    channels = {c.id: c.label for c in journey.channels}
    for tp in journey.touchpoints:
        base: dict[str, object] = {
            "journey": journey.id,
            "moment_id": tp.moment,
            "moment": moments.get(tp.moment),
            "channel_id": tp.channel,
            "channel": channels.get(tp.channel),
            "touchpoint_id": tp.id,
            "touchpoint": tp.label,
            "status": tp.status.value,
            "owner": tp.owner,
        }
        if not tp.findings:
            yield base
        for finding in tp.findings:
            yield base | {
                "finding_type": finding.type.value,
                "intensity": finding.intensity,
                "finding": finding.text,
                "source": finding.source.value,
                "improvement": finding.improvement,
                "visit": finding.visit,
            }


def journey_csv(journey: Journey, *, delimiter: str = ",", bom: bool = True) -> bytes:
    """Return the CSV bytes (UTF-8, with a BOM by default so Excel reads the accents).

    `delimiter` is "," or ";" (French Excel); every cell is neutralised against formula
    injection. Raises ValueError for another delimiter.
    """
    if delimiter not in (",", ";", "\t"):
        raise ValueError(f"unsupported delimiter {delimiter!r}; use ',', ';' or a tab")
    buffer = io.StringIO(newline="")
    writer = csv.writer(
        buffer, delimiter=delimiter, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n"
    )
    writer.writerow(COLUMNS)
    for row in rows(journey):
        writer.writerow([neutralise(row.get(column)) for column in COLUMNS])
    return buffer.getvalue().encode("utf-8-sig" if bom else "utf-8")
