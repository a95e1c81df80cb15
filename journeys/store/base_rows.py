"""Subscriber bases in the workspace: their mapping and aggregates (JSON), never a row of the
extract; and which base a journey reads, with its tenure windows mapped to moments."""

# SQLModel types a column as its Python value, so mypy cannot see SQL expressions here.
# mypy: disable-error-code="arg-type,union-attr,attr-defined,call-overload"

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import String, Text, delete, select
from sqlmodel import Field

from journeys.store.db import Store
from journeys.store.tables import _Row, _when, utcnow

NAME = String(100)


class SubscriberBaseRow(_Row, table=True):
    """A base by name: where it was read from (a file name or a URL without its password), the
    mapping, and the aggregates (counts by tenure month, segment, cohort, event type)."""

    __tablename__ = "subscriber_base"

    name: str = Field(sa_type=NAME, primary_key=True)
    source: str = Field(sa_type=Text)
    mapping: str = Field(sa_type=Text)  # JSON
    aggregates: str = Field(sa_type=Text)  # JSON
    created_at: datetime = Field(sa_column=_when(False))
    updated_at: datetime = Field(sa_column=_when(False))
    version: int = 1


class JourneyBaseRow(_Row, table=True):
    """The base a journey's board reads, and its tenure windows mapped to the journey's moments
    (JSON: window key -> moment id)."""

    __tablename__ = "journey_base"

    journey_slug: str = Field(sa_type=String(200), primary_key=True)
    base_name: str = Field(sa_type=NAME)
    moments: str = Field(sa_type=Text)  # JSON
    updated_at: datetime = Field(sa_column=_when(False))


@dataclass(frozen=True)
class StoredBase:
    name: str
    source: str
    mapping: str
    aggregates: str
    updated_at: datetime
    version: int


def _stored(row: SubscriberBaseRow) -> StoredBase:
    return StoredBase(
        row.name, row.source, row.mapping, row.aggregates, row.updated_at, row.version
    )


def save_base(name: str, source: str, mapping: str, aggregates: str, *, store: Store) -> int:
    """Keep a base's mapping and aggregates under `name` (replacing them); return its version."""
    with store.session() as session:
        row = session.get(SubscriberBaseRow, name, with_for_update=True)
        now = utcnow()
        if row is None:
            row = SubscriberBaseRow(
                name=name,
                source=source,
                mapping=mapping,
                aggregates=aggregates,
                created_at=now,
                updated_at=now,
            )
            session.add(row)
        else:
            row.version += 1
            row.source, row.mapping, row.aggregates, row.updated_at = (
                source,
                mapping,
                aggregates,
                now,
            )
        session.flush()
        return row.version


def get_base(name: str, *, store: Store) -> StoredBase | None:
    with store.read_session() as session:
        row = session.get(SubscriberBaseRow, name)
        return None if row is None else _stored(row)


def list_bases(*, store: Store) -> list[StoredBase]:
    with store.read_session() as session:
        rows = session.scalars(select(SubscriberBaseRow).order_by(SubscriberBaseRow.name))
        return [_stored(row) for row in rows]


def delete_base(name: str, *, store: Store) -> bool:
    with store.session() as session:
        done = session.execute(delete(SubscriberBaseRow).where(SubscriberBaseRow.name == name))
        session.execute(delete(JourneyBaseRow).where(JourneyBaseRow.base_name == name))
        return bool(done.rowcount)


def journeys_reading(base_name: str, *, store: Store) -> list[str]:
    """The slugs of the journeys whose board reads the base, sorted."""
    query = (
        select(JourneyBaseRow.journey_slug)
        .where(JourneyBaseRow.base_name == base_name)
        .order_by(JourneyBaseRow.journey_slug)
    )
    with store.read_session() as session:
        return list(session.scalars(query))


def journey_base(journey_slug: str, *, store: Store) -> tuple[str, str] | None:
    """(base name, moments JSON) the journey reads, or None."""
    with store.read_session() as session:
        row = session.get(JourneyBaseRow, journey_slug)
        return None if row is None else (row.base_name, row.moments)


@dataclass(frozen=True)
class BaseLinkState:
    """What a journey's board reads of its base, without the aggregates: their version."""

    base_name: str
    moments: str  # JSON
    version: int
    updated_at: datetime


def journey_base_state(journey_slug: str, *, store: Store) -> BaseLinkState | None:
    """The base a journey reads, its moments JSON and the base's version, in one query (no
    aggregates read), or None when it reads none (or its base is gone)."""
    query = (
        select(
            JourneyBaseRow.base_name,
            JourneyBaseRow.moments,
            SubscriberBaseRow.version,
            SubscriberBaseRow.updated_at,
        )
        .join(SubscriberBaseRow, SubscriberBaseRow.name == JourneyBaseRow.base_name)
        .where(JourneyBaseRow.journey_slug == journey_slug)
    )
    with store.read_session() as session:
        row = session.execute(query).first()
        return None if row is None else BaseLinkState(*row)


def link_journey(journey_slug: str, base_name: str, moments: str, *, store: Store) -> None:
    with store.session() as session:
        row = session.get(JourneyBaseRow, journey_slug, with_for_update=True)
        if row is None:
            session.add(
                JourneyBaseRow(
                    journey_slug=journey_slug,
                    base_name=base_name,
                    moments=moments,
                    updated_at=utcnow(),
                )
            )
        else:
            row.base_name, row.moments, row.updated_at = base_name, moments, utcnow()


def unlink_journey(journey_slug: str, *, store: Store) -> None:
    with store.session() as session:
        session.execute(delete(JourneyBaseRow).where(JourneyBaseRow.journey_slug == journey_slug))
