"""Versioned edits inside the board's cells: touchpoints, their findings, and flows."""

# SQLModel types a column as its Python value, so mypy cannot see SQL expressions here.
# mypy: disable-error-code="arg-type,union-attr,attr-defined,call-overload"

from __future__ import annotations

from sqlalchemy import insert
from sqlalchemy.orm import Session

from journeys.contract.model import Touchpoint
from journeys.errors import InvalidReferenceError, RestoreConflictError
from journeys.store import rows
from journeys.store.convert import finding_columns, touchpoint_columns
from journeys.store.db import Store
from journeys.store.repository import bulk_insert
from journeys.store.tables import (
    ChannelRow,
    FindingRow,
    MomentRow,
    TouchpointRow,
    utcnow,
)

# See edits.py: updates carry `expected_version` (StaleVersionError when stale), additions
# never conflict, everything raises NotFoundError when the journey or the thing is not live.


def add_touchpoint(journey_id: str, touchpoint: Touchpoint, *, store: Store) -> int:
    """Add a touchpoint (last in its cell), with its findings if any; return its version (1).

    Raises InvalidReferenceError for an unknown moment or channel, DuplicateIdError.
    """
    where = f"journey '{journey_id}'"
    with rows.unique_ids("touchpoint", touchpoint.id, where), store.session() as session:
        journey_pk = rows.lock_journey(session, journey_id)
        if rows.live_child(session, TouchpointRow, journey_pk, touchpoint.id) is not None:
            raise rows.duplicate("touchpoint", touchpoint.id, journey_id)
        values = {
            **touchpoint_columns(touchpoint),
            **_cell(session, journey_pk, touchpoint, journey_id),
            "journey_id": journey_pk,
            "version": 1,
            "position": rows.next_position(
                session, TouchpointRow.position, TouchpointRow.journey_id == journey_pk
            ),
        }
        (tp_id,) = bulk_insert(session, TouchpointRow, [values])
        now = utcnow()
        findings = [
            {**finding_columns(f), "touchpoint_id": tp_id, "position": i, "version": 1}
            | {"created_at": now}
            for i, f in enumerate(touchpoint.findings)
        ]
        if findings:
            session.execute(insert(FindingRow), findings)
    return 1


def update_touchpoint(
    journey_id: str,
    touchpoint_id: str,
    touchpoint: Touchpoint,
    *,
    store: Store,
    expected_version: int,
) -> int:
    """Replace the fields of a touchpoint (moving it to another cell if moment/channel change).

    `touchpoint.findings` is ignored: findings have their own functions.
    Raises StaleVersionError, InvalidReferenceError, DuplicateIdError.
    """
    where = f"journey '{journey_id}'"
    with rows.unique_ids("touchpoint", touchpoint.id, where), store.session() as session:
        journey_pk = rows.lock_journey(session, journey_id)
        row = rows.child_for_update(
            session, TouchpointRow, journey_pk, touchpoint_id, "touchpoint", expected_version
        )
        values = {
            **touchpoint_columns(touchpoint),
            **_cell(session, journey_pk, touchpoint, journey_id),
        }
        version = rows.versioned(
            session,
            row,
            values,
            expected_version=expected_version,
            what="touchpoint",
            ident=touchpoint_id,
        )
    return version


def delete_touchpoint(
    journey_id: str, touchpoint_id: str, *, store: Store, expected_version: int | None = None
) -> None:
    """Move a touchpoint and its findings to the trash; flows touching it are hidden meanwhile."""
    with store.session() as session:
        journey_pk = rows.lock_journey(session, journey_id)
        row = rows.child_for_update(
            session, TouchpointRow, journey_pk, touchpoint_id, "touchpoint", expected_version
        )
        rows.versioned(
            session,
            row,
            {"deleted_at": utcnow()},
            expected_version=expected_version,
            what="touchpoint",
            ident=touchpoint_id,
        )


def restore_touchpoint(journey_id: str, touchpoint_id: str, *, store: Store) -> None:
    """Bring back the last deleted touchpoint `touchpoint_id` (and so its findings).

    Raises RestoreConflictError if its moment or channel is deleted, or its id is taken.
    """
    with store.session() as session:
        journey_pk = rows.lock_journey(session, journey_id)
        row = rows.deleted_child(session, TouchpointRow, journey_pk, touchpoint_id, "touchpoint")
        restore_touchpoint_row(session, row, journey_id)


def restore_touchpoint_row(session: Session, row: TouchpointRow, journey_id: str) -> None:
    """Restore one deleted touchpoint row (journey already locked). Raises RestoreConflictError."""
    for table, what, row_id in (
        (MomentRow, "moment", row.moment_id),
        (ChannelRow, "channel", row.channel_id),
    ):
        parent = session.get(table, row_id)
        if parent is None or parent.deleted_at is not None:
            raise RestoreConflictError(
                f"cannot restore touchpoint '{row.slug}': its {what} "
                f"'{parent.slug if parent else row_id}' is deleted; restore it first"
            )
    restored = rows.restore_touchpoints(session, [TouchpointRow.id == row.id], journey_id)
    if not restored:
        raise RestoreConflictError(
            f"cannot restore touchpoint '{row.slug}': journey '{journey_id}' has a live "
            "touchpoint with that id; rename it first"
        )


def _cell(
    session: Session, journey_pk: int, touchpoint: Touchpoint, journey_id: str
) -> dict[str, int]:
    """Row ids of the touchpoint's live moment and channel. Raises InvalidReferenceError."""
    ids = {}
    for table, what, slug in (
        (MomentRow, "moment", touchpoint.moment),
        (ChannelRow, "channel", touchpoint.channel),
    ):
        row = rows.live_child(session, table, journey_pk, slug)
        if row is None:
            raise InvalidReferenceError(what, slug, where=f"journey '{journey_id}'")
        ids[f"{what}_id"] = row.id
    return ids
