"""Participants' notes sent from their phones during a workshop, and each journey's join code.

Revision ID: 0002_participant_notes
Revises: 0001
Create Date: 2025-01-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_participant_notes"
down_revision = "0001"
branch_labels = None
depends_on = None

ENUM = sa.String(32)


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
    note = "participant_note"
    op.create_table(
        note,
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        _fk(note, "journey", "journey_id", nullable=False, ondelete="CASCADE"),
        _fk(note, "moment", "moment_id", nullable=False, ondelete="CASCADE"),
        _fk(note, "channel", "channel_id", nullable=False, ondelete="CASCADE"),
        _fk(note, "touchpoint", "touchpoint_id", nullable=True, ondelete="SET NULL"),
        sa.Column("type", ENUM, nullable=False),
        sa.Column("intensity", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("author", sa.Text(), nullable=True),
        _when("created_at", False),
        sa.Column("status", ENUM, nullable=False, server_default="new"),
        _fk(note, "touchpoint", "merged_touchpoint_id", nullable=True, ondelete="SET NULL"),
        _fk(note, "finding", "merged_finding_id", nullable=True, ondelete="SET NULL"),
        sa.Column("version", sa.Integer(), nullable=False),
        _when("deleted_at"),
        sa.PrimaryKeyConstraint("id", name=f"pk_{note}"),
    )
    op.create_index(f"ix_{note}_journey_id", note, ["journey_id"])
    op.create_index(f"ix_{note}_journey_id_created_at", note, ["journey_id", "created_at"])

    session = "workshop_session"
    op.create_table(
        session,
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        _fk(session, "journey", "journey_id", nullable=False, ondelete="CASCADE"),
        sa.Column("join_code", sa.String(16), nullable=False),
        _when("created_at", False),
        _when("rotated_at", False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=f"pk_{session}"),
        sa.UniqueConstraint("journey_id", name=f"uq_{session}_journey_id"),
        sa.UniqueConstraint("join_code", name=f"uq_{session}_join_code"),
    )


def downgrade() -> None:
    op.drop_table("workshop_session")
    op.drop_table("participant_note")
