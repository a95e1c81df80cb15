"""Participants' notes and join codes in the store: reading them, and moving a note's status."""

# SQLModel types a column as its Python value, so mypy cannot see SQL expressions here.
# mypy: disable-error-code="arg-type,union-attr,attr-defined,call-overload"

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from functools import cache
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, aliased

from journeys.contract.model import FindingType
from journeys.errors import InvalidReferenceError, NotFoundError, StoreError
from journeys.store import rows
from journeys.store.note_tables import ParticipantNoteRow, WorkshopSessionRow
from journeys.store.tables import ChannelRow, JourneyRow, MomentRow, TouchpointRow
from journeys.workshop.join_link import same_code


class NoteStatus(StrEnum):
    NEW = "new"
    ACCEPTED = "accepted"
    MERGED = "merged"
    DISCARDED = "discarded"


class JoinCodeError(StoreError):
    """No workshop open with this code (wrong, rotated, or for another journey)."""

    def __init__(self) -> None:
        super().__init__("this join code is not valid (anymore): ask the facilitator for it")


class NoteStateError(StoreError):
    """The note is not in a state that allows the action (say, accepted twice)."""

    def __init__(self, note_id: int, status: str, action: str):
        self.note_id, self.status = note_id, status
        super().__init__(f"note {note_id} is {status}: it cannot be {action}")


@dataclass(frozen=True)
class ParticipantNote:
    """A note as the inbox shows it; moment, channel and touchpoints are ids (slugs)."""

    id: int
    journey_id: str
    moment: str
    channel: str
    touchpoint: str | None
    type: FindingType
    intensity: int
    text: str
    author: str | None
    created_at: datetime
    status: NoteStatus
    merged_touchpoint: str | None
    merged_finding_id: int | None
    version: int
    discarded_at: datetime | None


# --- join codes ----------------------------------------------------------------------------


def workshop_code(session: Session, journey_pk: int) -> str | None:
    return session.scalar(
        select(WorkshopSessionRow.join_code).where(WorkshopSessionRow.journey_id == journey_pk)
    )


def journey_and_code(session: Session, journey_id: str) -> tuple[int, str | None]:
    """The live journey's row id and its join code (None before the workshop is opened).

    Raises NotFoundError.
    """
    found = session.execute(
        select(JourneyRow.id, WorkshopSessionRow.join_code)
        .outerjoin(WorkshopSessionRow, WorkshopSessionRow.journey_id == JourneyRow.id)
        .where(JourneyRow.slug == journey_id, JourneyRow.deleted_at.is_(None))
    ).one_or_none()
    if found is None:
        raise NotFoundError("journey", journey_id)
    return found[0], found[1]


def code_matches(session: Session, journey_id: str, code: str | None) -> bool:
    """True if `code` opens the live journey `journey_id` (constant-time comparison)."""
    stored = session.scalar(
        select(WorkshopSessionRow.join_code)
        .join(JourneyRow, JourneyRow.id == WorkshopSessionRow.journey_id)
        .where(JourneyRow.slug == journey_id, JourneyRow.deleted_at.is_(None))
    )
    return same_code(stored, code)


def journey_with_code(session: Session, code: str | None) -> str | None:
    """The live journey whose join code is `code`, or None; every code is compared, so that
    the time taken does not tell which one matched."""
    pairs = session.execute(
        select(JourneyRow.slug, WorkshopSessionRow.join_code)
        .join(JourneyRow, JourneyRow.id == WorkshopSessionRow.journey_id)
        .where(JourneyRow.deleted_at.is_(None))
    ).all()
    found = None
    for slug, stored in pairs:
        if same_code(stored, code):
            found = slug
    return found


# --- notes ---------------------------------------------------------------------------------


def cell_ids(
    session: Session,
    journey_pk: int,
    journey_id: str,
    *,
    moment: str | None,
    channel: str | None,
    touchpoint: str | None,
) -> dict[str, Any]:
    """Row ids of a note's place: the touchpoint's cell, or the live moment and channel.

    Raises InvalidReferenceError.
    """
    where = f"journey '{journey_id}'"
    if touchpoint:
        tp = rows.live_child(session, TouchpointRow, journey_pk, touchpoint)
        if tp is None:
            raise InvalidReferenceError("touchpoint", touchpoint, where=where)
        return {"moment_id": tp.moment_id, "channel_id": tp.channel_id, "touchpoint_id": tp.id}
    ids: dict[str, Any] = {"touchpoint_id": None}
    for table, what, slug in ((MomentRow, "moment", moment), (ChannelRow, "channel", channel)):
        row = rows.live_child(session, table, journey_pk, slug)
        if row is None:
            raise InvalidReferenceError(what, str(slug), where=where)
        ids[f"{what}_id"] = row.id
    return ids


def notes(session: Session, journey_pk: int, journey_id: str, *where: Any) -> list[ParticipantNote]:
    """The journey's notes matching `where`, oldest first."""
    statement = _query().where(ParticipantNoteRow.journey_id == journey_pk, *where)
    return [_note(journey_id, *found) for found in session.execute(statement)]


def note(session: Session, note_id: int) -> ParticipantNote:
    """One note. Raises NotFoundError."""
    found = session.execute(
        _query()
        .add_columns(JourneyRow.slug)
        .join(JourneyRow, JourneyRow.id == ParticipantNoteRow.journey_id)
        .where(ParticipantNoteRow.id == note_id)
    ).one_or_none()
    if found is None:
        raise NotFoundError("note", note_id)
    *columns, slug = found
    return _note(slug, *columns)


def transition(
    session: Session, note_id: int, old: NoteStatus, values: dict[str, Any], action: str
) -> None:
    """Update a note only if its status is still `old`. Raises NoteStateError, NotFoundError."""
    result = session.execute(
        update(ParticipantNoteRow)
        .where(ParticipantNoteRow.id == note_id, ParticipantNoteRow.status == old.value)
        .values(**values, version=ParticipantNoteRow.version + 1),
        execution_options={"synchronize_session": False},
    )
    if result.rowcount:
        return
    status = session.scalar(
        select(ParticipantNoteRow.status).where(ParticipantNoteRow.id == note_id)
    )
    if status is None:
        raise NotFoundError("note", note_id)
    raise NoteStateError(note_id, status, action)


def link(session: Session, note_id: int, touchpoint_id: str, finding_id: int) -> None:
    """Record where a note went: its touchpoint and finding."""
    row = session.get(ParticipantNoteRow, note_id)
    assert row is not None
    tp = rows.live_child(session, TouchpointRow, row.journey_id, touchpoint_id)
    row.merged_touchpoint_id = tp.id if tp is not None else None
    row.merged_finding_id = finding_id


@cache
def _query() -> Any:
    """The notes' select with their places' slugs: built once (statements are immutable, and
    SQLAlchemy's compiled cache only hits for the same statement structure)."""
    moment, channel = aliased(MomentRow), aliased(ChannelRow)
    touchpoint, merged = aliased(TouchpointRow), aliased(TouchpointRow)
    row = ParticipantNoteRow
    return (
        select(row, moment.slug, channel.slug, touchpoint.slug, merged.slug)
        .join(moment, moment.id == row.moment_id)
        .join(channel, channel.id == row.channel_id)
        .outerjoin(touchpoint, touchpoint.id == row.touchpoint_id)
        .outerjoin(merged, merged.id == row.merged_touchpoint_id)
        .order_by(row.created_at, row.id)
    )


def _note(
    journey_id: str,
    row: ParticipantNoteRow,
    moment: str,
    channel: str,
    touchpoint: str | None,
    merged: str | None,
) -> ParticipantNote:
    assert row.id is not None
    return ParticipantNote(
        id=row.id,
        journey_id=journey_id,
        moment=moment,
        channel=channel,
        touchpoint=touchpoint,
        type=FindingType(row.type),
        intensity=row.intensity,
        text=row.text,
        author=row.author,
        created_at=row.created_at,
        status=NoteStatus(row.status),
        merged_touchpoint=merged,
        merged_finding_id=row.merged_finding_id,
        version=row.version,
        discarded_at=row.deleted_at,
    )
