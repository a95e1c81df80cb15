"""The board canvas's edits and their undo: each edit goes through the store's versioned edits
and comes back as the edit that undoes it; an undo or redo that meets someone else's newer
edit is refused (nothing is overwritten) and dropped from the screen's history."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from journeys.board.undo import Edit, History, Op, inverse
from journeys.contract.model import Finding, Moment, Touchpoint
from journeys.errors import (
    InvalidReferenceError,
    NotFoundError,
    RestoreConflictError,
    StaleVersionError,
)
from journeys.library.documents import get_journey_for_edit
from journeys.roles import Permission, requires
from journeys.store import cells, edits, findings
from journeys.store.db import Store

Refusal = Literal["empty", "stale", "gone"]


@dataclass(frozen=True)
class Outcome:
    """What an undo or redo did: `edit` (the one applied or refused; None when there was
    nothing to undo), and why it was refused, if it was."""

    edit: Edit | None
    refused: Refusal | None = None


@requires(Permission.EDIT)
def apply_edit(journey_id: str, edit: Edit, *, store: Store) -> Edit:
    """Apply one edit of the board; return the edit that undoes it.

    Raises StaleVersionError (someone changed the thing since it was seen), NotFoundError,
    InvalidReferenceError, DuplicateIdError, RestoreConflictError.
    """
    return _apply(journey_id, edit, store)


@requires(Permission.EDIT)
def undo_edit(journey_id: str, history: History, *, store: Store) -> tuple[History, Outcome]:
    """Undo the screen's last edit still undoable; return the history after it and what
    happened. A refused undo leaves the store as it is and leaves the history without it."""
    edit = history.next_undo
    if edit is None:
        return history, Outcome(None, "empty")
    try:
        undoing = _checked(journey_id, edit, store)
    except (StaleVersionError, RestoreConflictError):
        return history.refused_undo(), Outcome(edit, "stale")
    except (NotFoundError, InvalidReferenceError):
        return history.refused_undo(), Outcome(edit, "gone")
    return history.undone(undoing), Outcome(edit)


@requires(Permission.EDIT)
def redo_edit(journey_id: str, history: History, *, store: Store) -> tuple[History, Outcome]:
    """Redo the last undone edit (same rules as `undo_edit`)."""
    edit = history.next_redo
    if edit is None:
        return history, Outcome(None, "empty")
    try:
        undoing = _checked(journey_id, edit, store)
    except (StaleVersionError, RestoreConflictError):
        return history.refused_redo(), Outcome(edit, "stale")
    except (NotFoundError, InvalidReferenceError):
        return history.refused_redo(), Outcome(edit, "gone")
    return history.redone(undoing), Outcome(edit)


def _checked(journey_id: str, edit: Edit, store: Store) -> Edit:
    """Apply an undo or redo. Trashing a touchpoint again is refused when someone has put a
    finding on it since (its own version does not change with its findings)."""
    if edit.op is Op.DELETE_TOUCHPOINT and isinstance(edit.before, Touchpoint):
        now = get_journey_for_edit(journey_id, store=store)
        seen = len(edit.before.findings)
        if len(now.finding_refs.get(str(edit.ident), ())) > seen:
            raise StaleVersionError("touchpoint", edit.ident, edit.expected or 0, None)
    return _apply(journey_id, edit, store)


def _apply(journey_id: str, edit: Edit, store: Store) -> Edit:
    expected = edit.expected or 0
    ident = edit.ident
    match edit.op:
        case Op.ADD_TOUCHPOINT:
            assert isinstance(edit.after, Touchpoint)
            return inverse(edit, cells.add_touchpoint(journey_id, edit.after, store=store))
        case Op.UPDATE_TOUCHPOINT:
            assert isinstance(edit.after, Touchpoint)
            version = cells.update_touchpoint(
                journey_id, str(ident), edit.after, store=store, expected_version=expected
            )
            return inverse(edit, version)
        case Op.DELETE_TOUCHPOINT:
            cells.delete_touchpoint(journey_id, str(ident), store=store, expected_version=expected)
            return inverse(edit, expected + 1)  # trashing is a versioned edit too
        case Op.RESTORE_TOUCHPOINT:
            cells.restore_touchpoint(journey_id, str(ident), store=store)
            return inverse(edit, expected + 1)
        case Op.MOVE_MOMENT | Op.MOVE_CHANNEL:
            move = edits.move_moment if edit.op is Op.MOVE_MOMENT else edits.move_channel
            assert isinstance(edit.after, int)
            version = move(
                journey_id, str(ident), edit.after, store=store, expected_version=expected
            )
            return inverse(edit, version)
        case Op.UPDATE_MOMENT:
            assert isinstance(edit.after, Moment)
            version = edits.update_moment(
                journey_id, str(ident), edit.after, store=store, expected_version=expected
            )
            return inverse(edit, version)
        case Op.ADD_FINDING:
            assert isinstance(edit.after, Finding) and edit.touchpoint
            ref = findings.add_finding(journey_id, edit.touchpoint, edit.after, store=store)
            return inverse(edit, 1, ref)
        case Op.UPDATE_FINDING:
            assert isinstance(edit.after, Finding)
            version = findings.update_finding(
                int(ident), edit.after, store=store, expected_version=expected
            )
            return inverse(edit, version)
        case Op.DELETE_FINDING:
            findings.delete_finding(int(ident), store=store, expected_version=expected)
            return inverse(edit, expected + 1)
        case Op.RESTORE_FINDING:
            findings.restore_finding(int(ident), store=store)
            return inverse(edit, expected + 1)
    raise AssertionError(edit.op)  # pragma: no cover  (every operation is matched above)
