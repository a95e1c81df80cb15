"""Every screen in step: what an open board reads twice a second (its signature, one small query)
and what it then redraws. The store is the only channel between screens, so that several app
processes serving one workspace stay in step as one does."""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from journeys.roles import Permission, requires
from journeys.store import signature
from journeys.store.db import Store
from journeys.store.signature import BoardSignature

__all__ = ["BoardSignature", "Change", "Drawn", "board_signature", "what_changed"]


@requires(Permission.READ)
def board_signature(journey_id: str, *, store: Store) -> BoardSignature:
    """Return the live journey's signature: its revision, its notes' state (one query).

    Raises NotFoundError (also for a journey in the trash)."""
    with store.read_session() as session:
        return signature.board_signature(session, journey_id)


class Change(StrEnum):
    NONE = "none"  # nothing to redraw
    NOTES = "notes"  # only the notes: the counter (and the tray, if open)
    BOARD = "board"  # the journey or the workshop state: the whole page


@dataclass(frozen=True)
class Drawn:
    """What a screen shows: the journey's revision its page drew, the notes (new, newest id,
    revision) it last showed, and the workshop state's revision, once the page draws one
    (None: the page shows none, so a change of it asks for nothing)."""

    revision: tuple[int, int]
    notes: tuple[int, int, int] | None = None
    workshop: int | None = None

    def seeing(self, now: BoardSignature) -> Drawn:
        """The same, once the screen shows `now`'s notes (the page still shows its revision)."""
        return replace(self, notes=now.notes)


def what_changed(drawn: Drawn, now: BoardSignature) -> Change:
    """What the screen must redraw to show `now`: the page for an edit made elsewhere (never for
    the revision it drew itself), or only the notes."""
    if now.revision != drawn.revision:
        return Change.BOARD
    if drawn.workshop is not None and now.workshop != drawn.workshop:
        return Change.BOARD
    if now.notes != drawn.notes:
        return Change.NOTES
    return Change.NONE
