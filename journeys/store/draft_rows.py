"""Phone drafts of visits in a session: kept as typed under a token until they become a visit."""

# SQLModel types a column as its Python value, so mypy cannot see SQL expressions here.
# mypy: disable-error-code="arg-type,union-attr,attr-defined,call-overload"

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from journeys.errors import NotFoundError
from journeys.store.tables import JourneyRow, utcnow
from journeys.store.visit_tables import VisitDraftRow


def insert_draft(
    session: Session, journey_pk: int, token: str, content: str, *, now: datetime
) -> None:
    """Keep a new draft (JSON `content`) of a journey under `token`, at version 1."""
    session.add(
        VisitDraftRow(
            token=token, journey_id=journey_pk, content=content, created_at=now, updated_at=now
        )
    )


def draft_row(session: Session, token: str, *, lock: bool = False) -> VisitDraftRow | None:
    """The draft kept under `token`, read afresh, or None; `lock` holds it (PostgreSQL) until
    the end of the transaction, so that two saves or submits of one draft queue up."""
    statement = select(VisitDraftRow).where(VisitDraftRow.token == token)
    if lock:
        statement = statement.with_for_update()
    return session.scalars(statement.execution_options(populate_existing=True)).one_or_none()


def draft_journey(session: Session, token: str) -> str:
    """The id of the journey the draft under `token` belongs to. Raises NotFoundError."""
    slug = session.scalars(
        select(JourneyRow.slug)
        .join(VisitDraftRow, VisitDraftRow.journey_id == JourneyRow.id)
        .where(VisitDraftRow.token == token)
    ).one_or_none()
    if slug is None:
        raise NotFoundError("draft", token)
    return slug


def update_draft(row: VisitDraftRow, content: str, *, now: datetime) -> int:
    """Replace a draft's content (read with draft_row, locked); return its new version."""
    row.content, row.updated_at, row.version = content, now, row.version + 1
    return row.version


def mark_submitted(row: VisitDraftRow, visit: str) -> None:
    """Record that the draft (read with draft_row, locked) became visit `visit`, now."""
    row.visit_slug, row.submitted_at = visit, utcnow()
