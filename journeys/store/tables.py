"""The live store's tables (SQLModel), normalised: one row per journey, moment, finding…"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    text,
)
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

SLUG = String(80)
ENUM = String(32)

# Named constraints, so that later migrations can alter them by name on every database.
NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
}
metadata = MetaData(naming_convention=NAMING)


class UtcDateTime(TypeDecorator[datetime]):
    """A timestamp that always comes back timezone-aware in UTC (SQLite keeps none)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC) if value is not None else None


def utcnow() -> datetime:
    return datetime.now(UTC)


def _parent(target: str) -> Column[int]:
    return Column(Integer, ForeignKey(target, ondelete="CASCADE"), nullable=False, index=True)


def _when(nullable: bool = True) -> Column[datetime]:
    return Column(UtcDateTime(), nullable=nullable)


def _live_slug_unique(table: str, parent: str) -> Index:
    """Slugs are unique among live rows only: a deleted moment does not block a new one."""
    where = text("deleted_at IS NULL")
    return Index(
        f"uq_{table}_live_slug",
        parent,
        "slug",
        unique=True,
        sqlite_where=where,
        postgresql_where=where,
    )


class _Row(SQLModel, registry=registry(metadata=metadata)):
    pass


# --- journeys ------------------------------------------------------------------------------


class JourneyRow(_Row, table=True):
    __tablename__ = "journey"

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(sa_type=SLUG, unique=True)
    title: str = Field(sa_type=Text)
    journey_type: str = Field(sa_type=ENUM)
    state: str = Field(sa_type=ENUM)
    language: str = Field(sa_type=String(8))
    derived_from: str | None = Field(default=None, sa_type=SLUG)
    persona: str | None = Field(default=None, sa_type=Text)
    description: str | None = Field(default=None, sa_type=Text)
    version: int = 1
    revision: int = 0  # bumped by every change of its content
    created_at: datetime = Field(sa_column=_when(False))
    updated_at: datetime = Field(sa_column=_when(False))
    deleted_at: datetime | None = Field(default=None, sa_column=_when())


class JourneyObjectiveRow(_Row, table=True):
    __tablename__ = "journey_objective"

    journey_id: int = Field(primary_key=True, foreign_key="journey.id", ondelete="CASCADE")
    position: int = Field(primary_key=True)
    objective: str = Field(sa_type=ENUM)


class MomentRow(_Row, table=True):
    __tablename__ = "moment"
    __table_args__ = (_live_slug_unique("moment", "journey_id"),)

    id: int | None = Field(default=None, primary_key=True)
    journey_id: int = Field(sa_column=_parent("journey.id"))
    slug: str = Field(sa_type=SLUG)
    label: str = Field(sa_type=Text)
    key: bool = Field(default=False, sa_type=Boolean)
    description: str | None = Field(default=None, sa_type=Text)
    kpi: str | None = Field(default=None, sa_type=Text)
    position: int
    version: int = 1
    deleted_at: datetime | None = Field(default=None, sa_column=_when())


class ChannelRow(_Row, table=True):
    __tablename__ = "channel"
    __table_args__ = (_live_slug_unique("channel", "journey_id"),)

    id: int | None = Field(default=None, primary_key=True)
    journey_id: int = Field(sa_column=_parent("journey.id"))
    slug: str = Field(sa_type=SLUG)
    label: str = Field(sa_type=Text)
    description: str | None = Field(default=None, sa_type=Text)
    position: int
    version: int = 1
    deleted_at: datetime | None = Field(default=None, sa_column=_when())


class TouchpointRow(_Row, table=True):
    __tablename__ = "touchpoint"
    __table_args__ = (_live_slug_unique("touchpoint", "journey_id"),)

    id: int | None = Field(default=None, primary_key=True)
    journey_id: int = Field(sa_column=_parent("journey.id"))
    moment_id: int = Field(sa_column=_parent("moment.id"))
    channel_id: int = Field(sa_column=_parent("channel.id"))
    slug: str = Field(sa_type=SLUG)
    label: str = Field(sa_type=Text)
    status: str = Field(sa_type=ENUM)
    owner: str | None = Field(default=None, sa_type=Text)
    description: str | None = Field(default=None, sa_type=Text)
    position: int
    version: int = 1
    deleted_at: datetime | None = Field(default=None, sa_column=_when())


class FindingRow(_Row, table=True):
    """A finding has its own key: two people adding findings to one touchpoint never clash."""

    __tablename__ = "finding"

    id: int | None = Field(default=None, primary_key=True)
    touchpoint_id: int = Field(sa_column=_parent("touchpoint.id"))
    type: str = Field(sa_type=ENUM)
    intensity: int
    text: str = Field(sa_type=Text)
    source: str = Field(sa_type=ENUM)
    improvement: str | None = Field(default=None, sa_type=Text)
    status: str = Field(default="open", sa_type=ENUM)
    visit: str | None = Field(default=None, sa_type=SLUG)
    position: int
    version: int = 1
    created_at: datetime = Field(sa_column=_when(False))
    deleted_at: datetime | None = Field(default=None, sa_column=_when())


class FlowRow(_Row, table=True):
    """A flow between touchpoints; hidden while one of its ends is in the trash."""

    __tablename__ = "flow"

    id: int | None = Field(default=None, primary_key=True)
    journey_id: int = Field(sa_column=_parent("journey.id"))
    from_touchpoint_id: int = Field(sa_column=_parent("touchpoint.id"))
    to_touchpoint_id: int = Field(sa_column=_parent("touchpoint.id"))
    is_break: bool = Field(default=False, sa_type=Boolean)
    label: str | None = Field(default=None, sa_type=Text)
    position: int
    version: int = 1


class SnapshotRow(_Row, table=True):
    """A named copy of a journey, kept as its canonical YAML."""

    __tablename__ = "snapshot"

    id: int | None = Field(default=None, primary_key=True)
    journey_id: int = Field(sa_column=_parent("journey.id"))
    name: str = Field(sa_type=Text)
    created_at: datetime = Field(sa_column=_when(False))
    content: str = Field(sa_type=Text)


# --- programs ------------------------------------------------------------------------------


class ProgramRow(_Row, table=True):
    __tablename__ = "program"

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(sa_type=SLUG, unique=True)
    title: str = Field(sa_type=Text)
    journey: str | None = Field(default=None, sa_type=SLUG)
    objective: str = Field(sa_type=ENUM)
    goal: str | None = Field(default=None, sa_type=Text)
    language: str = Field(sa_type=String(8))
    description: str | None = Field(default=None, sa_type=Text)
    # the program's `subscription`; tacit_renewal is NULL when the program has none
    subscription_term_months: int | None = None
    subscription_tacit_renewal: bool | None = Field(default=None, sa_type=Boolean)
    subscription_prenotification_days: int | None = None
    version: int = 1
    revision: int = 0  # bumped by every change of its content
    created_at: datetime = Field(sa_column=_when(False))
    updated_at: datetime = Field(sa_column=_when(False))
    deleted_at: datetime | None = Field(default=None, sa_column=_when())


class PhaseRow(_Row, table=True):
    __tablename__ = "phase"
    __table_args__ = (Index("uq_phase_slug", "program_id", "slug", unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    program_id: int = Field(sa_column=_parent("program.id"))
    slug: str = Field(sa_type=SLUG)
    label: str = Field(sa_type=Text)
    moment: str | None = Field(default=None, sa_type=SLUG)
    description: str | None = Field(default=None, sa_type=Text)
    position: int
    version: int = 1


class StepRow(_Row, table=True):
    """A step of the detailed view; its timing is spread over three columns (none: no timing)."""

    __tablename__ = "step"
    __table_args__ = (Index("uq_step_slug", "program_id", "slug", unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    program_id: int = Field(sa_column=_parent("program.id"))
    phase_id: int = Field(sa_column=_parent("phase.id"))
    slug: str = Field(sa_type=SLUG)
    kind: str = Field(sa_type=ENUM)
    label: str = Field(sa_type=Text)
    channel: str | None = Field(default=None, sa_type=SLUG)
    timing_anchor: str | None = Field(default=None, sa_type=ENUM)
    timing_offset_days: int | None = None
    timing_event: str | None = Field(default=None, sa_type=SLUG)
    purpose: str | None = Field(default=None, sa_type=ENUM)
    entry: str | None = Field(default=None, sa_type=Text)  # a trigger's criteria, as JSON
    kpi: str | None = Field(default=None, sa_type=Text)
    description: str | None = Field(default=None, sa_type=Text)
    position: int
    version: int = 1


class LinkRow(_Row, table=True):
    __tablename__ = "link"

    id: int | None = Field(default=None, primary_key=True)
    program_id: int = Field(sa_column=_parent("program.id"))
    from_step_id: int = Field(sa_column=_parent("step.id"))
    to_step_id: int = Field(sa_column=_parent("step.id"))
    label: str = Field(default="", sa_type=Text)
    position: int
    version: int = 1
