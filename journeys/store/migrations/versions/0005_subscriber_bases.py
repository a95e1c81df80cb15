"""Subscriber bases: their mapping and aggregates (never a row), and the base each journey reads.

Revision ID: 0005_subscriber_bases
Revises: 0004_throttle_events
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_subscriber_bases"
down_revision = "0004_throttle_events"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "subscriber_base",
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("mapping", sa.Text(), nullable=False),
        sa.Column("aggregates", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_subscriber_base"),
    )
    op.create_table(
        "journey_base",
        sa.Column("journey_slug", sa.String(200), nullable=False),
        sa.Column("base_name", sa.String(100), nullable=False),
        sa.Column("moments", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("journey_slug", name="pk_journey_base"),
    )


def downgrade() -> None:
    op.drop_table("journey_base")
    op.drop_table("subscriber_base")
