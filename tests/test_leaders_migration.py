"""Schema 0003 (leader analytics tables): a schema-0002 demo workspace upgrades and keeps its data.

``tests/data/workspace-0002.db`` is the demo workspace written at schema 0002:
``build_demo(ws, today=dt.date(2026, 11, 23))`` on a new file opened with ``TEST_KEY`` from conftest.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import func, inspect, select

from esncoach.models import Exec, MetricSample
from esncoach.store import schema
from esncoach.store.workspace import Workspace

FIXTURE_0002 = Path(__file__).parent / "data" / "workspace-0002.db"
NEW_TABLES = {"network_distribution", "community_figure", "leader_ask", "listening_term", "listening_thread"}


def test_a_schema_0002_workspace_upgrades_with_its_data(tmp_path: Path, key) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "old.db"
    shutil.copy(FIXTURE_0002, target)
    with Workspace.open(target, key) as ws:
        with ws.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar_one() == schema.HEAD_REVISION
            assert NEW_TABLES <= set(inspect(conn).get_table_names())
            triggers = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
            assert triggers, "the search triggers of 0002 survive"
        with ws.session() as s:
            assert s.scalar(select(func.count()).select_from(Exec)) > 0
            assert s.scalar(select(func.count()).select_from(MetricSample)) > 0
