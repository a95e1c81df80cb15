"""Versioned edits of a journey's moments (columns) and channels (rows), one change at a time."""

# SQLModel types a column as its Python value, so mypy cannot see SQL expressions here.
# mypy: disable-error-code="arg-type,union-attr,attr-defined,call-overload"

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from journeys.contract.model import Channel, Moment
from journeys.errors import RestoreConflictError
from journeys.store import rows
from journeys.store.convert import channel_columns, moment_columns
from journeys.store.db import Store
from journeys.store.tables import ChannelRow, MomentRow, TouchpointRow, utcnow

# Every update carries the version the user saw (`expected_version`); if someone changed the
# thing since, StaleVersionError is raised and nothing is written. Additions never conflict.
# Functions return the new version of what they changed. All raise NotFoundError when the
# journey (or the thing) is not live, DuplicateIdError when an id is taken.

_AXES: dict[type, tuple[Any, str, Any]] = {
    Moment: (MomentRow, "moment", moment_columns),
    Channel: (ChannelRow, "channel", channel_columns),
}
_ROWS = {"moment": MomentRow, "channel": ChannelRow}


def add_moment(
    journey_id: str, moment: Moment, *, store: Store, position: int | None = None
) -> int:
    """Add a moment (at `position`, default last); return its version (1)."""
    return _add(journey_id, moment, store, position)


def update_moment(
    journey_id: str, moment_id: str, moment: Moment, *, store: Store, expected_version: int
) -> int:
    """Replace label, key, description (and id, if changed: touchpoints follow) of a moment."""
    return _update(journey_id, moment_id, moment, store, expected_version)


def move_moment(
    journey_id: str,
    moment_id: str,
    position: int,
    *,
    store: Store,
    expected_version: int | None = None,
) -> int:
    """Move a moment to `position` (0 = first column) among the live moments."""
    return _move("moment", journey_id, moment_id, position, store, expected_version)


def delete_moment(
    journey_id: str, moment_id: str, *, store: Store, expected_version: int | None = None
) -> None:
    """Move a moment and its touchpoints to the trash (restorable)."""
    _delete("moment", journey_id, moment_id, store, expected_version)


def restore_moment(journey_id: str, moment_id: str, *, store: Store) -> None:
    """Bring back the last deleted moment `moment_id` and the touchpoints deleted with it.

    Raises RestoreConflictError if a live moment now uses its id.
    """
    _restore("moment", journey_id, moment_id, store)


def add_channel(
    journey_id: str, channel: Channel, *, store: Store, position: int | None = None
) -> int:
    """Add a channel (at `position`, default last); return its version (1)."""
    return _add(journey_id, channel, store, position)


def update_channel(
    journey_id: str, channel_id: str, channel: Channel, *, store: Store, expected_version: int
) -> int:
    """Replace label, description (and id, if changed: touchpoints follow) of a channel."""
    return _update(journey_id, channel_id, channel, store, expected_version)


def move_channel(
    journey_id: str,
    channel_id: str,
    position: int,
    *,
    store: Store,
    expected_version: int | None = None,
) -> int:
    """Move a channel to `position` (0 = first row) among the live channels."""
    return _move("channel", journey_id, channel_id, position, store, expected_version)


def delete_channel(
    journey_id: str, channel_id: str, *, store: Store, expected_version: int | None = None
) -> None:
    """Move a channel and its touchpoints to the trash (restorable)."""
    _delete("channel", journey_id, channel_id, store, expected_version)


def restore_channel(journey_id: str, channel_id: str, *, store: Store) -> None:
    """Bring back the last deleted channel `channel_id` and the touchpoints deleted with it."""
    _restore("channel", journey_id, channel_id, store)


# --- shared by moments and channels -------------------------------------------------------


def _live_rows(session: Session, table: Any, journey_pk: int) -> list[Any]:
    statement = (
        select(table)
        .where(table.journey_id == journey_pk, table.deleted_at.is_(None))
        .order_by(table.position, table.id)
    )
    return list(session.scalars(statement))


def _add(journey_id: str, item: Moment | Channel, store: Store, position: int | None) -> int:
    table, what, columns = _AXES[type(item)]
    with rows.unique_ids(what, item.id, f"journey '{journey_id}'"), store.session() as session:
        journey_pk = rows.lock_journey(session, journey_id)
        if rows.live_child(session, table, journey_pk, item.id) is not None:
            raise rows.duplicate(what, item.id, journey_id)
        row = table(**columns(item), journey_id=journey_pk, position=0, version=1)
        rows.place(_live_rows(session, table, journey_pk), row, position)
        session.add(row)
    return 1


def _update(journey_id: str, slug: str, item: Moment | Channel, store: Store, expected: int) -> int:
    table, what, columns = _AXES[type(item)]
    with rows.unique_ids(what, item.id, f"journey '{journey_id}'"), store.session() as session:
        journey_pk = rows.lock_journey(session, journey_id)
        row = rows.child_for_update(session, table, journey_pk, slug, what, expected)
        version = rows.versioned(
            session, row, columns(item), expected_version=expected, what=what, ident=slug
        )
    return version


def _move(
    what: str, journey_id: str, slug: str, position: int, store: Store, expected: int | None
) -> int:
    table = _ROWS[what]
    with store.session() as session:
        journey_pk = rows.lock_journey(session, journey_id)
        row = rows.child_for_update(session, table, journey_pk, slug, what, expected)
        version = rows.versioned(session, row, {}, expected_version=expected, what=what, ident=slug)
        others = [r for r in _live_rows(session, table, journey_pk) if r.id != row.id]
        rows.place(others, session.get(table, row.id, populate_existing=True), position)
    return version


def _delete(what: str, journey_id: str, slug: str, store: Store, expected: int | None) -> None:
    table = _ROWS[what]
    now = utcnow()
    with store.session() as session:
        journey_pk = rows.lock_journey(session, journey_id)
        row = rows.child_for_update(session, table, journey_pk, slug, what, expected)
        rows.versioned(
            session, row, {"deleted_at": now}, expected_version=expected, what=what, ident=slug
        )
        axis = TouchpointRow.moment_id if what == "moment" else TouchpointRow.channel_id
        session.execute(
            update(TouchpointRow)
            .where(axis == row.id, TouchpointRow.deleted_at.is_(None))
            .values(deleted_at=now, version=TouchpointRow.version + 1),
            execution_options={"synchronize_session": False},
        )


def _restore(what: str, journey_id: str, slug: str, store: Store) -> None:
    with store.session() as session:
        journey_pk = rows.lock_journey(session, journey_id)
        row = rows.deleted_child(session, _ROWS[what], journey_pk, slug, what)
        restore_axis_row(session, row, what, journey_id)


def restore_axis_row(session: Session, row: Any, what: str, journey_id: str) -> None:
    """Restore a deleted moment/channel row (journey already locked), and its touchpoints
    deleted at the same instant whose other axis is live. Raises RestoreConflictError."""
    table = type(row)
    if rows.live_child(session, table, row.journey_id, row.slug) is not None:
        raise RestoreConflictError(
            f"cannot restore {what} '{row.slug}': journey '{journey_id}' has a live {what} "
            "with that id; rename it first"
        )
    deleted_at, row.deleted_at = row.deleted_at, None
    row.version += 1
    session.flush()
    own, other, other_table = (
        (TouchpointRow.moment_id, TouchpointRow.channel_id, ChannelRow)
        if what == "moment"
        else (TouchpointRow.channel_id, TouchpointRow.moment_id, MomentRow)
    )
    live_other = select(other_table.id).where(other_table.deleted_at.is_(None))
    rows.restore_touchpoints(
        session,
        [own == row.id, TouchpointRow.deleted_at == deleted_at, other.in_(live_other)],
        journey_id,
    )
