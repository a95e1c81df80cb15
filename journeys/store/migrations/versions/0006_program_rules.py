"""Programs say what the law's checks need: the subscription's term, tacit renewal and agreed
SEPA pre-notification delay; a step's purpose and a trigger's entry criteria.

Revision ID: 0006_program_rules
Revises: 0005_subscriber_bases
Create Date: 2026-12-10
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0006_program_rules"
down_revision = "0005_subscriber_bases"
branch_labels = None
depends_on = None

_PROGRAM: tuple[sa.Column[Any], ...] = (
    sa.Column("subscription_term_months", sa.Integer(), nullable=True),
    sa.Column("subscription_tacit_renewal", sa.Boolean(), nullable=True),
    sa.Column("subscription_prenotification_days", sa.Integer(), nullable=True),
)
_STEP: tuple[sa.Column[Any], ...] = (
    sa.Column("purpose", sa.String(32), nullable=True),
    sa.Column("entry", sa.Text(), nullable=True),
)


def upgrade() -> None:
    # Nullable columns with no default: a plain ALTER TABLE ADD COLUMN on SQLite and PostgreSQL.
    for column in _PROGRAM:
        op.add_column("program", column)
    for column in _STEP:
        op.add_column("step", column)


def downgrade() -> None:
    with op.batch_alter_table("step") as step:
        for column in _STEP:
            step.drop_column(column.name)
    with op.batch_alter_table("program") as program:
        for column in _PROGRAM:
            program.drop_column(column.name)
