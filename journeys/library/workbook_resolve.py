"""A workbook's edits checked against the journey as it is now: what someone changed since the
export is kept (the client's fields are laid over it), a field both changed is a conflict, and
each edit becomes the ordinary versioned edit that will run in the import's transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from journeys.contract.editing import changes, locate, rebase, shown
from journeys.contract.model import Journey
from journeys.library import board_edits as edits
from journeys.library.workbook_diff import BookEdits, Edit
from journeys.store import repository as repo
from journeys.store.db import Store
from journeys.store.views import EditableJourney

Op = Callable[[Store], Any]
# Edits run in this order: what others point to exists before them, deletions come last.
_PHASES = {
    ("moment", "add"): 0,
    ("channel", "add"): 0,
    ("moment", "update"): 1,
    ("channel", "update"): 1,
    ("touchpoint", "add"): 2,
    ("touchpoint", "update"): 2,
    ("touchpoint", "move"): 2,
    ("finding", "update"): 3,
    ("finding", "add"): 3,
    ("finding", "delete"): 4,
    ("touchpoint", "delete"): 5,
    ("moment", "delete"): 6,
    ("channel", "delete"): 6,
}
_ORDER_PHASE = 7


@dataclass(frozen=True)
class Conflict:
    """An edit of the workbook that meets a newer edit made in the app since the export:
    `reason` changed (same field, another value: `field`, `now`, `mine`), deleted (gone
    since), or edited (the workbook deletes what was changed since)."""

    where: str
    kind: str
    subject: str
    reason: str
    field: str = ""
    now: str = ""
    mine: str = ""


@dataclass
class Resolved:
    """The edits to run (with their phase), the conflicts, and edits with nothing to do."""

    ops: list[tuple[int, Op]] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    gone: list[Edit] = field(default_factory=list)


def subject(edit: Edit) -> str:
    item = edit.base if edit.base is not None else edit.mine
    return shown(getattr(item, "label", None) or getattr(item, "text", ""), 80)


def resolve(book: BookEdits, base: Journey, now: EditableJourney) -> Resolved:
    """Check every edit of `book` (made on `base`) against `now`; make each an operation."""
    out = Resolved()
    journey_id = now.journey.id
    added = {(e.kind, str(e.ident)) for e in book.edits if e.action == "add"}
    exists = {("moment", m.id) for m in now.journey.moments}
    exists |= {("channel", c.id) for c in now.journey.channels}
    exists |= {("touchpoint", tp.id) for tp in now.journey.touchpoints}
    for edit in book.edits:
        phase = _PHASES[(edit.kind, edit.action)]
        if edit.action == "add":
            parents = _parents(edit)
            missing = [p for p in parents if p not in exists and p not in added]
            if missing:
                kind, parent = missing[0]
                out.conflicts.append(Conflict(edit.where, kind, parent, "deleted"))
                continue
            out.ops.append((phase, _add(journey_id, edit)))
            continue
        current, version = locate(now, edit.kind, edit.ident)
        if edit.action == "delete":
            if current is None:
                out.gone.append(edit)
            elif changes(edit.base, current) or _grew(edit, base, now):
                out.conflicts.append(Conflict(edit.where, edit.kind, subject(edit), "edited"))
            else:
                out.ops.append((phase, _delete(journey_id, edit, version)))
            continue
        if current is None or version is None:
            out.conflicts.append(Conflict(edit.where, edit.kind, subject(edit), "deleted"))
            continue
        skip = ("findings",) if edit.kind == "touchpoint" else ()
        clash = _clash(edit, current, skip)
        if clash is not None:
            out.conflicts.append(clash)
            continue
        final = rebase(edit.base, edit.mine, current, skip=skip)
        out.ops.append((phase, _update(journey_id, edit, final, version)))
    for kind, wanted in book.order.items():
        if book.order_changed or any(e.kind == kind and e.action == "add" for e in book.edits):
            out.ops.append((_ORDER_PHASE, _reorder(journey_id, kind, wanted)))
    return out


def _parents(edit: Edit) -> list[tuple[str, str]]:
    if edit.kind == "touchpoint":
        return [("moment", edit.mine.moment), ("channel", edit.mine.channel)]
    if edit.kind == "finding":
        return [("touchpoint", edit.parent)]
    return []


def _grew(edit: Edit, base: Journey, now: EditableJourney) -> bool:
    """Whether the moment or channel deleted got touchpoints in the app since the export."""
    if edit.kind not in ("moment", "channel"):
        return False
    known = {tp.id for tp in base.touchpoints}
    return any(
        getattr(tp, edit.kind) == edit.ident and tp.id not in known
        for tp in now.journey.touchpoints
    )


def _clash(edit: Edit, current: Any, skip: tuple[str, ...]) -> Conflict | None:
    mine = {c.field: c for c in changes(edit.base, edit.mine, skip=skip)}
    for theirs in changes(edit.base, current, skip=skip):
        if theirs.field in mine and mine[theirs.field].now != theirs.now:
            return Conflict(
                edit.where,
                edit.kind,
                subject(edit),
                "changed",
                theirs.field,
                shown(theirs.now),
                shown(mine[theirs.field].now),
            )
    return None


def _add(journey_id: str, edit: Edit) -> Op:
    mine = edit.mine
    if edit.kind == "moment":
        return lambda tx: edits.add_moment(journey_id, mine, store=tx)
    if edit.kind == "channel":
        return lambda tx: edits.add_channel(journey_id, mine, store=tx)
    if edit.kind == "touchpoint":
        return lambda tx: edits.add_touchpoint(journey_id, mine, store=tx)
    return lambda tx: edits.add_finding(journey_id, edit.parent, mine, store=tx)


def _update(journey_id: str, edit: Edit, final: Any, version: int) -> Op:
    ident: Any = edit.ident
    if edit.kind == "moment":
        return lambda tx: edits.update_moment(
            journey_id, ident, final, store=tx, expected_version=version
        )
    if edit.kind == "channel":
        return lambda tx: edits.update_channel(
            journey_id, ident, final, store=tx, expected_version=version
        )
    if edit.kind == "touchpoint":
        return lambda tx: edits.update_touchpoint(
            journey_id, ident, final, store=tx, expected_version=version
        )
    return lambda tx: edits.update_finding(ident, final, store=tx, expected_version=version)


def _delete(journey_id: str, edit: Edit, version: int | None) -> Op:
    ident: Any = edit.ident
    if edit.kind == "moment":
        return lambda tx: edits.delete_moment(journey_id, ident, store=tx, expected_version=version)
    if edit.kind == "channel":
        return lambda tx: edits.delete_channel(
            journey_id, ident, store=tx, expected_version=version
        )
    if edit.kind == "touchpoint":
        return lambda tx: edits.delete_touchpoint(
            journey_id, ident, store=tx, expected_version=version
        )
    return lambda tx: edits.delete_finding(ident, store=tx, expected_version=version)


def _reorder(journey_id: str, kind: str, wanted: list[str]) -> Op:
    """Put the workbook's columns (or rows) in its order; those added in the app since the
    export keep their places."""

    def run(tx: Store) -> None:
        with tx.read_session() as session:
            journey = repo.load_journey(session, journey_id)
        live = [i.id for i in (journey.moments if kind == "moment" else journey.channels)]
        ours = [i for i in wanted if i in set(live)]
        slots = [k for k, i in enumerate(live) if i in set(ours)]
        target = list(live)
        for slot, ident in zip(slots, ours, strict=True):
            target[slot] = ident
        move = edits.move_moment if kind == "moment" else edits.move_channel
        current = list(live)
        for position, ident in enumerate(target):
            if current[position] != ident:
                move(journey_id, ident, position, store=tx)
                current.remove(ident)
                current.insert(position, ident)

    return run
