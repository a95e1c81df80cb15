"""Counted attempts (wrong passwords and join codes, notes sent) for throttling, shared by every
app process on the workspace.

Revision ID: 0004_throttle_events
Revises: 0003_visits
Create Date: 2025-01-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_throttle_events"
down_revision = "0003_visits"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "throttle_event",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("scope", sa.String(32), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_throttle_event"),
    )
    op.create_index("ix_throttle_event_scope_key_at", "throttle_event", ["scope", "key", "at"])


def downgrade() -> None:
    op.drop_table("throttle_event")
