"""metric series index: one figure series read by range without touching the others

Revision ID: 0005_metric_series_index
Revises: 0004_team_server
Create Date: 2026-11-30 02:15:00

Every chart and the dashboard read one series at a time: one exec's (or the network's) figures of one
metric over a date range. With only the single-column indexes, SQLite walked all of an exec's figures
(seven thousand rows for five years of four daily metrics) to keep a quarter of them, and on 200 execs
the network's series meant scanning every row for ``exec_id IS NULL``. The composite index answers
``exec_id = ? AND metric = ? AND period_start BETWEEN ? AND ?`` (and the ``IS NULL`` form) directly.
Plain CREATE INDEX: the same on SQLite and PostgreSQL, and no table is rebuilt (the search triggers of
0002 stay).
"""

from __future__ import annotations

from alembic import op

revision = "0005_metric_series_index"
down_revision = "0004_team_server"
branch_labels = None
depends_on = None

INDEX = "ix_metric_sample_series"


def upgrade() -> None:
    op.create_index(INDEX, "metric_sample", ["exec_id", "metric", "period_start"], unique=False)


def downgrade() -> None:
    op.drop_index(INDEX, table_name="metric_sample")
