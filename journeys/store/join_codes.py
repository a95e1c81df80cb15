"""Workshops' join codes in the store: opening a workshop, rotating its code, checking one."""

# SQLModel types a column as its Python value, so mypy cannot see SQL expressions here.
# mypy: disable-error-code="arg-type,union-attr,attr-defined,call-overload"

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from journeys.errors import NotFoundError, StoreError
from journeys.store import repository as repo
from journeys.store.db import Store
from journeys.store.note_tables import WorkshopSessionRow
from journeys.store.tables import JourneyRow, utcnow
from journeys.workshop.join_link import same_code


class JoinCodeError(StoreError):
    """No workshop open with this code (wrong, rotated, or for another journey)."""

    def __init__(self) -> None:
        super().__init__("this join code is not valid (anymore): ask the facilitator for it")


def workshop_code(session: Session, journey_pk: int) -> str | None:
    return session.scalar(
        select(WorkshopSessionRow.join_code).where(WorkshopSessionRow.journey_id == journey_pk)
    )


def open_workshop(journey_pk: int, code: str, *, store: Store) -> str | None:
    """In one transaction, give the journey `code` as its join code unless it has one already;
    return the join code it has now. None when the write clashed (another facilitator opened it
    at the same instant, or `code` is another journey's): nothing was written, draw again."""
    try:
        with store.session() as session:
            existing = workshop_code(session, journey_pk)
            if existing is not None:
                return existing
            now = utcnow()
            session.add(
                WorkshopSessionRow(
                    journey_id=journey_pk, join_code=code, created_at=now, rotated_at=now
                )
            )
        return code
    except IntegrityError:
        return None


def set_join_code(journey_id: str, code: str, *, store: Store) -> bool:
    """In one transaction, make `code` the live journey's join code (the workshop must be open);
    False when `code` is another journey's (nothing was written). Raises NotFoundError."""
    try:
        with store.session() as session:
            journey_pk = repo.journey_pk(session, journey_id)
            session.execute(
                update(WorkshopSessionRow)
                .where(WorkshopSessionRow.journey_id == journey_pk)
                .values(
                    join_code=code, rotated_at=utcnow(), version=WorkshopSessionRow.version + 1
                ),
                execution_options={"synchronize_session": False},
            )
        return True
    except IntegrityError:
        return False


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
