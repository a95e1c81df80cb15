"""The board's undo and redo: each edit of one screen, what undoes it, and the last 50 of them.

An edit carries the version its thing must still have (`expected`): undoing it through the
store's versioned edits is refused, and nothing is overwritten, when someone else has
changed that thing since. Additions expect nothing (they never conflict).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from journeys.contract.model import Finding, Moment, Touchpoint

LIMIT = 50  # edits of one screen that Ctrl+Z can undo


class Op(StrEnum):
    ADD_TOUCHPOINT = "add_touchpoint"
    UPDATE_TOUCHPOINT = "update_touchpoint"  # fields, or its cell: a move
    DELETE_TOUCHPOINT = "delete_touchpoint"
    RESTORE_TOUCHPOINT = "restore_touchpoint"
    MOVE_MOMENT = "move_moment"
    UPDATE_MOMENT = "update_moment"  # its fields (the canvas: its free KPI)
    MOVE_CHANNEL = "move_channel"
    ADD_FINDING = "add_finding"
    UPDATE_FINDING = "update_finding"
    DELETE_FINDING = "delete_finding"
    RESTORE_FINDING = "restore_finding"


_ADDITIONS = {Op.ADD_TOUCHPOINT, Op.ADD_FINDING}
# What undoes each operation (updates and moves undo themselves, before and after swapped).
_OPPOSITE = {
    Op.ADD_TOUCHPOINT: Op.DELETE_TOUCHPOINT,
    Op.RESTORE_TOUCHPOINT: Op.DELETE_TOUCHPOINT,
    Op.DELETE_TOUCHPOINT: Op.RESTORE_TOUCHPOINT,
    Op.ADD_FINDING: Op.DELETE_FINDING,
    Op.RESTORE_FINDING: Op.DELETE_FINDING,
    Op.DELETE_FINDING: Op.RESTORE_FINDING,
}

Value = Touchpoint | Finding | Moment | int | None


@dataclass(frozen=True)
class Edit:
    """One edit of the board, as the store applies it.

    `ident`: the touchpoint, moment or channel id, or a finding's row id (an added finding:
    its touchpoint's id, until the store gives it a row). `expected`: the version the thing
    must still have (None for an addition). `before`/`after`: what it was and becomes (a
    touchpoint, finding or moment; a position for moves). `touchpoint`: where a finding hangs.
    `label`: what messages call it. `follows`: in a history, the version the thing had
    before the edit this one reverses (versions only grow: undoing an edit gives the thing
    the state of that version under a new number, see History).
    """

    op: Op
    ident: str | int
    expected: int | None = None
    before: Value = None
    after: Value = None
    touchpoint: str | None = None
    label: str = ""
    follows: int | None = None

    @property
    def thing(self) -> tuple[str, str | int]:
        """What the edit changes: ('touchpoint', id), ('moment', id)… or ('finding', row id)."""
        return (self.op.value.split("_", 1)[1], self.ident)

    def __post_init__(self) -> None:
        if (self.op in _ADDITIONS) != (self.expected is None):
            need = "no version" if self.op in _ADDITIONS else "the version it was seen at"
            raise ValueError(f"{self.op.value} takes {need}")


def inverse(edit: Edit, version: int, ident: str | int | None = None) -> Edit:
    """Return the edit that undoes `edit` once it is applied: `version` is the version it
    left its thing at, `ident` the handle the store gave an addition (a finding's row id)."""
    handle = edit.ident if ident is None else ident
    opposite = _OPPOSITE.get(edit.op)
    if opposite is None:  # an update or a move: the same operation, the other way round
        before, after, op = edit.after, edit.before, edit.op
    elif opposite.name.startswith("DELETE"):  # what was added or restored goes away
        before, after, op = edit.after, None, opposite
    else:  # what was deleted comes back
        before, after, op = None, edit.before, opposite
    return replace(
        edit,
        op=op,
        ident=handle,
        expected=version,
        before=before,
        after=after,
        follows=edit.expected,
    )


@dataclass(frozen=True)
class History:
    """What one screen can undo (`undo`, latest last: the edits that undo its own edits) and
    redo (`redo`, latest last)."""

    undo: tuple[Edit, ...] = ()
    redo: tuple[Edit, ...] = ()

    @property
    def next_undo(self) -> Edit | None:
        return self.undo[-1] if self.undo else None

    @property
    def next_redo(self) -> Edit | None:
        return self.redo[-1] if self.redo else None

    def done(self, undoing: Edit) -> History:
        """A new edit was made; `undoing` undoes it. What was undone cannot be redone now."""
        return History((*self.undo, undoing)[-LIMIT:], ())

    def undone(self, redoing: Edit) -> History:
        """The last undo was applied; `redoing` does it again."""
        rest = _rebased(self.undo[:-1], self.undo[-1], redoing)
        return History(rest, (*self.redo, redoing)[-LIMIT:])

    def redone(self, undoing: Edit) -> History:
        """The last redo was applied; `undoing` undoes it again."""
        rest = _rebased(self.redo[:-1], self.redo[-1], undoing)
        return History((*self.undo, undoing)[-LIMIT:], rest)

    def refused_undo(self) -> History:
        """The last undo met someone else's newer edit: it is dropped, never forced."""
        return History(self.undo[:-1], self.redo)

    def refused_redo(self) -> History:
        return History(self.undo, self.redo[:-1])


def _rebased(rest: tuple[Edit, ...], applied: Edit, reverse: Edit) -> tuple[Edit, ...]:
    """`rest` after `applied` (whose reverse is `reverse`) took its thing back to the state of
    version `applied.follows`, now numbered `reverse.expected`: the next edit of the same
    thing that expected that state expects the new number. One that expected another version
    (someone else edited the thing in between) keeps it, and will be refused."""
    for index in range(len(rest) - 1, -1, -1):
        edit = rest[index]
        if edit.thing != applied.thing:
            continue
        if edit.expected is not None and edit.expected == applied.follows:
            edit = replace(edit, expected=reverse.expected)
            return (*rest[:index], edit, *rest[index + 1 :])
        return rest
    return rest
