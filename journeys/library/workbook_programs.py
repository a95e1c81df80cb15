"""The program sheets of an exported workbook: a step's label, KPI and description may be
corrected there; its phase, kind, channel and timing, and adding or deleting steps, belong to
the Programs page, and are refused with a message naming the cell."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from journeys.contract.editing import shown
from journeys.contract.model import Journey, Program
from journeys.errors import NotFoundError
from journeys.export.workbook_cells import step_cells
from journeys.i18n import t
from journeys.library.workbook_findings import norm
from journeys.library.workbook_read import RawBook, Sheet, cell_text
from journeys.library.workbook_resolve import Conflict, Resolved
from journeys.store import documents as stored
from journeys.store import repository as repo
from journeys.store.db import Store

EDITABLE = ("label", "kpi", "description")
_PHASE = 8  # after the journey's own edits
_HEADINGS = {
    "phase": "workbook.col_phase",
    "label": "workbook.col_step",
    "kind": "workbook.col_kind",
    "channel": "term.channel",
    "timing": "workbook.col_timing",
    "kpi": "workbook.col_kpi",
    "description": "workbook.col_description",
}


@dataclass(frozen=True)
class StepChange:
    """One field of one step the workbook changes."""

    where: str
    step: str
    label: str
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class ProgramEdit:
    """A program's steps as corrected in its sheet, against the program as exported."""

    program_id: str
    title: str
    base: Program = field(repr=False)
    changes: tuple[StepChange, ...] = ()


def read_programs(
    book: RawBook, metas: Any, journey: Journey, lang: str, problems: list[str]
) -> list[ProgramEdit]:
    """The corrections of every program sheet (none for a sheet the client removed)."""
    out = []
    for meta in metas if isinstance(metas, list) else []:
        try:
            base = Program.model_validate(meta.get("base") if isinstance(meta, dict) else None)
        except ValidationError:
            problems.append("_ids: the ids sheet is damaged (export the journey again)")
            continue
        sheet = next((s for s in book.sheets if s.get(1, 1) == f"program:{base.id}"), None)
        if sheet is None:
            continue
        found = _read(sheet, base, journey, lang, problems)
        if found:
            out.append(ProgramEdit(base.id, base.title, base, tuple(found)))
    return out


def _read(
    sheet: Sheet, base: Program, journey: Journey, lang: str, problems: list[str]
) -> list[StepChange]:
    wanted = {norm(t(key, lang)): name for name, key in _HEADINGS.items()}
    columns = {"id": 1}
    for (row, column), text in sheet.cells.items():
        if row == 1 and norm(text) in wanted:
            columns.setdefault(wanted[norm(text)], column)
    steps = {step.id: step for step in base.steps}
    seen: set[str] = set()
    found: list[StepChange] = []
    for row in sorted({r for r, _ in sheet.cells if r > 1}):
        values = {name: sheet.get(row, column) for name, column in columns.items()}
        step = steps.get(values["id"].strip())
        if step is None or step.id in seen:
            problems.append(f"{sheet.where(row, 2)}: steps are added in the Programs page")
            continue
        seen.add(step.id)
        before = {k: cell_text(v) for k, v in step_cells(base, step, journey, lang).items()}
        for name, value in values.items():
            if name == "id" or value == before[name]:
                continue
            where = sheet.where(row, columns[name])
            if name not in EDITABLE:
                problems.append(
                    f"{where}: a step's {name} is changed in the Programs page, not here"
                )
                continue
            after = value.strip()
            limit = 300 if name == "label" else 5000
            if (name == "label" and not after) or len(after) > limit:
                problems.append(f"{where}: a step's {name} has 1 to {limit} characters")
                continue
            found.append(StepChange(where, step.id, step.label, name, before[name], after))
    for ident in steps.keys() - seen:
        problems.append(f"{sheet.name}: step '{ident}' is deleted in the Programs page, not here")
    return found


def resolve_programs(edits: list[ProgramEdit], store: Store, out: Resolved) -> list[ProgramEdit]:
    """Check each program's corrections against the program now; add their operations to
    `out` (or their conflicts). Returns the edits that will be applied."""
    kept = []
    for edit in edits:
        try:
            with store.read_session() as session:
                version = repo.program_row(session, edit.program_id).version
                now = repo.load_program(session, edit.program_id)
        except NotFoundError:
            out.conflicts.append(Conflict(edit.changes[0].where, "program", edit.title, "deleted"))
            continue
        final = _final(edit, now, out)
        if final is not None:
            out.ops.append((_PHASE, _save(final, version)))
            kept.append(edit)
    return kept


def _final(edit: ProgramEdit, now: Program, out: Resolved) -> Program | None:
    base_steps = {s.id: s for s in edit.base.steps}
    now_steps = {s.id: s for s in now.steps}
    updates: dict[str, dict[str, Any]] = {}
    clean = True
    for change in edit.changes:
        current = now_steps.get(change.step)
        if current is None:
            out.conflicts.append(Conflict(change.where, "step", change.label, "deleted"))
            clean = False
            continue
        theirs = getattr(current, change.field) or ""
        if theirs != (getattr(base_steps[change.step], change.field) or ""):
            out.conflicts.append(
                Conflict(
                    change.where,
                    "step",
                    change.label,
                    "changed",
                    change.field,
                    shown(theirs),
                    shown(change.after),
                )
            )
            clean = False
            continue
        updates.setdefault(change.step, {})[change.field] = change.after or None
    if not clean:
        return None
    data = now.model_dump(by_alias=True)
    data["steps"] = [s | updates.get(s["id"], {}) for s in data["steps"]]
    return Program.model_validate(data)


def _save(program: Program, version: int) -> Any:
    return lambda tx: stored.update_program(program, store=tx, expected_version=version)
