"""leader analytics: network distributions, community figures, asks, listening terms and threads

Revision ID: 0003_leader_analytics
Revises: 0002_fulltext_search
Create Date: 2026-11-30 02:30:00

New tables only (no existing table is rebuilt, so the search triggers of 0002 stay as they are).
Each row belongs to the import batch that produced it (ON DELETE CASCADE). None of them names a person
who is not a tracked exec: see ``esncoach/models/network.py``.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_leader_analytics"
down_revision = "0002_fulltext_search"
branch_labels = None
depends_on = None


def _batch_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["batch_id"], ["import_batch.id"], name=op.f(f"fk_{table}_batch_id_import_batch"),
                                   ondelete="CASCADE")


def _index(table: str, *columns: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        for column in columns:
            batch_op.create_index(batch_op.f(f"ix_{table}_{column}"), [column], unique=False)


def upgrade() -> None:
    op.create_table(
        "network_distribution",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=60), nullable=False),
        sa.Column("metric", sa.String(length=40), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.Column("sketch_json", sa.Text(), nullable=False),
        _batch_fk("network_distribution"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_network_distribution")),
    )
    _index("network_distribution", "batch_id", "metric")
    op.create_table(
        "community_figure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("community", sa.String(length=300), nullable=False),
        sa.Column("metric", sa.String(length=40), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        _batch_fk("community_figure"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_community_figure")),
    )
    _index("community_figure", "batch_id", "community")
    op.create_table(
        "leader_ask",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("exec_id", sa.Integer(), nullable=False),
        sa.Column("thread", sa.String(length=500), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("asked_at", sa.DateTime(), nullable=False),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        _batch_fk("leader_ask"),
        sa.ForeignKeyConstraint(["exec_id"], ["exec.id"], name=op.f("fk_leader_ask_exec_id_exec"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_leader_ask")),
    )
    _index("leader_ask", "batch_id", "exec_id")
    op.create_table(
        "listening_term",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("term", sa.String(length=80), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        _batch_fk("listening_term"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_listening_term")),
    )
    _index("listening_term", "batch_id", "day")
    op.create_table(
        "listening_thread",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("thread", sa.String(length=500), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("last_activity", sa.Date(), nullable=False),
        sa.Column("days_json", sa.Text(), nullable=False),
        sa.Column("joined_json", sa.Text(), nullable=False),
        _batch_fk("listening_thread"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_listening_thread")),
    )
    _index("listening_thread", "batch_id")


def downgrade() -> None:
    for table in ("listening_thread", "listening_term", "leader_ask", "community_figure", "network_distribution"):
        op.drop_table(table)
