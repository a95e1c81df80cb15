"""Agency CSV files of mystery-shopper visits: sniffing, row checks, an all-or-nothing preview.

Rows are grouped into visits by what the agency gives: rows with the same value in the
column mapped to `visit` belong to one visit; without that column (or where it is empty),
rows of the same shopper (accents and case folded) at the same date and time do (the time
from the date cell or from a column of its own). A visit's time is the earliest of its rows;
its persona and scenario come from the first row that gives them. Imported visits are
`submitted`. Cells are data: text cells are kept exactly as written (a leading `=`, `+`,
`-`, `@`, tab or carriage return included); numbers are read only in numeric columns.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, time

from journeys.contract.editing import slugify
from journeys.contract.model import Journey
from journeys.visits.agency.mapping import (
    ColumnMapping,
    ValueMapping,
    VisitField,
    normalize,
)
from journeys.visits.agency.rows import RowError, RowReader, parse_row
from journeys.visits.model import Observation, Visit, VisitStatus

DELIMITERS = (";", ",", "\t")
MAX_BYTES = 20 * 1024 * 1024  # a month of an agency's visits is a few hundred kilobytes
SNIFF_RECORDS = 50
_SEP_LINE = re.compile(r"sep=([;,\t|])\r?\n", re.IGNORECASE)
_BINARY_SIGNATURES = {
    b"PK\x03\x04": "an Excel (.xlsx) or zip file",
    b"\xd0\xcf\x11\xe0": "an Excel (.xls) file",
}


class CsvError(ValueError):
    """A file that cannot be read as CSV text at all; `code` is stable for translation."""

    def __init__(self, code: str, message: str, row: int | None = None):
        self.code, self.row = code, row
        super().__init__(message)


@dataclass(frozen=True)
class CsvSniff:
    """How a file is written: its encoding, its delimiter and its header cells."""

    encoding: str
    delimiter: str
    headers: tuple[str, ...]
    header_row: int = 1


@dataclass(frozen=True)
class UnknownValue:
    """A label no moment, channel, touchpoint or type matches, with the closest ids."""

    field: VisitField
    column: str
    value: str
    suggestions: tuple[str, ...]
    rows: tuple[int, ...]


@dataclass(frozen=True)
class ImportPreview:
    """What an import would create; it may go ahead only when `ok`."""

    sniff: CsvSniff | None
    visits: tuple[Visit, ...] = ()
    errors: tuple[RowError, ...] = ()
    unknown: tuple[UnknownValue, ...] = ()
    rows: int = 0
    keys: tuple[tuple[str, ...], ...] = ()  # what identifies each visit, as in `visit_key`

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.visits)

    @property
    def observation_count(self) -> int:
        return sum(len(v.observations) for v in self.visits)


# --- reading the file --------------------------------------------------------------------


def decode(data: bytes) -> tuple[str, str]:
    """Return (text, encoding): UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252.

    Raises CsvError when the bytes are empty, binary, or in none of these encodings.
    """
    if not data.strip():
        raise CsvError("empty_file", "the file is empty")
    for signature, what in _BINARY_SIGNATURES.items():
        if data.startswith(signature):
            raise CsvError("not_csv", f"this is {what}, not CSV text; save it as CSV first")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode_as(data, "utf-16"), "utf-16"
    if b"\x00" in data:
        raise CsvError("not_csv", "the file holds binary data, not CSV text")
    if data.startswith(b"\xef\xbb\xbf"):
        return _decode_as(data, "utf-8-sig"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return _decode_as(data, "cp1252"), "cp1252"


def _decode_as(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        byte = data[exc.start : exc.start + 1].hex()
        raise CsvError(
            "unknown_encoding",
            f"the file is not UTF-8 or Windows-1252 text (byte 0x{byte} at offset {exc.start}); "
            "save it as CSV UTF-8",
        ) from None


def _delimiter_counts(text: str) -> dict[str, list[int]]:
    """Count each candidate delimiter outside quotes, per record, over the first records."""
    counts: dict[str, list[int]] = {d: [] for d in DELIMITERS}
    current = dict.fromkeys(DELIMITERS, 0)
    in_quotes, filled = False, False
    for ch in text:
        if ch == '"':
            in_quotes, filled = not in_quotes, True
        elif in_quotes:
            continue
        elif ch in "\r\n":
            if filled:
                for d in DELIMITERS:
                    counts[d].append(current[d])
                if len(counts[DELIMITERS[0]]) >= SNIFF_RECORDS:
                    return counts
            current, filled = dict.fromkeys(DELIMITERS, 0), False
        else:
            filled = filled or not ch.isspace()
            if ch in current:
                current[ch] += 1
    if filled:
        for d in DELIMITERS:
            counts[d].append(current[d])
    return counts


def guess_delimiter(text: str) -> str:
    """Return the delimiter found in the header that splits the most records alike (default ',')."""
    best, best_score = ",", (0.0, 0)
    for delimiter, per_record in _delimiter_counts(text).items():
        if not per_record or per_record[0] == 0:
            continue
        alike = sum(1 for n in per_record if n == per_record[0]) / len(per_record)
        score = (alike, per_record[0])
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _records(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """Yield (spreadsheet row number, cells); raise CsvError on broken quoting."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    row = 0
    try:
        for row, cells in enumerate(reader, start=1):
            yield row, cells
    except csv.Error as exc:
        raise CsvError("unreadable_row", f"row {row + 1} cannot be read: {exc}", row + 1) from None


def sniff(data: bytes) -> CsvSniff:
    """Return the encoding, delimiter and headers of a CSV file; raise CsvError if unreadable."""
    return _sniff_text(data)[0]


def _sniff_text(data: bytes) -> tuple[CsvSniff, str]:
    if len(data) > MAX_BYTES:
        raise CsvError(
            "too_large",
            f"the file is too large ({len(data):,} bytes; the limit is {MAX_BYTES:,}): "
            "split it into several files",
        )
    text, encoding = decode(data)
    declared = _SEP_LINE.match(text)
    if declared:  # Excel's "sep=;" line: it is not shown as a row in Excel, so drop it
        text = text[declared.end() :]
    delimiter = declared.group(1) if declared else guess_delimiter(text)
    found = next(((r, c) for r, c in _records(text, delimiter) if any(x.strip() for x in c)), None)
    if found is None:
        raise CsvError("empty_file", "the file is empty")
    header_row, first = found
    headers = tuple(cell.strip() for cell in first)
    seen: dict[str, int] = {}
    for index, header in enumerate(headers, start=1):
        if header and header in seen:
            raise CsvError(
                "duplicate_header",
                f"columns {seen[header]} and {index} are both named '{header}'; rename one",
                header_row,
            )
        seen.setdefault(header, index)
    return CsvSniff(encoding, delimiter, headers, header_row), text


# --- the preview -------------------------------------------------------------------------


def preview_import(
    data: bytes,
    journey: Journey,
    mapping: ColumnMapping,
    value_mapping: ValueMapping | None = None,
) -> ImportPreview:
    """Return the visits a CSV file would create on a journey and every error found.

    Never raises for bad input: file-level problems come back as errors with row None.
    """
    try:
        found, text = _sniff_text(data)
        reader = RowReader.build(found.headers, journey, mapping, value_mapping or ValueMapping())
    except CsvError as exc:
        return ImportPreview(None, errors=(RowError(exc.row, None, exc.code, str(exc)),))
    if reader.errors:
        return ImportPreview(found, errors=tuple(reader.errors))
    errors: list[RowError] = []
    groups: dict[tuple[str, ...], list[tuple[dict[VisitField, object], Observation]]] = {}
    rows = 0
    try:
        for row, cells in _records(text, found.delimiter):
            if row <= found.header_row or not any(c.strip() for c in cells):
                continue
            rows += 1
            parsed = parse_row(reader, row, cells, errors)
            if parsed is not None:
                groups.setdefault(visit_key(parsed[0]), []).append(parsed)
    except CsvError as exc:
        errors.append(RowError(exc.row, None, exc.code, str(exc)))
    if rows == 0 and not errors:
        errors.append(RowError(None, None, "no_rows", "the file has a header row but no data rows"))
    visits = _visits(journey, groups)
    unknown = _unknown(reader, errors)
    return ImportPreview(found, tuple(visits), tuple(errors), unknown, rows, tuple(groups))


def visit_key(values: dict[VisitField, object]) -> tuple[str, ...]:
    """Return what identifies a row's visit: ("visit", folded visit id) when the agency
    gives one, else ("at", ISO date and time, folded shopper)."""
    reference = values.get(VisitField.VISIT)
    if isinstance(reference, str) and normalize(reference):
        return ("visit", normalize(reference))
    when = values[VisitField.VISITED_AT]
    assert isinstance(when, datetime)
    return ("at", when.isoformat(), normalize(str(values[VisitField.SHOPPER])))


def _slug_base(key: tuple[str, ...]) -> str:
    """'v-12' for a visit id; '2026-11-03-0912-helene' for a shopper's visit at 09:12 (the
    time is left out at midnight, as when the file gives none)."""
    if key[0] == "visit":
        return slugify(key[1])
    when = datetime.fromisoformat(key[1])
    hour = "" if when.time() == time(0) else f"-{when:%H%M}" + (f"{when:%S}" if when.second else "")
    return f"{when.date().isoformat()}{hour}-{slugify(key[2])}"


def _visits(
    journey: Journey,
    groups: dict[tuple[str, ...], list[tuple[dict[VisitField, object], Observation]]],
) -> list[Visit]:
    visits: list[Visit] = []
    used: set[str] = set()
    for key, members in groups.items():
        first = members[0][0]
        when = min(v[VisitField.VISITED_AT] for v, _ in members)  # type: ignore[type-var]
        base = _slug_base(key)
        ident, n = base, 1
        while ident in used:
            n += 1
            ident = f"{base}-{n}"
        used.add(ident)
        visits.append(
            Visit(
                id=ident,
                journey=journey.id,
                visited_at=when,
                shopper=first[VisitField.SHOPPER],
                persona=_first(members, VisitField.PERSONA),
                scenario=_first(members, VisitField.SCENARIO),
                status=VisitStatus.SUBMITTED,
                observations=[obs for _, obs in members],
            )
        )
    return visits


def _first(members: list[tuple[dict[VisitField, object], Observation]], fld: VisitField) -> object:
    return next((v[fld] for v, _ in members if v.get(fld) is not None), None)


def _unknown(reader: RowReader, errors: list[RowError]) -> tuple[UnknownValue, ...]:
    """Gather unknown-label errors by (field, folded value) so one answer fixes many rows."""
    first: dict[tuple[VisitField, str], RowError] = {}
    rows: dict[tuple[VisitField, str], list[int]] = {}
    for error in errors:
        fld = reader.unknown_codes.get(error.code)
        if fld is None or error.row is None:
            continue
        key = (fld, normalize(error.value))
        first.setdefault(key, error)
        rows.setdefault(key, []).append(error.row)
    return tuple(
        UnknownValue(key[0], e.column or "", e.value, e.suggestions, tuple(rows[key]))
        for key, e in first.items()
    )
