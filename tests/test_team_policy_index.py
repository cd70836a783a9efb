"""Migration 0009: a CM's access rule is an index condition; who sees what is unchanged.

``tests/data/workspace-0008.db`` is ``workspace-0007.db`` upgraded by Alembic to 0008, nothing else.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import psycopg
from alembic import command

from esncoach.demo import build_demo
from esncoach.services import execs, team
from esncoach.store import schema
from esncoach.store.migrate import alembic_config
from esncoach.store.server import ServerAddress, ServerWorkspace, make_engine, open_server
from esncoach.store.workspace import Workspace
from tests.checkout_kit import AMELIA, BRUNO, Team, crew  # noqa: F401 - fixture
from tests.conftest import TEST_KEY
from tests.pg_server import PgServer, socket_url

FIXTURE_0008 = Path(__file__).parent / "data" / "workspace-0008.db"
BEFORE = "0008_private_channels"


def test_a_schema_0008_file_upgrades_unchanged(tmp_path: Path) -> None:
    target = tmp_path / "old.db"
    shutil.copy(FIXTURE_0008, target)
    with Workspace.open(target, TEST_KEY) as ws:
        with ws.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar_one() == schema.HEAD_REVISION
        assert len(execs.list_execs(ws)) == 12


def _plan(conn: psycopg.Connection, query: str) -> str:
    return "\n".join(r[0] for r in conn.execute("EXPLAIN " + query).fetchall())


def test_a_cms_rule_is_served_by_the_exec_id_indexes(crew: Team) -> None:  # noqa: F811
    # The demo is small, so a scan is cheapest; with scans priced out, the plan shows whether an index CAN serve
    # the rule (before 0009 the rule was tested row by row: no index path existed for a CM's search or list).
    dsn = crew.server.admin_dsn(crew.db).replace("user=postgres", f"user={crew.role('ann')}")
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("SET enable_seqscan = off")
        plan = _plan(conn, "SELECT code, count(*) FROM search_index WHERE doc @@ 'post:*'::tsquery GROUP BY code")
        assert "search_index_exec" in plan and "exec_id = ANY" in plan
        for table in ("action_item", "coaching_session", "habit"):  # the exec list's reads of every row of a kind
            assert "Index Cond: (exec_id = ANY" in _plan(conn, f"SELECT * FROM {table}")
        names = {r[0] for r in conn.execute("SELECT e.name FROM search_index s JOIN exec e ON e.id = s.exec_id")}
    assert names == {AMELIA, BRUNO}


def _visible(server: PgServer, db: str, role: str) -> dict[str, tuple[int, int]]:
    """Every table under row-level security as ``role`` sees it: row count and a checksum of the rows."""
    dsn = server.admin_dsn(db).replace("user=postgres", f"user={role}")
    with server.admin(db) as admin:
        tables = [t for (t,) in admin.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND rowsecurity ORDER BY 1").fetchall()]
    seen = {}
    with psycopg.connect(dsn, autocommit=True) as conn:
        for table in tables:
            try:
                seen[table] = conn.execute(
                    f"SELECT count(*), coalesce(sum(hashtext(t::text)), 0) FROM {table} t").fetchone()
            except psycopg.errors.InsufficientPrivilege:
                seen[table] = (-1, -1)
    return seen


def test_a_schema_0008_team_database_upgrades_and_everyone_sees_the_same(pg_server: PgServer) -> None:
    db = pg_server.fresh_name("p8")
    pg_server.create_database(db)
    url = socket_url(pg_server, db)
    address = ServerAddress.parse(url)
    engine = make_engine(address, None)
    with engine.begin() as conn:
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, BEFORE)
    old = ServerWorkspace(address, engine, "postgres")
    roles = {who: f"{who}_{db}" for who in ("ann", "bob", "lee")}
    try:
        build_demo(old)
        for who, role in roles.items():
            team.add_member(old, role=role, lead=who == "lee")
        for name in (AMELIA, BRUNO):
            team.assign(old, exec_name=name, cm=roles["ann"])
        team.assign(old, exec_name=AMELIA, cm=roles["bob"])
    finally:
        old.close()
    before = {who: _visible(pg_server, db, role) for who, role in roles.items()}
    assert before["ann"]["exec"][0] == 2 and before["bob"]["exec"][0] == 1 and before["lee"]["exec"][0] == 12
    assert before["ann"]["search_index"][0] > before["bob"]["search_index"][0] > 0
    with open_server(url) as ws:  # the owner's login brings it to head
        with ws.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar_one() == schema.HEAD_REVISION
    try:
        assert {who: _visible(pg_server, db, role) for who, role in roles.items()} == before
    finally:
        with pg_server.admin() as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
            for role in roles.values():
                conn.execute(f"DROP ROLE IF EXISTS {role}")
