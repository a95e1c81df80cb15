"""An Excel workbook read as hostile input: size and shape limits first, every value as text,
formulas kept as their text and never run; each refusal names the sheet and the cell."""

from __future__ import annotations

import io
import json
import warnings
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._reader import WorkSheetParser
from openpyxl.worksheet.cell_range import CellRange

from journeys.export.workbook_cells import META_FORMAT, META_SHEET

MAX_BYTES = 8 * 1024 * 1024  # the app's upload limit, and the YAML reader's
MAX_UNZIPPED = 96 * 1024 * 1024  # everything inside the zip, once inflated
MAX_PARTS = 2000
MAX_SHEETS = 60
MAX_ROWS = 20_000
MAX_COLUMNS = 300
MAX_CELLS = 300_000
MAX_META = 24 * 1024 * 1024  # characters of the ids sheet
MAX_PROBLEMS = 20


class WorkbookError(ValueError):
    """A workbook refused as a whole; `problems` name a sheet and cell each where they can."""

    def __init__(self, source: str, problems: list[str]):
        self.source = source
        self.problems = problems[:MAX_PROBLEMS]
        super().__init__(str(self))

    def __str__(self) -> str:
        count = len(self.problems)
        head = f"{self.source}: refused, {count} problem{'s' if count > 1 else ''}"
        return "\n".join([head, *(f"  {p}" for p in self.problems)])


def where(sheet: str, row: int, column: int) -> str:
    """'Grille!C4'."""
    return f"{sheet}!{get_column_letter(column)}{row}"


@dataclass
class Sheet:
    """The non-empty cells of a sheet as text, by (row, column), from 1."""

    name: str
    cells: dict[tuple[int, int], str] = field(default_factory=dict)
    hidden: bool = False

    def get(self, row: int, column: int) -> str:
        return self.cells.get((row, column), "")

    def where(self, row: int, column: int) -> str:
        return where(self.name, row, column)

    @property
    def rows(self) -> list[int]:
        return sorted({r for r, _ in self.cells})

    @property
    def columns(self) -> list[int]:
        return sorted({c for _, c in self.cells})


@dataclass
class RawBook:
    """The sheets a workbook shows (in order) and, if it was exported here, its ids."""

    sheets: list[Sheet]
    meta: dict[str, Any] | None

    def sheet(self, name: str) -> Sheet | None:
        folded = name.casefold()
        return next((s for s in self.sheets if s.name.casefold() == folded), None)


def read_workbook(data: bytes, *, source: str = "<upload>") -> RawBook:
    """Return the cells of every worksheet as text. Raises WorkbookError (too big, not a
    workbook, too many rows or columns, merged cells, a damaged ids sheet)."""
    if len(data) > MAX_BYTES:
        limit = f"the file is {len(data):,} bytes; the limit is {MAX_BYTES:,}"
        raise WorkbookError(source, [limit])
    _check_zip(data, source)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns of extensions it drops: not ours to say
        try:
            book = load_workbook(io.BytesIO(data), read_only=True, keep_links=False)
        except Exception as error:  # openpyxl raises anything on a damaged part
            raise WorkbookError(
                source, [f"not a readable Excel workbook: {_short(error)}"]
            ) from None
        try:
            return _read(book, source)
        except WorkbookError:
            raise
        except Exception as error:
            raise WorkbookError(
                source, [f"not a readable Excel workbook: {_short(error)}"]
            ) from None
        finally:
            book.close()


def _short(error: Exception) -> str:
    text = str(error) or type(error).__name__
    return text if len(text) <= 160 else text[:159] + "…"


def _check_zip(data: bytes, source: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        message = "not an Excel workbook (.xlsx): the file is not a zip archive"
        if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
            message = "an old Excel file (.xls): save it as .xlsx (Excel workbook) first"
        raise WorkbookError(source, [message]) from None
    if len(parts) > MAX_PARTS:
        raise WorkbookError(
            source, [f"the archive holds {len(parts):,} parts; at most {MAX_PARTS}"]
        )
    inflated = sum(part.file_size for part in parts)
    if inflated > MAX_UNZIPPED:
        raise WorkbookError(
            source, [f"the workbook inflates to {inflated:,} bytes; the limit is {MAX_UNZIPPED:,}"]
        )
    if not any(part.filename == "xl/workbook.xml" for part in parts):
        raise WorkbookError(source, ["not an Excel workbook (.xlsx): no xl/workbook.xml inside"])


def _read(book: Any, source: str) -> RawBook:
    if len(book.worksheets) > MAX_SHEETS:
        raise WorkbookError(source, [f"{len(book.worksheets)} sheets; at most {MAX_SHEETS}"])
    sheets, meta, problems = [], None, []
    budget = [MAX_CELLS]
    for worksheet in book.worksheets:
        sheet = Sheet(worksheet.title, hidden=worksheet.sheet_state != "visible")
        merged = _stream(book, worksheet, sheet, source, budget)
        if worksheet.title == META_SHEET:
            meta = _meta(sheet, source)
            continue
        for ref in merged:
            cells = CellRange(ref)
            if any(sheet.cells.get((r, c)) for r, c in cells.cells):
                problems.append(
                    f"{sheet.name}!{ref}: merged cells cannot be read back; unmerge them"
                )
        sheets.append(sheet)
    if problems:
        raise WorkbookError(source, problems)
    return RawBook(sheets, meta)


def _stream(book: Any, worksheet: Any, sheet: Sheet, source: str, budget: list[int]) -> list[str]:
    """Read a sheet's cells as its XML streams by, within the limits; return its merged ranges.

    openpyxl's own parser, driven here: its read-only sheets drop the merged ranges, and its
    full load builds every cell before anyone can count them."""
    with worksheet._get_source() as xml:
        parser = WorkSheetParser(
            xml,
            worksheet._shared_strings,
            data_only=False,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        for count, (_, row) in enumerate(parser.parse(), start=1):
            budget[0] -= len(row)
            for cell in row:
                place = (cell["row"], cell["column"])
                problem = _over(count, place, budget[0])
                if problem:
                    raise WorkbookError(source, [f"{where(sheet.name, *place)}: {problem}"])
                text = cell_text(cell["value"])
                if text.strip():
                    sheet.cells[place] = text
        found = parser.merged_cells
        return [merged.ref for merged in found.mergeCell] if found is not None else []


def _over(rows: int, place: tuple[int, int], budget: int) -> str:
    if rows > MAX_ROWS or place[0] > MAX_ROWS:
        return f"more than {MAX_ROWS:,} rows"
    if place[1] > MAX_COLUMNS:
        return f"more than {MAX_COLUMNS} columns"
    if budget < 0:
        return f"more than {MAX_CELLS:,} cells in the workbook"
    return ""


def cell_text(value: Any) -> str:
    """A cell's value as the text it shows: a formula as its text (never computed), a date
    as 2025-03-14, a whole number without '.0'."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(" ")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    formula = getattr(value, "text", None)  # array and data-table formulas
    return str(formula if isinstance(formula, str) else value)


def _meta(sheet: Sheet, source: str) -> dict[str, Any]:
    chunks = [sheet.cells.get((row, 1), "") for row in sheet.rows]
    damaged = f"{META_SHEET}: the ids sheet is damaged (export the journey again)"
    if sum(len(chunk) for chunk in chunks) > MAX_META:
        raise WorkbookError(source, [f"{META_SHEET}: the ids sheet is too large"])
    if not chunks or chunks[0] != META_FORMAT:
        raise WorkbookError(source, [damaged])
    try:
        meta = json.loads("".join(chunks[1:]))
    except ValueError:
        raise WorkbookError(source, [damaged]) from None
    if not isinstance(meta, dict) or meta.get("format") != META_FORMAT:
        raise WorkbookError(source, [damaged])
    return meta
