"""A moment's free KPI, typed in the workshop in the board's KPI lane.

Revision ID: 0008_moment_kpi
Revises: 0007_workshop_live
Create Date: 2027-01-20
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_moment_kpi"
down_revision = "0007_workshop_live"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A nullable column with no default: a plain ALTER TABLE ADD COLUMN on SQLite and PostgreSQL.
    op.add_column("moment", sa.Column("kpi", sa.Text(), nullable=True))


def downgrade() -> None:
    # Not a batch (a copy of the table): SQLite (3.35+) drops a plain column in place, so the
    # touchpoints, notes and workshop states that point at moments are left alone.
    op.drop_column("moment", "kpi")
