"""Mystery-shopper visits, their observations and photos, phone drafts, agency mappings.

Revision ID: 0003_visits
Revises: 0002_participant_notes
Create Date: 2025-01-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_visits"
down_revision = "0002_participant_notes"
branch_labels = None
depends_on = None

SLUG = sa.String(80)
ENUM = sa.String(32)
TOKEN = sa.String(64)


def _id() -> sa.Column:
    return sa.Column("id", sa.Integer(), autoincrement=True, nullable=False)


def _parent(table: str, column: str, target: str) -> sa.Column:
    """A cascading link named as tables.NAMING would name it."""
    return sa.Column(
        column,
        sa.Integer(),
        sa.ForeignKey(f"{target}.id", name=f"fk_{table}_{column}_{target}", ondelete="CASCADE"),
        nullable=False,
    )


def _when(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _text(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, sa.Text(), nullable=nullable)


def _int(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.Integer(), nullable=nullable)


def _pk(table: str, *columns: str) -> sa.PrimaryKeyConstraint:
    return sa.PrimaryKeyConstraint(*(columns or ("id",)), name=f"pk_{table}")


def upgrade() -> None:
    op.create_table(
        "visit",
        _id(),
        _parent("visit", "journey_id", "journey"),
        sa.Column("slug", SLUG, nullable=False),
        _when("visited_at", False),
        _text("shopper", False),
        _text("persona"),
        _text("scenario"),
        sa.Column("origin", ENUM, nullable=False),
        _text("agency"),
        sa.Column("draft_token", TOKEN),
        _when("created_at", False),
        _int("version"),
        _when("deleted_at"),
        _pk("visit"),
    )
    op.create_index("ix_visit_journey_id", "visit", ["journey_id"])
    op.create_index("uq_visit_slug", "visit", ["journey_id", "slug"], unique=True)
    op.create_table(
        "observation",
        _id(),
        _parent("observation", "visit_id", "visit"),
        _int("position"),
        sa.Column("moment", SLUG, nullable=False),
        sa.Column("channel", SLUG, nullable=False),
        sa.Column("touchpoint", SLUG),
        sa.Column("type", ENUM, nullable=False),
        _int("intensity"),
        _text("text", False),
        _int("rating", True),
        sa.Column("wait_minutes", sa.Float()),
        _text("verbatim"),
        _pk("observation"),
    )
    op.create_index("ix_observation_visit_id", "observation", ["visit_id"])
    op.create_table(
        "photo",
        _id(),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("content_type", sa.String(100), nullable=False),
        _int("size"),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        _when("created_at", False),
        _pk("photo"),
        sa.UniqueConstraint("sha256", name="uq_photo_sha256"),
    )
    op.create_table(
        "observation_photo",
        _parent("observation_photo", "observation_id", "observation"),
        _int("position"),
        _parent("observation_photo", "photo_id", "photo"),
        _text("file_name", False),
        _pk("observation_photo", "observation_id", "position"),
    )
    op.create_index("ix_observation_photo_photo_id", "observation_photo", ["photo_id"])
    op.create_table(
        "visit_draft",
        _id(),
        sa.Column("token", TOKEN, nullable=False),
        _parent("visit_draft", "journey_id", "journey"),
        _text("content", False),
        _int("version"),
        _when("created_at", False),
        _when("updated_at", False),
        sa.Column("visit_slug", SLUG),
        _when("submitted_at"),
        _pk("visit_draft"),
        sa.UniqueConstraint("token", name="uq_visit_draft_token"),
    )
    op.create_index("ix_visit_draft_journey_id", "visit_draft", ["journey_id"])
    op.create_table(
        "agency_mapping",
        _id(),
        sa.Column("key", sa.String(120), nullable=False),
        _text("name", False),
        _text("columns", False),
        _text("value_map", False),
        _int("version"),
        _when("updated_at", False),
        _pk("agency_mapping"),
        sa.UniqueConstraint("key", name="uq_agency_mapping_key"),
    )


def downgrade() -> None:
    for table in (
        "agency_mapping",
        "visit_draft",
        "observation_photo",
        "photo",
        "observation",
        "visit",
    ):
        op.drop_table(table)
