"""Faults during a check-in: the server holds all of it or none of it, and the next check-in completes it."""

from __future__ import annotations

from pathlib import Path

import pytest

from esncoach.services import execs, sessions
from esncoach.services import team_checkout_merge as merge
from esncoach.services.team_checkout import checkout
from esncoach.store.errors import StoreError
from esncoach.store.workspace import Workspace
from tests.checkout_kit import AMELIA, BRUNO, Team, crew  # noqa: F401 - fixture
from tests.conftest import TEST_KEY

WATCHED = ("exec", "coaching_session", "action_item", "check_in", "revision", "team_lease", "team_checkin")


def _state(crew: Team) -> dict[str, list[tuple]]:
    return {t: sorted(crew.sql(f"SELECT * FROM {t}"), key=repr) for t in WATCHED}


def _work_offline(crew: Team, laptop_path: Path) -> None:
    with crew.open("ann") as ann, Workspace.open(laptop_path, TEST_KEY) as laptop:
        checkout(ann, laptop, names=[AMELIA, BRUNO])
    with Workspace.open(laptop_path, TEST_KEY) as laptop:
        for name in (AMELIA, BRUNO):
            exec_id = execs.find_exec(laptop, name).id
            for s in sessions.list_sessions(laptop, exec_id=exec_id)[:3]:
                sessions.save_notes(laptop, session_id=s.id, notes=f"offline {s.id}")
            sessions.add_action_item(laptop, exec_id=exec_id, text=f"new offline item for {name}")


@pytest.mark.parametrize("cut_at", [3, 25])
def test_connection_killed_mid_checkin_then_completed(crew: Team, tmp_path: Path, cut_at: int) -> None:
    laptop_path = tmp_path / "laptop.db"
    _work_offline(crew, laptop_path)
    before = _state(crew)
    calls = []

    def kill_midway(done: float, total: float, msg: str) -> None:
        calls.append(msg)
        if len(calls) == cut_at:  # another connection ends the check-in's backend, as a dropped network would
            crew.sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s AND datname = %s "
                     "AND pid <> pg_backend_pid()", crew.role("ann"), crew.db)

    with crew.open("ann") as ann, Workspace.open(laptop_path, TEST_KEY) as laptop:
        with pytest.raises(StoreError, match="connection to the team server was lost during the check-in"):
            merge.checkin(ann, laptop, progress=kill_midway)
    assert _state(crew) == before  # nothing of it
    with crew.open("ann") as ann, Workspace.open(laptop_path, TEST_KEY) as laptop:
        result = merge.checkin(ann, laptop)
        assert sum(e.added for e in result.execs) == 2 and sum(e.changed for e in result.execs) == 6
        again = merge.checkin(ann, laptop)
    assert all(e.added + e.changed + e.deleted + e.conflicts == 0 for e in again.execs)
    assert crew.sql("SELECT count(*) FROM action_item WHERE text LIKE 'new offline item for %%'") == [(2,)]
    assert crew.sql("SELECT count(*) FROM coaching_session WHERE notes LIKE 'offline %%'") == [(6,)]
    assert crew.sql("SELECT count(*) FROM team_lease") == [(0,)]


def test_cut_off_after_the_server_committed_completes_without_doubling(crew: Team, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    laptop_path = tmp_path / "laptop.db"
    _work_offline(crew, laptop_path)
    real_finish = merge._finish

    def laptop_dies(*_args: object) -> None:
        raise KeyboardInterrupt  # the laptop is switched off between the server's commit and its own

    monkeypatch.setattr(merge, "_finish", laptop_dies)
    with crew.open("ann") as ann, Workspace.open(laptop_path, TEST_KEY) as laptop:
        with pytest.raises(KeyboardInterrupt):
            merge.checkin(ann, laptop)
    committed = _state(crew)
    assert len(committed["team_checkin"]) == 1 and committed["team_lease"] == []
    monkeypatch.setattr(merge, "_finish", real_finish)
    with crew.open("ann") as ann, Workspace.open(laptop_path, TEST_KEY) as laptop:
        result = merge.checkin(ann, laptop)  # finds its record on the server and only finishes the laptop's side
        assert sum(e.added for e in result.execs) == 2
        again = merge.checkin(ann, laptop)
    assert all(e.added + e.changed + e.deleted + e.conflicts == 0 for e in again.execs)
    assert _state(crew) == committed
    assert crew.sql("SELECT count(*) FROM action_item WHERE text LIKE 'new offline item for %%'") == [(2,)]


def test_client_killed_mid_checkin_all_or_nothing_then_completed(crew: Team, tmp_path: Path,
                                                                  passphrase_file: Path) -> None:
    """The check-in's own process is killed (SIGKILL) while its server transaction is open."""
    import os
    import signal
    import subprocess
    import sys
    import time

    from esncoach.store.keys import read_passphrase_file

    laptop_path = tmp_path / "laptop.db"
    key = read_passphrase_file(str(passphrase_file))
    with crew.open("ann") as ann, Workspace.open(laptop_path, key) as laptop:
        checkout(ann, laptop, names=[AMELIA])
        exec_id = execs.find_exec(laptop, AMELIA).id
        for n in range(400):  # enough rows that the transaction is open for a while
            sessions.add_action_item(laptop, exec_id=exec_id, text=f"bulk offline item {n}")
    before = _state(crew)
    args = [sys.executable, "-m", "esncoach", "team", "checkin", "--db", crew.url("ann"), "--from", str(laptop_path),
            "--passphrase-file", str(passphrase_file)]
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=str(Path.cwd()))
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline and proc.poll() is None:  # until its transaction has written something
            busy = crew.sql("SELECT count(*) FROM pg_stat_activity WHERE usename = %s AND datname = %s "
                            "AND xact_start IS NOT NULL AND query ILIKE 'INSERT INTO action_item%%'",
                            crew.role("ann"), crew.db)
            if busy[0][0]:
                os.kill(proc.pid, signal.SIGKILL)
                break
    finally:
        proc.wait(timeout=60)
    after_kill = _state(crew)
    items = crew.sql("SELECT count(*) FROM action_item WHERE text LIKE 'bulk offline item %%'")[0][0]
    assert items in (0, 400)  # all or nothing
    if items == 0:
        assert after_kill == before
    with crew.open("ann") as ann, Workspace.open(laptop_path, key) as laptop:
        result = merge.checkin(ann, laptop)
        again = merge.checkin(ann, laptop)
    assert crew.sql("SELECT count(*) FROM action_item WHERE text LIKE 'bulk offline item %%'") == [(400,)]
    assert crew.sql("SELECT count(*) FROM team_lease") == [(0,)]
    assert all(e.added + e.changed + e.deleted + e.conflicts == 0 for e in again.execs)
    assert result.execs
