"""The findings sheet of an exported workbook read against the journey as exported: rows
changed, added and deleted. Columns are found by their heading, so a client may move them; the
words of the cells (type, source, status) are recognised in French and English."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from journeys.board.markers import parse_line
from journeys.contract.model import Finding, FindingStatus, FindingType, Journey, Source, Touchpoint
from journeys.export.workbook_cells import finding_cells, one_line
from journeys.i18n import LANGUAGES, enum_label, t
from journeys.library.workbook_diff import BookEdits, Edit, validated
from journeys.library.workbook_read import Sheet, cell_text

_CONTEXT = ("moment", "channel", "touchpoint")
_FIELDS = ("type", "intensity", "text", "source", "improvement", "status", "visit")
_HEADINGS = {
    "type": "workbook.col_type",
    "intensity": "workbook.col_intensity",
    "text": "term.finding",
    "source": "workbook.col_source",
    "improvement": "term.improvement",
    "status": "workbook.col_status",
    "visit": "workbook.col_visit",
    "moment": "term.moment",
    "channel": "term.channel",
    "touchpoint": "term.touchpoint",
}
_ENUMS: dict[str, tuple[str, type[Enum]]] = {
    "type": ("finding", FindingType),
    "source": ("source", Source),
    "status": ("finding_status", FindingStatus),
}


def norm(text: str) -> str:
    """Text compared loosely: no accents, no case, single spaces."""
    plain = unicodedata.normalize("NFKD", text)
    return " ".join("".join(c for c in plain if not unicodedata.combining(c)).casefold().split())


def _words(prefix: str, enum: type[Enum]) -> dict[str, Enum]:
    words: dict[str, Enum] = {}
    for value in enum:
        words[norm(str(value.value).replace("_", " "))] = value
        for lang in LANGUAGES:
            words[norm(enum_label(prefix, value, lang))] = value
    return words


@dataclass
class FindingsReader:
    """Reads the rows of the findings sheet; edits and problems go to `out`."""

    sheet: Sheet
    base: Journey
    finding_ids: Mapping[str, list[int]]
    lang: str
    final: Mapping[str, Touchpoint]
    labels: Mapping[str, str]  # moment and channel ids -> their labels in the workbook
    out: BookEdits

    def read(self) -> None:
        columns = self._columns()
        if "id" not in columns or "touchpoint_id" not in columns:
            self.out.problems.append(
                f"{self.sheet.name}!A1: the hidden id columns are missing "
                "(export the journey again)"
            )
            return
        where_is = {
            row_id: (tp.id, finding)
            for tp in self.base.touchpoints
            for row_id, finding in zip(self.finding_ids.get(tp.id, []), tp.findings, strict=False)
        }
        seen: set[int] = set()
        for row in sorted({r for r, c in self.sheet.cells if r > 1 and c in columns.values()}):
            values = {name: self.sheet.get(row, column) for name, column in columns.items()}
            raw = values["id"].strip()
            row_id = int(raw) if raw.isdigit() else None
            if raw and row_id is None:
                self.out.problems.append(f"{self._at(row, columns, 'id')}: not a finding id")
            elif row_id in where_is and row_id not in seen:
                seen.add(row_id)
                self._existing(row, row_id, *where_is[row_id], values, columns)
            elif any(
                values[name].strip() for name in values if name not in ("id", "touchpoint_id")
            ):
                self._added(row, values, columns)
        for row_id, (tp_id, finding) in where_is.items():
            if row_id not in seen and tp_id in self.final:
                edit = Edit(
                    "finding", "delete", row_id, self.sheet.name, base=finding, parent=tp_id
                )
                self.out.edits.append(edit)

    def _columns(self) -> dict[str, int]:
        wanted = {norm(name): name for name in ("id", "touchpoint_id")}
        wanted |= {norm(t(key, self.lang)): name for name, key in _HEADINGS.items()}
        found: dict[str, int] = {}
        for (row, column), text in self.sheet.cells.items():
            name = wanted.get(norm(text)) if row == 1 else None
            if name and name not in found:
                found[name] = column
        return found

    def _at(self, row: int, columns: Mapping[str, int], name: str) -> str:
        return self.sheet.where(row, columns[name])

    def _existing(
        self,
        row: int,
        row_id: int,
        tp_id: str,
        finding: Finding,
        values: dict[str, str],
        columns: Mapping[str, int],
    ) -> None:
        shown = {
            k: cell_text(v) for k, v in finding_cells(self.base, tp_id, finding, self.lang).items()
        }
        changed = [name for name in values if name in shown and values[name] != shown[name]]
        for name in changed:
            if name in _CONTEXT:
                self.out.problems.append(
                    f"{self._at(row, columns, name)}: a finding stays with its touchpoint; "
                    "move the touchpoint in the grid, or delete this row and add a new one"
                )
                return
        if not changed:
            return
        where = self._at(row, columns, changed[0])
        if tp_id not in self.final:
            self.out.problems.append(f"{where}: this finding's touchpoint is deleted in the grid")
            return
        parsed = self._fields(row, {n: values[n] for n in changed}, columns)
        if parsed is None:
            return
        mine = validated(Finding, finding.model_dump() | parsed, where, self.out.problems)
        if mine is not None and mine != finding:
            self.out.edits.append(
                Edit("finding", "update", row_id, where, base=finding, mine=mine, parent=tp_id)
            )

    def _added(self, row: int, values: dict[str, str], columns: Mapping[str, int]) -> None:
        first = min(columns.values())
        where = self.sheet.where(row, first)
        for name in ("touchpoint", "type", "intensity", "text"):
            if name not in columns or not values[name].strip():
                self.out.problems.append(f"{where}: a new finding needs its {name}")
                return
        touchpoint = self._touchpoint(row, values, columns)
        parsed = self._fields(row, {n: v for n, v in values.items() if n in _FIELDS}, columns)
        if touchpoint is None or parsed is None:
            return
        mine = validated(Finding, parsed, where, self.out.problems)
        if mine is not None:
            edit = Edit("finding", "add", f"row {row}", where, mine=mine, parent=touchpoint)
            self.out.edits.append(edit)

    def _touchpoint(
        self, row: int, values: dict[str, str], columns: Mapping[str, int]
    ) -> str | None:
        wanted = norm(values["touchpoint"])
        found = [tp for tp in self.final.values() if norm(one_line(tp.label)) == wanted]
        for axis in ("moment", "channel"):
            if len(found) > 1 and values.get(axis, "").strip():
                named = norm(values[axis])
                found = [
                    tp for tp in found if norm(self.labels.get(getattr(tp, axis), "")) == named
                ]
        where = self._at(row, columns, "touchpoint")
        if not found:
            self.out.problems.append(
                f"{where}: no touchpoint '{one_line(values['touchpoint'])}' in the grid"
            )
            return None
        if len(found) > 1:
            self.out.problems.append(
                f"{where}: several touchpoints are called '{one_line(values['touchpoint'])}'; "
                "name their moment of life and channel too"
            )
            return None
        return found[0].id

    def _fields(
        self, row: int, values: Mapping[str, str], columns: Mapping[str, int]
    ) -> dict[str, Any] | None:
        parsed: dict[str, Any] = {}
        for name, raw in values.items():
            text = raw.strip()
            if name in _ENUMS:
                prefix, enum = _ENUMS[name]
                words = _words(prefix, enum)
                if name == "type" and (marks := parse_line(f"x {text}").markers):
                    parsed[name] = marks[0].type
                    continue
                if not text and name != "type":
                    parsed[name] = next(iter(enum))  # workshop / open: the defaults
                    continue
                if norm(text) not in words:
                    known = ", ".join(enum_label(prefix, v, self.lang) for v in enum)
                    self.out.problems.append(
                        f"{self._at(row, columns, name)}: '{text}' is not a {name} ({known})"
                    )
                    return None
                parsed[name] = words[norm(text)]
            elif name == "intensity":
                marks = parse_line(f"x {text}").markers
                if text in ("1", "2", "3"):
                    parsed[name] = int(text)
                elif marks:
                    parsed[name] = marks[0].intensity
                else:
                    self.out.problems.append(
                        f"{self._at(row, columns, name)}: the intensity is 1, 2 or 3, not '{text}'"
                    )
                    return None
            elif name in ("improvement", "visit"):
                parsed[name] = text or None
            elif name == "text":
                parsed[name] = text
        return parsed
