"""The live workshop's shared state (the moment presented, follow-me, the timer, the vote's
settings) and the dots of its vote.

Revision ID: 0007_workshop_live
Revises: 0006_program_rules
Create Date: 2027-01-12
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_workshop_live"
down_revision = "0006_program_rules"
branch_labels = None
depends_on = None


def _fk(name: str, table: str, column: str, *, nullable: bool, ondelete: str) -> sa.Column:
    return sa.Column(
        column,
        sa.Integer(),
        sa.ForeignKey(f"{table}.id", name=f"fk_{name}_{column}_{table}", ondelete=ondelete),
        nullable=nullable,
    )


def _when(column: str, nullable: bool = True) -> sa.Column:
    return sa.Column(column, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    state = "workshop_state"
    op.create_table(
        state,
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        _fk(state, "journey", "journey_id", nullable=False, ondelete="CASCADE"),
        _fk(state, "moment", "presenting_moment_id", nullable=True, ondelete="SET NULL"),
        sa.Column("follow", sa.Boolean(), nullable=False),
        _when("timer_started_at"),
        sa.Column("timer_seconds", sa.Integer(), nullable=True),
        sa.Column("vote_open", sa.Boolean(), nullable=False),
        sa.Column("dots_per_voter", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        _when("updated_at", False),
        sa.PrimaryKeyConstraint("id", name=f"pk_{state}"),
        sa.UniqueConstraint("journey_id", name=f"uq_{state}_journey_id"),
    )

    vote = "dot_vote"
    op.create_table(
        vote,
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        _fk(vote, "journey", "journey_id", nullable=False, ondelete="CASCADE"),
        _fk(vote, "finding", "finding_id", nullable=False, ondelete="CASCADE"),
        sa.Column("voter", sa.String(120), nullable=False),
        sa.Column("dots", sa.Integer(), nullable=False),
        _when("updated_at", False),
        sa.PrimaryKeyConstraint("id", name=f"pk_{vote}"),
    )
    op.create_index(f"ix_{vote}_finding_id", vote, ["finding_id"])
    op.create_index(
        f"uq_{vote}_journey_id_voter_finding_id",
        vote,
        ["journey_id", "voter", "finding_id"],
        unique=True,
    )


def downgrade() -> None:
    op.drop_table("dot_vote")
    op.drop_table("workshop_state")
