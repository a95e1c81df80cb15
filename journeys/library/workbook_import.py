"""Import an Excel workbook. One exported here comes back as the ordinary versioned edits of its
journey: previewed first, applied all or nothing, refused while it meets newer edits (conflicts).
A grid written by hand (moments in the first row, channels in the first column) becomes a new
journey."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import PurePath
from typing import Any

from pydantic import ValidationError

from journeys.contract.editing import unique_id
from journeys.contract.model import Journey
from journeys.errors import NotFoundError
from journeys.export.workbook_cells import sheet_names
from journeys.i18n import LANGUAGES, t
from journeys.library import documents
from journeys.library.workbook_diff import Edit, read_grid
from journeys.library.workbook_findings import FindingsReader
from journeys.library.workbook_programs import ProgramEdit, read_programs, resolve_programs
from journeys.library.workbook_read import RawBook, WorkbookError, read_workbook
from journeys.library.workbook_resolve import Conflict, Op, resolve
from journeys.roles import Permission, requires
from journeys.store import batch
from journeys.store.db import Store


@dataclass
class WorkbookPlan:
    """What importing a workbook will do. `new_journey` is set for a grid written by hand;
    otherwise `edits` (and `order_changed`) change the journey `journey_id`. Nothing is
    applied while `conflicts` is not empty."""

    source: str
    journey_id: str
    title: str
    language: str
    exported_at: str = ""
    new_journey: Journey | None = None
    edits: list[Edit] = field(default_factory=list)
    programs: list[ProgramEdit] = field(default_factory=list)
    order_changed: bool = False
    conflicts: list[Conflict] = field(default_factory=list)
    notes: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)  # moment and channel ids -> labels
    grid_sheet: str = ""
    ops: list[tuple[int, Op]] = field(default_factory=list, repr=False)

    @property
    def count(self) -> int:
        """How many changes the import makes (a new journey counts as one)."""
        if self.new_journey is not None:
            return 1
        return len(self.edits) + len(self.programs) + int(self.order_changed)


class WorkbookConflictError(ValueError):
    """The workbook meets edits made in the app since its export: nothing was imported."""

    def __init__(self, plan: WorkbookPlan):
        self.plan = plan
        super().__init__(
            f"{plan.source}: {len(plan.conflicts)} conflict(s) with newer edits of journey "
            f"'{plan.journey_id}'; nothing was imported"
        )


@requires(Permission.READ)
def preview_workbook(
    data: bytes, *, store: Store, source_name: str = "<upload>", language: str = "fr"
) -> WorkbookPlan:
    """Return what importing the workbook would do, changing nothing.

    `language` is the new journey's, for a grid written by hand. Raises WorkbookError (the
    workbook is refused: its messages name the sheet and cell).
    """
    book = read_workbook(data, source=source_name)
    if book.meta is None:
        return _hand_grid(book, store, source_name, language)
    return _exported(book, store, source_name)


@requires(Permission.EDIT)
def import_workbook(
    data: bytes, *, store: Store, source_name: str = "<upload>", language: str = "fr"
) -> WorkbookPlan:
    """Apply a workbook, all or nothing, and return what was done (see preview_workbook).

    Raises WorkbookError, WorkbookConflictError, and StaleVersionError when the journey
    changed between the preview and this call (nothing is written then either).
    """
    plan = preview_workbook(data, store=store, source_name=source_name, language=language)
    if plan.conflicts:
        raise WorkbookConflictError(plan)
    if plan.new_journey is not None:
        documents.import_document(plan.new_journey, store=store)
        return plan
    if not plan.ops:
        return plan
    name = f"before workbook import {datetime.now():%Y-%m-%d %H:%M:%S}"
    with batch.one_transaction(store, journey_id=plan.journey_id, snapshot=name) as joined:
        for _phase, op in sorted(plan.ops, key=lambda item: item[0]):
            op(joined)
    return plan


# --- a workbook exported here --------------------------------------------------------------


def _exported(book: RawBook, store: Store, source: str) -> WorkbookPlan:
    meta = book.meta or {}
    base, finding_ids, lang = _base(meta, source)
    try:
        now = documents.get_journey_for_edit(base.id, store=store)
    except NotFoundError:
        raise WorkbookError(
            source,
            [
                f"journey '{base.id}' is not in this workspace (or is in the trash): restore "
                "it, or import its YAML first"
            ],
        ) from None
    grid_name, findings_name = sheet_names(lang)
    grid, findings = book.sheet(grid_name), book.sheet(findings_name)
    if grid is None or findings is None:
        missing = grid_name if grid is None else findings_name
        raise WorkbookError(source, [f"the sheet '{missing}' is missing"])
    taken = {m.id for m in now.journey.moments} | {c.id for c in now.journey.channels}
    taken |= {tp.id for tp in now.journey.touchpoints}
    reader, moments, channels = read_grid(grid, base, taken=taken)
    out = reader.out
    labels = {e.ident: e.item.label for e in moments} | {e.ident: e.item.label for e in channels}
    FindingsReader(findings, base, finding_ids, lang, reader.final, labels, out).read()
    program_edits = read_programs(book, meta.get("programs"), base, lang, out.problems)
    if out.problems:
        raise WorkbookError(source, out.problems)
    resolved = resolve(out, base, now)
    programs = resolve_programs(program_edits, store, resolved)
    plan = WorkbookPlan(
        source,
        base.id,
        now.journey.title,
        lang,
        exported_at=str(meta.get("exported_at", "")),
        edits=out.edits,
        programs=programs,
        order_changed=out.order_changed,
        conflicts=resolved.conflicts,
        ops=resolved.ops,
        labels=labels,
        grid_sheet=grid_name,
    )
    plan.notes = [(where, key, {"sheet": findings_name}) for where, key in _unique(out.notes)]
    plan.notes += [
        (e.where, "workbook.note.gone", {"kind": e.kind, "subject": str(e.ident)})
        for e in resolved.gone
    ]
    plan.edits = [e for e in out.edits if e not in resolved.gone]
    return plan


def _unique(notes: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return list(dict.fromkeys(notes))


def _base(meta: dict[str, Any], source: str) -> tuple[Journey, dict[str, list[int]], str]:
    """The journey as exported, its findings' row ids and the workbook's language."""
    damaged = "_ids: the ids sheet is damaged (export the journey again)"
    try:
        base = Journey.model_validate(meta.get("base"))
    except ValidationError:
        raise WorkbookError(source, [damaged]) from None
    ids = meta.get("finding_ids")
    lang = meta.get("language")
    counts = {tp.id: len(tp.findings) for tp in base.touchpoints if tp.findings}
    if (
        lang not in LANGUAGES
        or not isinstance(ids, dict)
        or not all(isinstance(v, list) and all(type(i) is int for i in v) for v in ids.values())
        or {k: len(v) for k, v in ids.items()} != counts
    ):
        raise WorkbookError(source, [damaged])
    return base, ids, str(lang)


# --- a grid written by hand ----------------------------------------------------------------


def _hand_grid(book: RawBook, store: Store, source: str, language: str) -> WorkbookPlan:
    named = [book.sheet(t("workbook.sheet_grid", lang)) for lang in LANGUAGES]
    visible = [s for s in book.sheets if not s.hidden and s.cells]
    sheet = next((s for s in named if s is not None and s.cells), None) or next(iter(visible), None)
    if sheet is None:
        raise WorkbookError(source, ["the workbook has no sheet with a grid"])
    stem = PurePath(source.replace("\\", "/")).stem
    title = " ".join(stem.replace("_", " ").replace("-", " ").split()).capitalize()
    taken = {s.id for s in documents.list_journeys(store=store, include_deleted=True)}
    journey_id = unique_id(stem or "grille", taken)
    lang = language if language in LANGUAGES else "fr"
    base = Journey(id=journey_id, title=title or journey_id, language=lang)
    reader, moments, channels = read_grid(sheet, base, exported=False)
    problems = reader.out.problems
    corner = sheet.where(reader.head_row, reader.head_col)
    if not moments:
        problems.append(f"{corner}: no moment of life in the first row of the grid")
    if not channels:
        problems.append(f"{corner}: no channel in the first column of the grid")
    if problems:
        raise WorkbookError(source, problems)
    data = base.model_dump(by_alias=True) | {
        "moments": [e.item.model_dump() for e in moments],
        "channels": [e.item.model_dump() for e in channels],
        "touchpoints": [tp.model_dump(by_alias=True) for tp in reader.final.values()],
    }
    try:
        journey = Journey.model_validate(data)
    except ValidationError as error:
        raise WorkbookError(source, [f"{sheet.name}: {error.errors()[0]['msg']}"]) from None
    return WorkbookPlan(source, journey.id, journey.title, lang, new_journey=journey)
