"""Faults on a team server: a restart while a CM edits, a connection dropped mid-transaction."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from esncoach.models import CoachingSession, Exec
from esncoach.services import execs, sessions
from esncoach.store.errors import StoreError
from esncoach.store.workspace import Workspace
from tests.pg_server import PgServer


def _counts(pg_server: PgServer, db: str) -> tuple[int, int]:
    with pg_server.admin(db) as conn:
        return (conn.execute("SELECT count(*) FROM exec").fetchone()[0],
                conn.execute("SELECT count(*) FROM coaching_session").fetchone()[0])


def test_server_restart_while_editing_reconnects_and_saves(pg_server: PgServer, pg_demo_ws: Workspace) -> None:
    pg_ws = pg_demo_ws
    amelia = execs.find_exec(pg_ws, "Amelia Hart")
    row = sessions.list_sessions(pg_ws, exec_id=amelia.id)[0]  # the dialog is open; the CM types…
    pg_server.restart()  # …and the server goes away and comes back
    version = sessions.save_notes(pg_ws, session_id=row.id, notes="typed during the restart",
                                  expected_version=row.version)
    assert version == row.version + 1
    assert sessions.get_session(pg_ws, row.id).notes == "typed during the restart"


def test_connection_dropped_mid_transaction_leaves_nothing_half_written(pg_server: PgServer,
                                                                        pg_demo_ws: Workspace) -> None:
    pg_ws = pg_demo_ws
    pg_db = pg_ws.address.dbname  # type: ignore[attr-defined]
    before = _counts(pg_server, pg_db)
    with pytest.raises(StoreError, match="connection to the team server"), pg_ws.session() as s:
        ex = Exec(name="Half Written", title="", department="", stage="listen", archived=False, private_notes="")
        s.add(ex)
        s.flush()
        s.add(CoachingSession(exec_id=ex.id, kind="one_on_one", status="planned", title="never",
                              starts_at=dt.datetime(2026, 1, 1, 9), duration_min=30,
                              agenda="", notes="", outcomes=""))
        s.flush()
        pid = s.connection().exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
        with pg_server.admin() as admin:  # the network drops this laptop's connection before it commits
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
    assert _counts(pg_server, pg_db) == before
    # The next unit of work reconnects by itself.
    with pg_ws.session() as s:
        assert s.scalar(select(func.count()).select_from(Exec)) == before[0]
