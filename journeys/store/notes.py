"""Participants' notes in the store: adding and reading them, and moving a note's status."""

# SQLModel types a column as its Python value, so mypy cannot see SQL expressions here.
# mypy: disable-error-code="arg-type,union-attr,attr-defined,call-overload"

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from functools import cache
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, aliased

from journeys.contract.model import FindingType
from journeys.errors import InvalidReferenceError, NotFoundError, StoreError
from journeys.store import rows
from journeys.store.note_tables import ParticipantNoteRow
from journeys.store.tables import ChannelRow, JourneyRow, MomentRow, TouchpointRow, utcnow


class NoteStatus(StrEnum):
    NEW = "new"
    ACCEPTED = "accepted"
    MERGED = "merged"
    DISCARDED = "discarded"


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


def add_note(
    session: Session,
    journey_pk: int,
    place: dict[str, Any],
    *,
    finding_type: FindingType,
    intensity: int,
    text: str,
    author: str | None,
) -> int:
    """Insert a new note at `place` (row ids, from cell_ids); return its id."""
    row = ParticipantNoteRow(
        journey_id=journey_pk,
        **place,
        type=finding_type.value,
        intensity=intensity,
        text=text,
        author=author,
        created_at=utcnow(),
        status=NoteStatus.NEW.value,
        version=1,
    )
    session.add(row)
    session.flush()
    assert row.id is not None
    return row.id


def notes(
    session: Session,
    journey_pk: int,
    journey_id: str,
    *,
    statuses: Iterable[NoteStatus] | None = None,
    since: datetime | None = None,
) -> list[ParticipantNote]:
    """The journey's notes, oldest first: only those in `statuses` and created after `since`
    when given."""
    where = [ParticipantNoteRow.journey_id == journey_pk]
    if statuses is not None:
        where.append(ParticipantNoteRow.status.in_([s.value for s in statuses]))
    if since is not None:
        where.append(ParticipantNoteRow.created_at > since)
    statement = _query().where(*where)
    return [_note(journey_id, *found) for found in session.execute(statement)]


def pending_counts(session: Session, journey_pk: int) -> dict[str, int]:
    """Touchpoint id → number of new notes about it."""
    found = session.execute(
        select(TouchpointRow.slug, func.count())
        .join(ParticipantNoteRow, ParticipantNoteRow.touchpoint_id == TouchpointRow.id)
        .where(
            ParticipantNoteRow.journey_id == journey_pk,
            ParticipantNoteRow.status == NoteStatus.NEW.value,
        )
        .group_by(TouchpointRow.slug)
    ).all()
    return {slug: count for slug, count in found}


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
