"""A journey as an Excel workbook a client can edit and send back: the grid, the findings, one
sheet per program, and a very hidden sheet with the ids and the version it was exported from."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Mapping, Sequence
from copy import copy
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from journeys.board.analysis import touchpoints_by_cell
from journeys.board.html import KEY_SYMBOL, STATUS_SYMBOLS
from journeys.board.markers import Marker, line_text, marker_text
from journeys.contract.model import (
    FindingType,
    Journey,
    Program,
    TouchpointStatus,
)
from journeys.export.touchpoints_csv import FORMULA_STARTS
from journeys.export.workbook_cells import (
    FINDING_COLUMNS,
    HEAD_COL,
    HEAD_ROW,
    ID_COL,
    ID_ROW,
    META_CHUNK,
    META_FORMAT,
    META_SHEET,
    STEP_COLUMNS,
    channel_head,
    choices,
    finding_cells,
    moment_head,
    names_of,
    one_line,
    sheet_names,
    step_cells,
    text,
)
from journeys.i18n import document_language, enum_label, t

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_HEADERS = {
    "moment": "term.moment",
    "channel": "term.channel",
    "touchpoint": "term.touchpoint",
    "type": "workbook.col_type",
    "intensity": "workbook.col_intensity",
    "text": "term.finding",
    "source": "workbook.col_source",
    "improvement": "term.improvement",
    "status": "workbook.col_status",
    "visit": "workbook.col_visit",
    "phase": "workbook.col_phase",
    "label": "workbook.col_step",
    "kind": "workbook.col_kind",
    "timing": "workbook.col_timing",
    "kpi": "workbook.col_kpi",
    "description": "workbook.col_description",
}
_WIDTHS = {"text": 48, "improvement": 40, "touchpoint": 30, "label": 32, "description": 40}
_HEAD_FILL = PatternFill("solid", fgColor="E4E7EB")
_SIDE_FILL = PatternFill("solid", fgColor="F5F7FA")
_KEY_FILL = PatternFill("solid", fgColor="FFF1B8")
_BOLD = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")
_BORDER = Border(*(Side(style="thin", color="CBD2D9"),) * 4)


@dataclass(frozen=True)
class BookSource:
    """What a workbook is made of: the journey as stored, the handles of its findings
    (`finding_ids[touchpoint id][i]` is the row id of its i-th finding), the journey's
    revision, and its programs with their versions."""

    journey: Journey
    finding_ids: Mapping[str, Sequence[int]]
    revision: int
    programs: Sequence[tuple[Program, int]] = ()


# --- writing -------------------------------------------------------------------------------


def build_workbook(
    source: BookSource, *, language: str | None = None, exported_at: datetime | None = None
) -> bytes:
    """Return the .xlsx bytes of a journey: grid, findings, programs, legend and ids."""
    journey = source.journey
    lang = document_language(language or journey.language)
    book = Workbook()
    grid_name, findings_name = sheet_names(lang)
    grid = book.active
    assert grid is not None
    grid.title = grid_name
    _grid(grid, journey, lang)
    _findings(book.create_sheet(findings_name), source, lang)
    taken = {grid_name.lower(), findings_name.lower()}
    sheets = {}
    for program, _version in source.programs:
        name = _sheet_name(f"{t('workbook.sheet_program', lang)} {program.title}", taken)
        _program(book.create_sheet(name), program, journey, lang)
        sheets[program.id] = name
    _legend(book.create_sheet(_sheet_name(t("workbook.sheet_legend", lang), taken)), lang)
    _meta(book.create_sheet(META_SHEET), source, lang, sheets, exported_at or datetime.now())
    book.properties.title = text(journey.title)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def put(sheet: Worksheet, row: int, column: int, value: object) -> Any:
    """Write a value as data: text stays text (never a formula, an error code or a date)."""
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = text(value)
        cell.data_type = "s"
        if value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True  # Excel keeps it as text when the client edits the cell
    else:
        cell.value = value
    return cell


def _style_of(sheet: Worksheet, alignment: Alignment) -> Any:
    """The style of a cell aligned so, to copy onto thousands (setting each is 20× slower)."""
    cell = sheet.cell(row=1, column=1)
    cell.alignment = alignment
    return copy(cell._style)


def _head(cell: Any, fill: PatternFill = _HEAD_FILL) -> None:
    cell.font, cell.fill, cell.alignment, cell.border = _BOLD, fill, _WRAP, _BORDER


def _grid(sheet: Worksheet, journey: Journey, lang: str) -> None:
    cells = touchpoints_by_cell(journey)
    put(sheet, HEAD_ROW, HEAD_COL, t("board.corner", lang)).font = _BOLD
    for j, moment in enumerate(journey.moments, start=HEAD_COL + 1):
        put(sheet, ID_ROW, j, moment.id)
        _head(put(sheet, HEAD_ROW, j, moment_head(moment)), _KEY_FILL if moment.key else _HEAD_FILL)
        sheet.column_dimensions[get_column_letter(j)].width = 30
    for i, channel in enumerate(journey.channels, start=HEAD_ROW + 1):
        put(sheet, i, ID_COL, channel.id)
        _head(put(sheet, i, HEAD_COL, channel_head(channel)), _SIDE_FILL)
        for j, moment in enumerate(journey.moments, start=HEAD_COL + 1):
            found = cells.get((moment.id, channel.id), [])
            cell = put(sheet, i, j, "\n".join(line_text(tp) for tp in found))
            cell.alignment, cell.border = _WRAP, _BORDER
            if moment.key:
                cell.fill = PatternFill("solid", fgColor="FFFBEA")
    sheet.column_dimensions[get_column_letter(HEAD_COL)].width = 24
    sheet.column_dimensions[get_column_letter(ID_COL)].hidden = True
    sheet.row_dimensions[ID_ROW].hidden = True
    sheet.freeze_panes = sheet.cell(row=HEAD_ROW + 1, column=HEAD_COL + 1)
    _fit_rows(
        sheet, HEAD_ROW, {HEAD_COL: 24} | {j: 30 for j in range(HEAD_COL + 1, sheet.max_column + 1)}
    )
    _landscape(sheet)


def _landscape(sheet: Worksheet) -> None:
    """Printed across the page, as wide as the paper, on as many pages as it takes."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _fit_rows(sheet: Worksheet, first: int, widths: Mapping[int, float]) -> None:
    """Give rows the height of their tallest wrapped cell: spreadsheets do not grow a row
    for wrapped text on their own when they open a file."""
    lines: dict[int, int] = {}
    for row in sheet.iter_rows(min_row=first):
        for cell in row:
            width = widths.get(cell.column)
            if width and isinstance(cell.value, str) and cell.value:
                per_line = max(1, int(width * 1.15))
                count = sum(-(-len(part) // per_line) or 1 for part in cell.value.split("\n"))
                lines[cell.row] = max(lines.get(cell.row, 1), count)
    for row, count in lines.items():
        if count > 1:
            sheet.row_dimensions[row].height = min(409, 15 * count)


def _findings(sheet: Worksheet, source: BookSource, lang: str) -> None:
    journey = source.journey
    wrapped = _style_of(sheet, _WRAP)
    for j, name in enumerate(FINDING_COLUMNS, start=1):
        _head(put(sheet, 1, j, t(_HEADERS[name], lang) if name in _HEADERS else name))
        letter = get_column_letter(j)
        sheet.column_dimensions[letter].width = _WIDTHS.get(name, 16)
        sheet.column_dimensions[letter].hidden = name in ("id", "touchpoint_id")
    row, names = 2, names_of(journey)
    for tp in journey.touchpoints:
        for finding, row_id in zip(tp.findings, source.finding_ids.get(tp.id, ()), strict=True):
            values = {"id": row_id, "touchpoint_id": tp.id}
            values |= finding_cells(journey, tp.id, finding, lang, names)
            for j, name in enumerate(FINDING_COLUMNS, start=1):
                put(sheet, row, j, values[name])._style = copy(wrapped)
            row += 1
    _fit_rows(sheet, 2, {j: _WIDTHS[n] for j, n in enumerate(FINDING_COLUMNS, 1) if n in _WIDTHS})
    last = max(row + 500, 1000)  # room for the client's new rows
    for name, words in choices(lang).items():
        column = get_column_letter(FINDING_COLUMNS.index(name) + 1)
        rule = DataValidation(type="list", formula1='"' + ",".join(words) + '"', allow_blank=True)
        rule.add(f"{column}2:{column}{last}")
        sheet.add_data_validation(rule)
    sheet.freeze_panes = "C2"
    _landscape(sheet)
    sheet.auto_filter.ref = f"C1:{get_column_letter(len(FINDING_COLUMNS))}{max(row - 1, 1)}"


def _program(sheet: Worksheet, program: Program, journey: Journey, lang: str) -> None:
    put(sheet, 1, 1, f"program:{program.id}")
    for j, name in enumerate(STEP_COLUMNS[1:], start=2):
        _head(put(sheet, 1, j, t(_HEADERS[name], lang)))
        sheet.column_dimensions[get_column_letter(j)].width = _WIDTHS.get(name, 18)
    for i, step in enumerate(program.steps, start=2):
        values = {"id": step.id} | step_cells(program, step, journey, lang)
        for j, name in enumerate(STEP_COLUMNS, start=1):
            put(sheet, i, j, values[name]).alignment = _WRAP
    sheet.column_dimensions["A"].hidden = True
    sheet.freeze_panes = "C2"


def _legend(sheet: Worksheet, lang: str) -> None:
    lines = [(t("workbook.legend_title", lang), "")]
    lines += [(marker_text(Marker(k, 2)), enum_label("finding", k, lang)) for k in FindingType]
    lines.append(("", t("board.legend_intensity", lang)))
    lines += [
        (STATUS_SYMBOLS[status], enum_label("status", status, lang))
        for status in TouchpointStatus
        if STATUS_SYMBOLS[status]
    ]
    lines.append((KEY_SYMBOL, t("board.key_moment", lang)))
    lines += [("", t(f"workbook.legend_{n}", lang)) for n in ("grid", "findings", "return")]
    for i, (symbol, meaning) in enumerate(lines, start=1):
        put(sheet, i, 1, symbol)
        put(sheet, i, 2, meaning).alignment = _WRAP
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.column_dimensions["A"].width = 10
    sheet.column_dimensions["B"].width = 90
    _fit_rows(sheet, 1, {2: 90})


def _meta(
    sheet: Worksheet, source: BookSource, lang: str, sheets: dict[str, str], when: datetime
) -> None:
    """The ids and the base the import compares with, as JSON cut in cells (very hidden)."""
    data = {
        "format": META_FORMAT,
        "journey": source.journey.id,
        "revision": source.revision,
        "language": lang,
        "exported_at": when.isoformat(timespec="seconds"),
        "base": source.journey.model_dump(mode="json", by_alias=True),
        "finding_ids": {tp: list(ids) for tp, ids in source.finding_ids.items() if ids},
        "programs": [
            {
                "id": p.id,
                "version": v,
                "sheet": sheets[p.id],
                "base": p.model_dump(mode="json", by_alias=True),
            }
            for p, v in source.programs
        ],
    }
    payload = json.dumps(data, ensure_ascii=True)
    put(sheet, 1, 1, META_FORMAT)
    for i in range(0, len(payload), META_CHUNK):
        put(sheet, 2 + i // META_CHUNK, 1, payload[i : i + META_CHUNK])
    sheet.sheet_state = "veryHidden"


def _sheet_name(wanted: str, taken: set[str]) -> str:
    """A sheet name Excel accepts (31 characters, none of []:*?/\\), unique in the book."""
    base = re.sub(r"[\[\]:*?/\\]", " ", one_line(wanted)).strip(" '")[:31].strip() or "Sheet"
    name, n = base, 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)].rstrip() + suffix, n + 1
    taken.add(name.lower())
    return name
