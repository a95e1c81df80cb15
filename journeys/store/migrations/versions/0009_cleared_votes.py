"""The dots cleared for a new round of dot-voting, kept so that the round can come back.

Revision ID: 0009_cleared_votes
Revises: 0008_moment_kpi
Create Date: 2027-01-20
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_cleared_votes"
down_revision = "0008_moment_kpi"
branch_labels = None
depends_on = None

TABLE = "cleared_dot_vote"


def _fk(table: str, column: str) -> sa.Column:
    return sa.Column(
        column,
        sa.Integer(),
        sa.ForeignKey(f"{table}.id", name=f"fk_{TABLE}_{column}_{table}", ondelete="CASCADE"),
        nullable=False,
    )


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        _fk("journey", "journey_id"),
        _fk("finding", "finding_id"),
        sa.Column("voter", sa.String(120), nullable=False),
        sa.Column("dots", sa.Integer(), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("cleared_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=f"pk_{TABLE}"),
    )
    op.create_index(f"ix_{TABLE}_finding_id", TABLE, ["finding_id"])
    op.create_index(f"ix_{TABLE}_journey_id_round", TABLE, ["journey_id", "round"])


def downgrade() -> None:
    op.drop_table(TABLE)
