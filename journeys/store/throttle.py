"""Counted attempts in the store (wrong passwords and join codes, notes sent): shared by every
app process on the workspace, so that starting more processes does not multiply the tries."""

# SQLModel types a column as its Python value, so mypy cannot see SQL expressions here.
# mypy: disable-error-code="arg-type,union-attr,attr-defined,call-overload"

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Index, String, delete, func, select
from sqlmodel import Field

from journeys.store.db import Store
from journeys.store.tables import _Row, _when

KEY_MAX = 200


class ThrottleEventRow(_Row, table=True):
    """One counted attempt: `scope` says of what (a policy's name), `key` by whom or on what
    (a client's address, a journey id). Rows older than their policy's window are pruned."""

    __tablename__ = "throttle_event"
    __table_args__ = (Index("ix_throttle_event_scope_key_at", "scope", "key", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    scope: str = Field(sa_type=String(32))
    key: str = Field(sa_type=String(KEY_MAX))
    at: datetime = Field(sa_column=_when(False))


def recent(
    scope: str, key: str, *, store: Store, since: datetime
) -> tuple[int, datetime | None, datetime | None]:
    """How many attempts of `scope` by `key` since `since`, and the first and last one's time."""
    row = ThrottleEventRow
    with store.read_session() as session:
        count, first, last = session.execute(
            select(func.count(), func.min(row.at), func.max(row.at)).where(
                row.scope == scope, row.key == key[:KEY_MAX], row.at >= since
            )
        ).one()
    return int(count), first, last


def record(scope: str, key: str, *, store: Store, at: datetime, keep: timedelta) -> None:
    """Count one attempt of `scope` by `key` at `at`; forget the scope's attempts older than
    `keep` in the same transaction (the table stays as small as the windows)."""
    row = ThrottleEventRow
    with store.session() as session:
        session.execute(delete(row).where(row.scope == scope, row.at < at - keep))
        session.add(ThrottleEventRow(scope=scope, key=key[:KEY_MAX], at=at))


def forget(scope: str, key: str, *, store: Store) -> None:
    """Forget every attempt of `scope` by `key` (after a success)."""
    row = ThrottleEventRow
    with store.session() as session:
        session.execute(delete(row).where(row.scope == scope, row.key == key[:KEY_MAX]))
