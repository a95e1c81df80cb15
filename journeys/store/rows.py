"""Helpers shared by the fine-grained edits: find a child row, order rows, guard unique ids."""

# SQLModel types a column as its Python value, so mypy cannot see SQL expressions here.
# mypy: disable-error-code="arg-type,union-attr,attr-defined,call-overload"

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from journeys.errors import (
    DuplicateIdError,
    NotFoundError,
    RestoreConflictError,
    StaleVersionError,
)
from journeys.store import repository as repo
from journeys.store.tables import JourneyRow, TouchpointRow, utcnow


def lock_journey(session: Session, journey_id: str) -> int:
    """Mark the live journey as changed now and return its row id. Raises NotFoundError.

    This also locks the journey's row until the end of the transaction: on PostgreSQL, edits
    of one journey queue up, and since every write takes the journey first they never
    deadlock. The journey's own version is left alone (it guards its header fields).
    """
    row_id = session.scalars(
        update(JourneyRow)
        .where(JourneyRow.slug == journey_id, JourneyRow.deleted_at.is_(None))
        .values(updated_at=utcnow(), revision=JourneyRow.revision + 1)
        .returning(JourneyRow.id),
        execution_options={"synchronize_session": False},
    ).one_or_none()
    if row_id is None:
        raise NotFoundError("journey", journey_id)
    return row_id


def touch_journey(session: Session, journey_pk: int) -> None:
    """Same as lock_journey, by row id, for edits that reach the journey through a child."""
    repo.touch(session, JourneyRow, journey_pk, utcnow())


def live_child(session: Session, table: Any, journey_pk: int, slug: str) -> Any:
    """The live moment/channel/touchpoint `slug` of a journey, or None."""
    return session.scalars(
        select(table).where(
            table.journey_id == journey_pk, table.slug == slug, table.deleted_at.is_(None)
        )
    ).one_or_none()


def deleted_child(session: Session, table: Any, journey_pk: int, slug: str, what: str) -> Any:
    """The most recently deleted row `slug` of a journey. Raises NotFoundError."""
    row = session.scalars(
        select(table)
        .where(table.journey_id == journey_pk, table.slug == slug, table.deleted_at.is_not(None))
        .order_by(table.deleted_at.desc(), table.id.desc())
        .limit(1)
    ).one_or_none()
    if row is None:
        raise NotFoundError(what, slug, where="the trash")
    return row


def child_for_update(
    session: Session,
    table: Any,
    journey_pk: int,
    slug: str,
    what: str,
    expected_version: int | None,
) -> Any:
    """The live row `slug`; if it was deleted meanwhile, StaleVersionError; never: NotFound."""
    row = live_child(session, table, journey_pk, slug)
    if row is not None:
        return row
    gone = session.scalars(
        select(table.id).where(table.journey_id == journey_pk, table.slug == slug).limit(1)
    ).first()
    if gone is not None and expected_version is not None:
        raise StaleVersionError(what, slug, expected_version, None)
    raise NotFoundError(what, slug)


def versioned(
    session: Session,
    row: Any,
    values: dict[str, Any],
    *,
    expected_version: int | None,
    what: str,
    ident: object,
) -> int:
    """Update `row` (by id, while live) only if still at `expected_version`; return new version."""
    table = type(row)
    return repo.versioned_update(
        session,
        table,
        [table.id == row.id, table.deleted_at.is_(None)],
        values,
        expected_version=expected_version,
        what=what,
        ident=ident,
    )


def next_position(session: Session, column: Any, *where: Any) -> int:
    """One past the highest position (of live and deleted rows), 0 when there is none."""
    highest = session.scalar(select(func.max(column)).where(*where))
    return 0 if highest is None else highest + 1


def place(rows: Sequence[Any], row: Any, index: int | None) -> None:
    """Give `rows` (live, in order, without `row`) and `row` at `index` positions 0, 1, 2…

    Only positions change: versions are left alone, so that reordering never makes someone
    else's pending edit stale.
    """
    ordered = list(rows)
    index = len(ordered) if index is None else max(0, min(index, len(ordered)))
    ordered.insert(index, row)
    for position, item in enumerate(ordered):
        if item.position != position:
            item.position = position


@contextmanager
def unique_ids(what: str, ident: str, where: str, *, restoring: bool = False) -> Iterator[None]:
    """Turn the database's unique-index refusal into a readable error."""
    try:
        yield
    except IntegrityError as exc:
        if restoring:
            raise RestoreConflictError(
                f"cannot restore {what} '{ident}': a live {what} in {where} now uses that id"
            ) from exc
        raise DuplicateIdError(what, ident, where=where) from exc


def duplicate(what: str, ident: str, journey_id: str) -> DuplicateIdError:
    return DuplicateIdError(what, ident, where=f"journey '{journey_id}'")


def restore_touchpoints(session: Session, where: Sequence[Any], journey_id: str) -> int:
    """Bring back the deleted touchpoints matching `where`; return how many came back.

    One whose id a live touchpoint now uses stays in the trash (listed there, restorable
    after a rename), so that restoring its moment or channel never fails because of it.
    """
    live = select(TouchpointRow.slug).where(
        TouchpointRow.deleted_at.is_(None),
        TouchpointRow.journey_id.in_(select(TouchpointRow.journey_id).where(*where)),
    )
    result = session.execute(
        update(TouchpointRow)
        .where(*where, TouchpointRow.deleted_at.is_not(None), TouchpointRow.slug.not_in(live))
        .values(deleted_at=None, version=TouchpointRow.version + 1),
        execution_options={"synchronize_session": False},
    )
    return result.rowcount
