"""What an open board watches, in one small query: its journey's revision and its notes' state."""

# SQLModel types a column as its Python value, so mypy cannot see SQL expressions here.
# mypy: disable-error-code="arg-type,union-attr,attr-defined,call-overload"

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import bindparam, case, func, select
from sqlalchemy.orm import Session

from journeys.errors import NotFoundError
from journeys.store.note_tables import ParticipantNoteRow, WorkshopStateRow
from journeys.store.notes import NoteStatus
from journeys.store.tables import JourneyRow


@dataclass(frozen=True)
class BoardSignature:
    """What others may change of a board, at one instant.

    revision: (journey row id, revision), as `EditableJourney.revision`: any edit changes it.
    new_notes: the notes waiting in the inbox; last_note: the newest note's id (0: none);
    notes_revision: grows with every note sent, accepted, filed, discarded or restored.
    workshop: the revision of the workshop's shared state (who presents, follow-me, timer),
    0 until the workshop first changes something.
    """

    revision: tuple[int, int]
    new_notes: int = 0
    last_note: int = 0
    notes_revision: int = 0
    workshop: int = 0

    @property
    def notes(self) -> tuple[int, int, int]:
        """The notes' part: (new notes, newest id, notes' revision)."""
        return self.new_notes, self.last_note, self.notes_revision


def board_signature(session: Session, journey_id: str) -> BoardSignature:
    """The live journey's signature, in one query (the notes by their journey's index).

    Raises NotFoundError (also for a journey in the trash)."""
    found = session.execute(_query(), {"journey_id": journey_id}).one_or_none()
    if found is None:
        raise NotFoundError("journey", journey_id)
    row_id, revision, new_notes, last_note, notes_revision, workshop = found
    return BoardSignature(
        revision=(row_id, revision),
        new_notes=int(new_notes),
        last_note=int(last_note),
        notes_revision=int(notes_revision),
        workshop=int(workshop),
    )


@cache
def _query() -> Any:
    """Built once: every watcher of every board runs it twice a second. A later part of the
    signature (the workshop's state) goes in as one more outer join on the journey's row."""
    note = ParticipantNoteRow
    state = WorkshopStateRow
    waiting = case((note.status == NoteStatus.NEW.value, 1), else_=0)
    return (
        select(
            JourneyRow.id,
            JourneyRow.revision,
            func.coalesce(func.sum(waiting), 0),
            func.coalesce(func.max(note.id), 0),
            # versions start at 1 and grow by one per change of status: their sum moves with
            # every note sent or handled (notes are never deleted, only purged with their journey)
            func.coalesce(func.sum(note.version), 0),
            # one row per journey at most: its revision, whatever the number of notes
            func.coalesce(func.max(state.revision), 0),
        )
        .outerjoin(note, note.journey_id == JourneyRow.id)
        .outerjoin(state, state.journey_id == JourneyRow.id)
        .where(JourneyRow.slug == bindparam("journey_id"), JourneyRow.deleted_at.is_(None))
        .group_by(JourneyRow.id, JourneyRow.revision)
    )
