"""Leases (migration 0007): while an exec is offline, the server refuses everyone else's writes about it."""

from __future__ import annotations

import shutil
from pathlib import Path

import psycopg
import pytest

from esncoach.cli import main
from esncoach.services import execs, sessions
from esncoach.services.team_checkout import checkout, list_leases, release
from esncoach.store import schema
from esncoach.store.errors import StoreError, ValidationError
from esncoach.store.workspace import Workspace
from tests.checkout_kit import AMELIA, BRUNO, Team, crew  # noqa: F401 - fixture
from tests.conftest import TEST_KEY

FIXTURE_0006 = Path(__file__).parent / "data" / "workspace-0006.db"
"""The demo workspace at schema 0006 (``workspace-0005.db`` upgraded by Alembic to 0006, nothing else)."""


def test_a_schema_0006_file_gains_empty_offline_tables(tmp_path: Path) -> None:
    target = tmp_path / "old.db"
    shutil.copy(FIXTURE_0006, target)
    with Workspace.open(target, TEST_KEY) as ws:
        with ws.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar_one() == schema.HEAD_REVISION
            for table in ("team_offline_origin", "team_offline_exec", "team_offline_row"):
                assert conn.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar_one() == 0
        assert len(execs.list_execs(ws)) == 12


def test_a_lease_refuses_everyone_elses_writes(crew: Team, tmp_path: Path) -> None:
    with crew.open("ann") as ann, Workspace.open(tmp_path / "laptop.db", TEST_KEY) as laptop:
        checkout(ann, laptop, names=[AMELIA])
    amelia = crew.sql("SELECT id FROM exec WHERE name = %s", AMELIA)[0][0]
    with crew.open("bob") as bob:  # bob coaches Amelia too, but she is ann's while offline
        row = sessions.list_sessions(bob, exec_id=amelia)[0]
        with pytest.raises(StoreError, match=f"{AMELIA} is checked out by {crew.role('ann')} since "):
            sessions.save_notes(bob, session_id=row.id, notes="bob may not")
        with pytest.raises(ValidationError, match=f"checked out by {crew.role('ann')}"):
            checkout(bob, Workspace.open(tmp_path / "bob.db", TEST_KEY), names=[AMELIA])
        [lease] = list_leases(bob)
        assert lease.exec_name == AMELIA and lease.sentence.startswith(f"checked out by {crew.role('ann')} since ")
    before = crew.sql("SELECT notes FROM coaching_session WHERE exec_id = %s ORDER BY id", amelia)
    for who in ("bob", "owner"):  # nor through psql, not even the database owner
        with psycopg.connect(crew.server.admin_dsn(crew.db).replace("user=postgres", f"user={crew.role(who)}")
                             if who != "owner" else crew.server.admin_dsn(crew.db), autocommit=True) as conn:
            for statement in ("UPDATE coaching_session SET notes = 'x' WHERE exec_id = %s",
                              "DELETE FROM check_in WHERE habit_id IN (SELECT id FROM habit WHERE exec_id = %s)",
                              "INSERT INTO watch_theme(exec_id, text, active, created_at, updated_at) "
                              "VALUES (%s, 'x', true, now(), now())"):
                with pytest.raises(psycopg.Error, match="checked out by"):
                    conn.execute(statement, (amelia,))
    assert crew.sql("SELECT notes FROM coaching_session WHERE exec_id = %s ORDER BY id", amelia) == before
    with crew.open("ann") as ann:  # the holder may
        row = sessions.list_sessions(ann, exec_id=amelia)[0]
        sessions.save_notes(ann, session_id=row.id, notes="ann on the server")


def test_only_the_lead_releases_a_lease(crew: Team, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with crew.open("ann") as ann, Workspace.open(tmp_path / "laptop.db", TEST_KEY) as laptop:
        checkout(ann, laptop, names=[AMELIA, BRUNO])
    with crew.open("bob") as bob:
        with pytest.raises(ValidationError, match="Only the programme lead"):
            release(bob, exec_name=AMELIA)
    assert main(["team", "release", "--db", crew.url("lee"), "--exec", AMELIA]) == 0
    assert "released (was checked out by" in capsys.readouterr().out
    assert main(["team", "release", "--db", crew.url("lee"), "--exec", AMELIA]) == 2
    assert "is not checked out" in capsys.readouterr().err
    assert [r[0] for r in crew.sql("SELECT e.name FROM team_lease l JOIN exec e ON e.id = l.exec_id")] == [BRUNO]
    amelia = crew.sql("SELECT id FROM exec WHERE name = %s", AMELIA)[0][0]
    with crew.open("bob") as bob:
        row = sessions.list_sessions(bob, exec_id=amelia)[0]
        sessions.save_notes(bob, session_id=row.id, notes="bob after the release")
