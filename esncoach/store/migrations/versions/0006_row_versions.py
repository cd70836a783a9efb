"""row versions: the rows people edit carry a version, so a save over a newer one is refused

Revision ID: 0006_row_versions
Revises: 0005_metric_series_index
Create Date: 2026-11-30 02:30:00

On a team server two colleagues may edit the same session, action item or post at once. Each of these
tables gains ``version`` (1 for existing rows); SQLAlchemy's ``version_id_col`` (``models.base.Versioned``)
raises it on every save and makes an UPDATE of a row someone saved meanwhile touch nothing, and the
services refuse a save that started from an older version (``services.team_conflicts``). Plain
``ALTER TABLE … ADD COLUMN`` on both backends: no SQLite table is rebuilt, the search triggers stay.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_row_versions"
down_revision = "0005_metric_series_index"
branch_labels = None
depends_on = None

VERSIONED = ("exec", "coaching_session", "action_item", "habit", "practice_post", "revision", "feedback")


def upgrade() -> None:
    for table in VERSIONED:
        op.add_column(table, sa.Column("version", sa.Integer(), nullable=False, server_default=sa.text("1")))


def downgrade() -> None:
    for table in VERSIONED:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("version")
