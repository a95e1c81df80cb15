"""What a client changed in an exported workbook: its grid and findings read against the journey
as it was exported (kept in the workbook), as a list of intended edits. Pure: no store."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from pydantic import BaseModel, ValidationError

from journeys.board.analysis import touchpoints_by_cell
from journeys.board.html import KEY_SYMBOL
from journeys.board.markers import cell_lines, line_text, parse_line
from journeys.contract.editing import journey_ids, unique_id
from journeys.contract.model import Channel, Finding, Journey, Moment, Touchpoint
from journeys.export.workbook_cells import (
    HEAD_COL,
    HEAD_ROW,
    ID_COL,
    ID_ROW,
    channel_head,
    moment_head,
    one_line,
)
from journeys.library.workbook_read import Sheet

Item = Moment | Channel | Touchpoint | Finding


@dataclass(frozen=True)
class Edit:
    """One thing the client changed: `kind` moment, channel, touchpoint or finding; `action`
    add, update, move or delete; `ident` its id (a finding's row id; for an added finding,
    `parent` is its touchpoint); `base` as exported and `mine` as the workbook has it."""

    kind: str
    action: str
    ident: str | int
    where: str
    base: Any = None
    mine: Any = None
    parent: str = ""


@dataclass
class BookEdits:
    """Everything the workbook changes, and the order of the columns and rows it asks for."""

    edits: list[Edit] = field(default_factory=list)
    order: dict[str, list[str]] = field(default_factory=dict)
    order_changed: bool = False
    notes: list[tuple[str, str]] = field(default_factory=list)  # (where, catalogue key)
    problems: list[str] = field(default_factory=list)
    taken: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class _Entry:
    """A column (moment) or row (channel) of the grid: its place, id and final item."""

    position: int
    ident: str
    item: Moment | Channel
    new: bool


def validated(model: type[BaseModel], data: dict, where: str, problems: list[str]) -> Any:
    """`model(**data)`, or None with the contract's complaint added to `problems`."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        name = ".".join(str(part) for part in first["loc"]) or model.__name__.lower()
        problems.append(f"{where}: {name}: {first['msg']}")
        return None


class GridReader:
    """Reads the grid sheet of a workbook against `base` (empty for a grid written by hand)."""

    def __init__(self, sheet: Sheet, base: Journey, taken: set[str], *, exported: bool):
        self.sheet, self.base, self.exported = sheet, base, exported
        self.out = BookEdits(taken=taken | journey_ids(base))
        self.head_row, self.head_col = HEAD_ROW, HEAD_COL
        if not exported:  # a grid by hand: the first row and column that hold something
            self.head_row = min((r for r, _ in sheet.cells), default=1)
            self.head_col = min((c for _, c in sheet.cells), default=1)
        self.final: dict[str, Touchpoint] = {tp.id: tp for tp in base.touchpoints}

    # -- moments and channels --------------------------------------------------------------

    def axes(self) -> tuple[list[_Entry], list[_Entry]]:
        """The moments (columns) and channels (rows) of the workbook, with their edits."""
        cells = self.sheet.cells
        columns = sorted({c for _, c in cells if c > self.head_col})
        rows = sorted({r for r, _ in cells if r > self.head_row})
        moments = self._axis("moment", columns, lambda p: (ID_ROW, p), lambda p: (self.head_row, p))
        channels = self._axis("channel", rows, lambda p: (p, ID_COL), lambda p: (p, self.head_col))
        return moments, channels

    def _axis(
        self,
        kind: str,
        positions: list[int],
        id_cell: Callable[[int], tuple[int, int]],
        head_cell: Callable[[int], tuple[int, int]],
    ) -> list[_Entry]:
        base_items: dict[str, Moment | Channel] = {
            i.id: i for i in (self.base.moments if kind == "moment" else self.base.channels)
        }
        entries: list[_Entry] = []
        for position in positions:
            ident = self.sheet.get(*id_cell(position)).strip() if self.exported else ""
            head = self.sheet.get(*head_cell(position))
            where = self.sheet.where(*head_cell(position))
            base = base_items.get(ident) if ident not in {e.ident for e in entries} else None
            if base is None and not head.strip():
                if self._has_touchpoints(kind, position):
                    what = "column" if kind == "moment" else "row"
                    self.out.problems.append(
                        f"{where}: this {what} has touchpoints but no {kind} "
                        f"({'a moment of life' if kind == 'moment' else 'a channel'}) to name it"
                    )
                continue
            if base is not None and not head.strip():
                self.out.problems.append(
                    f"{where}: the {kind} '{base.id}' needs a label "
                    f"(delete its {'column' if kind == 'moment' else 'row'} to delete it)"
                )
                continue
            entry = self._entry(kind, position, head, base, where)
            if entry is not None:
                entries.append(entry)
        seen = {e.ident for e in entries}
        for ident, base in base_items.items():
            if ident not in seen:
                where = f"{self.sheet.name}"
                self.out.edits.append(Edit(kind, "delete", ident, where, base=base))
        order = [e.ident for e in entries]
        self.out.order[kind] = order
        kept = [i for i in order if i in base_items]
        if kept != [i for i in base_items if i in set(kept)]:
            self.out.order_changed = True
        return entries

    def _entry(
        self, kind: str, position: int, head: str, base: Moment | Channel | None, where: str
    ) -> _Entry | None:
        shown = (
            moment_head(base) if isinstance(base, Moment) else channel_head(base) if base else ""
        )
        if base is not None and head == shown:
            return _Entry(position, base.id, base, False)
        text = one_line(head)
        data: dict[str, Any] = {}
        if kind == "moment":
            data["key"] = text.startswith(KEY_SYMBOL)
            text = text.removeprefix(KEY_SYMBOL).strip()
        if base is not None and text == one_line(base.label):
            text = base.label  # only the key mark changed: keep the label as it was
        model: type[Moment] | type[Channel] = Moment if kind == "moment" else Channel
        if base is None:
            ident = unique_id(text, self.out.taken)
            item = validated(model, {"id": ident, "label": text, **data}, where, self.out.problems)
            if item is None:
                return None
            self.out.taken.add(ident)
            self.out.edits.append(Edit(kind, "add", ident, where, mine=item))
            return _Entry(position, ident, item, True)
        changed = validated(
            model, base.model_dump() | {"label": text, **data}, where, self.out.problems
        )
        if changed is None:
            return None
        if changed != base:
            self.out.edits.append(Edit(kind, "update", base.id, where, base=base, mine=changed))
        return _Entry(position, base.id, changed, False)

    def _has_touchpoints(self, kind: str, position: int) -> bool:
        if kind == "moment":
            return any(c == position and r > self.head_row for r, c in self.sheet.cells)
        return any(r == position and c > self.head_col for r, c in self.sheet.cells)

    # -- the cells --------------------------------------------------------------------------

    def cells(self, moments: list[_Entry], channels: list[_Entry]) -> None:
        """Touchpoints added, changed, moved and deleted, cell by cell."""
        base_cells = touchpoints_by_cell(self.base)
        added: list[tuple[str, str, str, str]] = []  # (line, moment, channel, where)
        removed: list[tuple[Touchpoint, str]] = []
        placed: set[str] = set()
        for channel in channels:
            for moment in moments:
                where = self.sheet.where(channel.position, moment.position)
                lines = cell_lines(self.sheet.get(channel.position, moment.position))
                before = base_cells.get((moment.ident, channel.ident), [])
                placed |= {tp.id for tp in before}
                self._cell(before, lines, moment.ident, channel.ident, where, added, removed)
        removed += [(tp, self.sheet.name) for tp in self.base.touchpoints if tp.id not in placed]
        live = {e.ident for e in moments} | {e.ident for e in channels}
        for tp, was in removed:
            line = line_text(tp)
            match = next((a for a in added if a[0] == line), None)
            if match is None and not {tp.moment, tp.channel} <= live:
                self.final.pop(tp.id, None)  # deleted with its moment or channel
                continue
            if match is None:
                self.out.edits.append(Edit("touchpoint", "delete", tp.id, was, base=tp))
                self.final.pop(tp.id, None)
                continue
            added.remove(match)
            moved = tp.model_copy(update={"moment": match[1], "channel": match[2]})
            self.out.edits.append(Edit("touchpoint", "move", tp.id, match[3], base=tp, mine=moved))
            self.final[tp.id] = moved
        for line, moment_id, channel_id, where in added:
            self._add(line, moment_id, channel_id, where)

    def _cell(
        self,
        before: list[Touchpoint],
        lines: list[str],
        moment_id: str,
        channel_id: str,
        where: str,
        added: list[tuple[str, str, str, str]],
        removed: list[tuple[Touchpoint, str]],
    ) -> None:
        old = [line_text(tp) for tp in before]
        matcher = SequenceMatcher(None, old, lines, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                continue
            pairs = min(i2 - i1, j2 - j1) if tag == "replace" else 0
            for k in range(pairs):
                self._update(before[i1 + k], lines[j1 + k], where)
            removed += [(tp, where) for tp in before[i1 + pairs : i2]]
            added += [(line, moment_id, channel_id, where) for line in lines[j1 + pairs : j2]]

    def _update(self, tp: Touchpoint, line: str, where: str) -> None:
        read, was = parse_line(line), parse_line(line_text(tp))
        if was.markers != read.markers:
            self.out.notes.append((where, "workbook.note.markers"))
        changes: dict[str, Any] = {}
        if read.label != was.label:
            if not read.label:
                self.out.problems.append(f"{where}: a line without text ('{line}')")
                return
            changes["label"] = read.label
        if read.status != was.status:
            changes["status"] = read.status
        if not changes:
            return
        mine = validated(
            Touchpoint, tp.model_dump(by_alias=True) | changes, where, self.out.problems
        )
        if mine is not None:
            self.out.edits.append(Edit("touchpoint", "update", tp.id, where, base=tp, mine=mine))
            self.final[tp.id] = mine

    def _add(self, line: str, moment_id: str, channel_id: str, where: str) -> None:
        read = parse_line(line)
        if not read.label:
            self.out.problems.append(
                f"{where}: '{line}' has symbols but no text: write the touchpoint before them"
            )
            return
        ident = unique_id(read.label, self.out.taken)
        findings = [
            {"type": m.type, "intensity": m.intensity, "text": read.label} for m in read.markers
        ]
        data: dict[str, Any] = {"id": ident, "moment": moment_id, "channel": channel_id}
        data["label"] = read.label
        data |= {"status": read.status, "findings": findings}
        touchpoint = validated(Touchpoint, data, where, self.out.problems)
        if touchpoint is not None:
            self.out.taken.add(ident)
            self.out.edits.append(Edit("touchpoint", "add", ident, where, mine=touchpoint))
            self.final[ident] = touchpoint


def read_grid(
    sheet: Sheet, base: Journey, *, taken: Collection[str] = (), exported: bool = True
) -> tuple[GridReader, list[_Entry], list[_Entry]]:
    """Read a grid sheet against `base`; the reader's `out` holds the edits and problems."""
    reader = GridReader(sheet, base, set(taken), exported=exported)
    moments, channels = reader.axes()
    reader.cells(moments, channels)
    return reader, moments, channels
