"""The schema revision this build writes, known without importing Alembic (it is slow to import).

``tests/test_migrations.py`` checks these against the Alembic scripts, so they cannot drift.
"""

from __future__ import annotations

HEAD_REVISION = "0009_policy_index"
"""Every migration revision this build knows, oldest first."""
KNOWN_REVISIONS: tuple[str, ...] = ("0001_initial", "0002_fulltext_search", "0003_leader_analytics", "0004_team_server",
                                   "0005_metric_series_index", "0006_row_versions",
                                   "0007_offline_leases", "0008_private_channels", "0009_policy_index")
