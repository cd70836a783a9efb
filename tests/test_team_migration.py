"""Schema 0004 (team server): a schema-0003 workspace upgrades on both backends and keeps its data.

``tests/data/workspace-0003.db`` is the demo workspace written at schema 0003:
``build_demo(ws, today=dt.date(2026, 11, 23))`` on a new file opened with ``TEST_KEY`` from conftest.
On SQLite 0004 changes nothing (0006 adds row versions on both); on PostgreSQL a database at 0003 gains search, roles and policies, and its
private notes move to their author's table.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import MetaData, func, select

from esncoach.models import Base, CoachingSession, Exec
from esncoach.services import execs, sessions
from esncoach.store import schema
from esncoach.store.database import make_engine as sqlite_engine
from esncoach.store.server import ServerAddress, make_engine, open_server
from esncoach.store.workspace import Workspace
from tests.conftest import TEST_KEY
from tests.pg_server import PgServer, database_at

FIXTURE_0003 = Path(__file__).parent / "data" / "workspace-0003.db"


def _counts(ws: Workspace) -> tuple[int, int]:
    with ws.session() as s:
        return s.scalar(select(func.count()).select_from(Exec)), s.scalar(select(func.count()).select_from(CoachingSession))


def test_a_schema_0003_file_upgrades_unchanged(tmp_path: Path, key) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "old.db"
    shutil.copy(FIXTURE_0003, target)
    with Workspace.open(target, key) as ws:
        with ws.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar_one() == schema.HEAD_REVISION
        assert _counts(ws)[0] == 12
        notes = [execs.get_exec(ws, r.id).private_notes for r in execs.list_execs(ws)]
        assert all(n.startswith("Prefers short sessions") for n in notes)
        with ws.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT DISTINCT version FROM coaching_session").all() == [(1,)]


def test_a_schema_0003_server_database_upgrades_with_its_data(pg_server: PgServer, tmp_path: Path) -> None:
    url = database_at(pg_server, "old", "0003_leader_analytics")
    name = ServerAddress.parse(url).dbname
    engine = make_engine(ServerAddress.parse(url), None)
    # The schema-0003 fixture's rows, copied as they are (this build's ORM is at head).
    fixture = tmp_path / "old.db"
    shutil.copy(FIXTURE_0003, fixture)
    source = sqlite_engine(fixture, TEST_KEY)
    with source.connect() as src, engine.begin() as dst:
        old_tables, new_tables = MetaData(), MetaData()
        old_tables.reflect(src)
        new_tables.reflect(dst)
        for table in Base.metadata.sorted_tables:
            if table.name not in old_tables.tables:
                continue
            rows = [dict(r._mapping) for r in src.execute(select(old_tables.tables[table.name]))]
            if rows:
                dst.execute(new_tables.tables[table.name].insert(), rows)
            if rows and "id" in table.c:
                dst.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                                    f"(SELECT max(id) FROM {table.name}))")
        sessions = src.exec_driver_sql("SELECT count(*) FROM coaching_session").scalar_one()
    source.dispose()
    engine.dispose()
    with pg_server.admin(name) as conn:
        assert conn.execute("SELECT count(*) FROM exec WHERE private_notes LIKE 'Prefers%'").fetchone()[0] == 12
    with open_server(url) as ws:
        assert _counts(ws) == (12, sessions)
        with ws.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar_one() == schema.HEAD_REVISION
            assert conn.exec_driver_sql("SELECT count(*) FROM search_index").scalar_one() > 100
            assert conn.exec_driver_sql("SELECT count(*) FROM team_private_note").scalar_one() == 12
            assert conn.exec_driver_sql("SELECT DISTINCT private_notes FROM exec").all() == [(" ",)]
            assert conn.exec_driver_sql("SELECT DISTINCT version FROM coaching_session").all() == [(1,)]
        notes = [execs.get_exec(ws, r.id).private_notes for r in execs.list_execs(ws)]
        assert all(n.startswith("Prefers short sessions") for n in notes)


FIXTURE_0005 = Path(__file__).parent / "data" / "workspace-0005.db"
"""The demo workspace at schema 0005 (``workspace-0004.db`` upgraded by Alembic to 0005, nothing else)."""


def test_a_schema_0005_file_gains_row_versions(tmp_path: Path, key) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "old.db"
    shutil.copy(FIXTURE_0005, target)
    with Workspace.open(target, key) as ws:
        assert _counts(ws)[0] == 12
        with ws.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar_one() == schema.HEAD_REVISION
            for table in ("exec", "coaching_session", "action_item", "habit", "practice_post", "revision", "feedback"):
                assert conn.exec_driver_sql(f"SELECT DISTINCT version FROM {table}").all() == [(1,)], table
            triggers = conn.exec_driver_sql("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'").scalar_one()
            assert triggers > 30  # the search triggers survive (no table rebuilt)
        amelia = execs.find_exec(ws, "Amelia Hart")
        row = sessions.list_sessions(ws, exec_id=amelia.id)[0]
        assert row.version == 1
        assert sessions.save_notes(ws, session_id=row.id, notes="after the upgrade", expected_version=1) == 2
