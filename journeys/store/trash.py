"""The trash: what was deleted and can come back, and bringing one item back."""

# SQLModel types a column as its Python value, so mypy cannot see SQL expressions here.
# mypy: disable-error-code="arg-type,union-attr,attr-defined,call-overload"

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from journeys.errors import NotFoundError
from journeys.store import rows
from journeys.store.cells import restore_touchpoint_row
from journeys.store.db import Store
from journeys.store.edits import restore_axis_row
from journeys.store.findings import restore_finding
from journeys.store.tables import (
    ChannelRow,
    FindingRow,
    JourneyRow,
    MomentRow,
    ProgramRow,
    TouchpointRow,
    utcnow,
)
from journeys.store.views import TrashItem

_LIVE_JOURNEY = JourneyRow.deleted_at.is_(None)


def trash_items(session: Session) -> list[TrashItem]:
    """Everything restorable, most recent first, leaving out what comes back with its parent."""
    items = _documents(session) + _axes(session) + _touchpoints(session) + _findings(session)
    return sorted(items, key=lambda item: (item.deleted_at, item.row_id), reverse=True)


def _documents(session: Session) -> list[TrashItem]:
    items = []
    for table, kind in ((JourneyRow, "journey"), (ProgramRow, "program")):
        for row in session.scalars(select(table).where(table.deleted_at.is_not(None))):
            journey = row.slug if kind == "journey" else None
            items.append(TrashItem(kind, row.id, journey, row.slug, row.title, row.deleted_at))
    return items


def _axes(session: Session) -> list[TrashItem]:
    items = []
    for table, kind in ((MomentRow, "moment"), (ChannelRow, "channel")):
        statement = (
            select(table, JourneyRow.slug)
            .join(JourneyRow, table.journey_id == JourneyRow.id)
            .where(_LIVE_JOURNEY, table.deleted_at.is_not(None))
        )
        for row, journey in session.execute(statement):
            items.append(TrashItem(kind, row.id, journey, row.slug, row.label, row.deleted_at))
    return items


def _touchpoints(session: Session) -> list[TrashItem]:
    moment, channel = aliased(MomentRow), aliased(ChannelRow)
    statement = (
        select(TouchpointRow, JourneyRow.slug)
        .join(JourneyRow, TouchpointRow.journey_id == JourneyRow.id)
        .join(moment, TouchpointRow.moment_id == moment.id)
        .join(channel, TouchpointRow.channel_id == channel.id)
        .where(_LIVE_JOURNEY, TouchpointRow.deleted_at.is_not(None))
        .where(moment.deleted_at.is_(None), channel.deleted_at.is_(None))
    )
    return [
        TrashItem("touchpoint", row.id, journey, row.slug, row.label, row.deleted_at)
        for row, journey in session.execute(statement)
    ]


def _findings(session: Session) -> list[TrashItem]:
    statement = (
        select(FindingRow, JourneyRow.slug)
        .join(TouchpointRow, FindingRow.touchpoint_id == TouchpointRow.id)
        .join(JourneyRow, TouchpointRow.journey_id == JourneyRow.id)
        .where(_LIVE_JOURNEY, TouchpointRow.deleted_at.is_(None))
        .where(FindingRow.deleted_at.is_not(None))
    )
    return [
        TrashItem("finding", row.id, journey, str(row.id), row.text, row.deleted_at)
        for row, journey in session.execute(statement)
    ]


def restore_item(item: TrashItem, *, store: Store) -> None:
    """Bring one trash item back (by its row id). Raises NotFoundError, RestoreConflictError."""
    if item.kind == "finding":
        restore_finding(item.row_id, store=store)
        return
    tables: dict[str, Any] = {
        "journey": JourneyRow,
        "program": ProgramRow,
        "moment": MomentRow,
        "channel": ChannelRow,
        "touchpoint": TouchpointRow,
    }
    with store.session() as session:
        row = session.get(tables[item.kind], item.row_id)
        if row is None or row.deleted_at is None:
            raise NotFoundError(item.kind, item.item_id, where="the trash")
        if item.kind in ("journey", "program"):
            row.deleted_at, row.updated_at = None, utcnow()
            return
        rows.touch_journey(session, row.journey_id)
        if item.kind == "touchpoint":
            restore_touchpoint_row(session, row, item.journey_id or "")
        else:
            restore_axis_row(session, row, item.kind, item.journey_id or "")
