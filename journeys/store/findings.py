"""Findings (each its own row: concurrent additions never clash) and flows between touchpoints."""

# SQLModel types a column as its Python value, so mypy cannot see SQL expressions here.
# mypy: disable-error-code="arg-type,union-attr,attr-defined,call-overload"

from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from journeys.contract.model import Finding, Flow
from journeys.errors import InvalidReferenceError, NotFoundError, RestoreConflictError
from journeys.store import rows
from journeys.store.convert import finding_columns, flow_columns
from journeys.store.db import Store
from journeys.store.repository import bulk_insert
from journeys.store.tables import FindingRow, FlowRow, JourneyRow, TouchpointRow, utcnow


def add_finding(journey_id: str, touchpoint_id: str, finding: Finding, *, store: Store) -> int:
    """Add a finding at the end of a touchpoint's list; return its row id (its handle).

    Raises NotFoundError when the journey or the touchpoint is not live.
    """
    with store.session() as session:
        journey_pk = rows.lock_journey(session, journey_id)
        touchpoint = rows.live_child(session, TouchpointRow, journey_pk, touchpoint_id)
        if touchpoint is None:
            raise NotFoundError("touchpoint", touchpoint_id, where=f"journey '{journey_id}'")
        position = rows.next_position(
            session, FindingRow.position, FindingRow.touchpoint_id == touchpoint.id
        )
        values = {**finding_columns(finding), "touchpoint_id": touchpoint.id}
        values |= {"position": position, "version": 1, "created_at": utcnow()}
        (finding_id,) = bulk_insert(session, FindingRow, [values])
    return finding_id


def update_finding(
    finding_id: int, finding: Finding, *, store: Store, expected_version: int
) -> int:
    """Replace the content of a finding (by row id); return its new version.

    Raises StaleVersionError (changed or deleted by someone else), NotFoundError.
    """
    with store.session() as session:
        row = _finding(session, finding_id)
        version = rows.versioned(
            session,
            row,
            finding_columns(finding),
            expected_version=expected_version,
            what="finding",
            ident=finding_id,
        )
    return version


def delete_finding(finding_id: int, *, store: Store, expected_version: int | None = None) -> None:
    """Move a finding to the trash (restorable). Raises StaleVersionError, NotFoundError."""
    with store.session() as session:
        row = _finding(session, finding_id)
        rows.versioned(
            session,
            row,
            {"deleted_at": utcnow()},
            expected_version=expected_version,
            what="finding",
            ident=finding_id,
        )


def restore_finding(finding_id: int, *, store: Store) -> None:
    """Bring back a deleted finding. Raises RestoreConflictError if its touchpoint is deleted."""
    with store.session() as session:
        row = _finding(session, finding_id)
        if row.deleted_at is None:
            raise NotFoundError("finding", finding_id, where="the trash")
        touchpoint = session.get(TouchpointRow, row.touchpoint_id)
        if touchpoint is None or touchpoint.deleted_at is not None:
            slug = touchpoint.slug if touchpoint else row.touchpoint_id
            raise RestoreConflictError(
                f"cannot restore the finding: its touchpoint '{slug}' is deleted; restore it first"
            )
        row.deleted_at = None
        row.version += 1


def _finding(session: Session, finding_id: int) -> FindingRow:
    """A finding of a live journey (live or deleted: versioned() tells which), its journey
    locked first (see rows.lock_journey). Raises NotFoundError."""
    journey = session.scalars(
        select(JourneyRow.slug)
        .join(TouchpointRow, TouchpointRow.journey_id == JourneyRow.id)
        .join(FindingRow, FindingRow.touchpoint_id == TouchpointRow.id)
        .where(FindingRow.id == finding_id)
    ).one_or_none()
    if journey is None:
        raise NotFoundError("finding", finding_id)
    try:
        rows.lock_journey(session, journey)
    except NotFoundError:
        raise NotFoundError("finding", finding_id) from None
    row = session.get(FindingRow, finding_id, populate_existing=True)
    assert row is not None
    return row


# --- flows ---------------------------------------------------------------------------------


def add_flow(journey_id: str, flow: Flow, *, store: Store) -> None:
    """Add a flow between two live touchpoints (at the end). Raises InvalidReferenceError."""
    with store.session() as session:
        journey_pk = rows.lock_journey(session, journey_id)
        ends = _ends(session, journey_pk, journey_id, flow.from_, flow.to)
        position = rows.next_position(session, FlowRow.position, FlowRow.journey_id == journey_pk)
        values = {**flow_columns(flow), **ends, "journey_id": journey_pk}
        bulk_insert(session, FlowRow, [values | {"position": position, "version": 1}])


def update_flow(journey_id: str, flow: Flow, *, store: Store) -> int:
    """Set `break` and `label` of the flows from `flow.from_` to `flow.to`, keeping their place.

    Returns how many flows changed (0: there is none). Raises InvalidReferenceError.
    """
    with store.session() as session:
        journey_pk = rows.lock_journey(session, journey_id)
        ends = _ends(session, journey_pk, journey_id, flow.from_, flow.to)
        result = session.execute(
            update(FlowRow)
            .where(
                FlowRow.journey_id == journey_pk,
                FlowRow.from_touchpoint_id == ends["from_touchpoint_id"],
                FlowRow.to_touchpoint_id == ends["to_touchpoint_id"],
            )
            .values(**flow_columns(flow), version=FlowRow.version + 1),
            execution_options={"synchronize_session": False},
        )
        return result.rowcount


def delete_flow(journey_id: str, from_id: str, to_id: str, *, store: Store) -> int:
    """Delete the flows from `from_id` to `to_id`; return how many were deleted."""
    with store.session() as session:
        journey_pk = rows.lock_journey(session, journey_id)
        ends = _ends(session, journey_pk, journey_id, from_id, to_id)
        result = session.execute(
            delete(FlowRow).where(
                FlowRow.journey_id == journey_pk,
                FlowRow.from_touchpoint_id == ends["from_touchpoint_id"],
                FlowRow.to_touchpoint_id == ends["to_touchpoint_id"],
            ),
            execution_options={"synchronize_session": False},
        )
        return result.rowcount


def _ends(
    session: Session, journey_pk: int, journey_id: str, from_id: str, to_id: str
) -> dict[str, int]:
    ends = {}
    for end, slug in (("from", from_id), ("to", to_id)):
        row = rows.live_child(session, TouchpointRow, journey_pk, slug)
        if row is None:
            raise InvalidReferenceError("touchpoint", slug, where=f"journey '{journey_id}'")
        ends[f"{end}_touchpoint_id"] = row.id
    return ends
