"""The whole schema: journeys with moments, channels, touchpoints, findings, flows; programs.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

SLUG = sa.String(80)
ENUM = sa.String(32)
LIVE = sa.text("deleted_at IS NULL")


def _id() -> sa.Column:
    return sa.Column("id", sa.Integer(), autoincrement=True, nullable=False)


def _table(name: str, *columns: sa.Column | sa.Constraint, pk: tuple[str, ...] = ("id",)) -> None:
    """Create a table, naming its constraints as tables.NAMING would (fk_<table>_<col>_<ref>)."""
    for column in columns:
        for fk in getattr(column, "foreign_keys", ()):
            fk.name = f"fk_{name}_{column.name}_{fk.target_fullname.split('.')[0]}"
    op.create_table(name, *columns, sa.PrimaryKeyConstraint(*pk, name=f"pk_{name}"))


def _parent(name: str, table: str) -> sa.Column:
    return sa.Column(
        name, sa.Integer(), sa.ForeignKey(f"{table}.id", ondelete="CASCADE"), nullable=False
    )


def _when(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _text(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, sa.Text(), nullable=nullable)


def _int(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.Integer(), nullable=nullable)


def _indexes(table: str, *parents: str) -> None:
    for parent in parents:
        op.create_index(f"ix_{table}_{parent}", table, [parent])


def _live_slug(table: str, parent: str) -> None:
    op.create_index(
        f"uq_{table}_live_slug",
        table,
        [parent, "slug"],
        unique=True,
        sqlite_where=LIVE,
        postgresql_where=LIVE,
    )


def _document(name: str, *columns: sa.Column) -> None:
    _table(
        name,
        _id(),
        sa.Column("slug", SLUG, nullable=False),
        _text("title", False),
        *columns,
        _int("version"),
        sa.Column("revision", sa.Integer(), nullable=False, server_default="0"),
        _when("created_at", False),
        _when("updated_at", False),
        _when("deleted_at"),
        sa.UniqueConstraint("slug", name=f"uq_{name}_slug"),
    )


def _journeys() -> None:
    _document(
        "journey",
        sa.Column("journey_type", ENUM, nullable=False),
        sa.Column("state", ENUM, nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("derived_from", SLUG),
        _text("persona"),
        _text("description"),
    )
    _table(
        "journey_objective",
        _parent("journey_id", "journey"),
        _int("position"),
        sa.Column("objective", ENUM, nullable=False),
        pk=("journey_id", "position"),
    )
    axis = (sa.Column("slug", SLUG, nullable=False), _text("label", False))
    end = (_int("position"), _int("version"), _when("deleted_at"))
    _table(
        "moment",
        _id(),
        _parent("journey_id", "journey"),
        *axis,
        sa.Column("key", sa.Boolean(), nullable=False),
        _text("description"),
        *end,
    )
    _table(
        "channel",
        _id(),
        _parent("journey_id", "journey"),
        sa.Column("slug", SLUG, nullable=False),
        _text("label", False),
        _text("description"),
        _int("position"),
        _int("version"),
        _when("deleted_at"),
    )
    _table(
        "touchpoint",
        _id(),
        _parent("journey_id", "journey"),
        _parent("moment_id", "moment"),
        _parent("channel_id", "channel"),
        sa.Column("slug", SLUG, nullable=False),
        _text("label", False),
        sa.Column("status", ENUM, nullable=False),
        _text("owner"),
        _text("description"),
        _int("position"),
        _int("version"),
        _when("deleted_at"),
    )
    _table(
        "finding",
        _id(),
        _parent("touchpoint_id", "touchpoint"),
        sa.Column("type", ENUM, nullable=False),
        _int("intensity"),
        _text("text", False),
        sa.Column("source", ENUM, nullable=False),
        _text("improvement"),
        sa.Column("status", ENUM, nullable=False, server_default="open"),
        sa.Column("visit", SLUG),
        _int("position"),
        _int("version"),
        _when("created_at", False),
        _when("deleted_at"),
    )
    _table(
        "flow",
        _id(),
        _parent("journey_id", "journey"),
        _parent("from_touchpoint_id", "touchpoint"),
        _parent("to_touchpoint_id", "touchpoint"),
        sa.Column("is_break", sa.Boolean(), nullable=False),
        _text("label"),
        _int("position"),
        _int("version"),
    )
    _table(
        "snapshot",
        _id(),
        _parent("journey_id", "journey"),
        _text("name", False),
        _when("created_at", False),
        _text("content", False),
    )
    for table in ("moment", "channel", "touchpoint"):
        _live_slug(table, "journey_id")
    _indexes("moment", "journey_id")
    _indexes("channel", "journey_id")
    _indexes("touchpoint", "journey_id", "moment_id", "channel_id")
    _indexes("finding", "touchpoint_id")
    _indexes("flow", "journey_id", "from_touchpoint_id", "to_touchpoint_id")
    _indexes("snapshot", "journey_id")


def _programs() -> None:
    _document(
        "program",
        sa.Column("journey", SLUG),
        sa.Column("objective", ENUM, nullable=False),
        _text("goal"),
        sa.Column("language", sa.String(8), nullable=False),
        _text("description"),
    )
    _table(
        "phase",
        _id(),
        _parent("program_id", "program"),
        sa.Column("slug", SLUG, nullable=False),
        _text("label", False),
        sa.Column("moment", SLUG),
        _text("description"),
        _int("position"),
        _int("version"),
    )
    _table(
        "step",
        _id(),
        _parent("program_id", "program"),
        _parent("phase_id", "phase"),
        sa.Column("slug", SLUG, nullable=False),
        sa.Column("kind", ENUM, nullable=False),
        _text("label", False),
        sa.Column("channel", SLUG),
        sa.Column("timing_anchor", ENUM),
        _int("timing_offset_days", True),
        sa.Column("timing_event", SLUG),
        _text("kpi"),
        _text("description"),
        _int("position"),
        _int("version"),
    )
    _table(
        "link",
        _id(),
        _parent("program_id", "program"),
        _parent("from_step_id", "step"),
        _parent("to_step_id", "step"),
        _text("label", False),
        _int("position"),
        _int("version"),
    )
    op.create_index("uq_phase_slug", "phase", ["program_id", "slug"], unique=True)
    op.create_index("uq_step_slug", "step", ["program_id", "slug"], unique=True)
    _indexes("phase", "program_id")
    _indexes("step", "program_id", "phase_id")
    _indexes("link", "program_id", "from_step_id", "to_step_id")


def upgrade() -> None:
    _journeys()
    _programs()


def downgrade() -> None:
    for table in (
        "link",
        "step",
        "phase",
        "program",
        "snapshot",
        "flow",
        "finding",
        "touchpoint",
        "channel",
        "moment",
        "journey_objective",
        "journey",
    ):
        op.drop_table(table)
