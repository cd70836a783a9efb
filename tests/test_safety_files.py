"""One writer per file whatever its name, owner-only files, read-only workspaces: real files, real processes."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from esncoach.store.errors import StoreError, WorkspaceInUseError
from esncoach.store.keys import KeyMaterial, passphrase_key
from esncoach.store.workspace import Workspace
from tests.conftest import TEST_PASSPHRASE
from tests.safety_helpers import assert_refused, phrase_file, run, snapshot

HOLD = """
import sys
from esncoach.store.keys import passphrase_key
from esncoach.store.workspace import Workspace
ws = Workspace.open(sys.argv[1], passphrase_key(sys.argv[2]))
print("open", flush=True)
sys.stdin.readline()
ws.close()
"""


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def phrase_db(tmp_path: Path) -> tuple[Path, Path]:
    """A passphrase workspace with one exec, made by the real command line, and its passphrase file."""
    folder = tmp_path / "ws"
    folder.mkdir()
    pf = phrase_file(tmp_path)
    db = folder / "w.db"
    result = run("execs", "add", "--db", str(db), "--passphrase-file", str(pf), "--name", "Ada Lovelace")
    assert result.returncode == 0, result.stderr
    return db, pf


class Holder:
    """Another esncoach process holding a workspace open until told to close it."""

    def __init__(self, path: Path) -> None:
        self.proc = subprocess.Popen([sys.executable, "-c", HOLD, str(path), TEST_PASSPHRASE],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline().strip()  # type: ignore[union-attr]
        assert line == "open", self.proc.stderr.read()  # type: ignore[union-attr]

    def close(self) -> None:
        self.proc.communicate("\n", timeout=60)
        assert self.proc.returncode == 0


# --- one writer per file ----------------------------------------------------------------------------


def test_a_workspace_with_two_hard_links_is_refused_by_both_names(phrase_db: tuple[Path, Path]) -> None:
    db, pf = phrase_db
    other = db.with_name("other-name.db")
    os.link(db, other)
    before = snapshot(db.parent)
    for name in (db, other):
        for command in (["check"], ["execs", "add", "--name", "Grace Hopper"]):
            result = run(*command[:1], *command[1:2], "--db", str(name), "--passphrase-file", str(pf), *command[2:])
            assert_refused(result, "hard links", "make a copy with cp")
    assert snapshot(db.parent) == before
    # The fix the message gives works: a copy with cp is a file of its own.
    other.unlink()
    copy = db.with_name("copy.db")
    shutil.copy(db, copy)
    assert run("check", "--db", str(copy), "--passphrase-file", str(pf)).returncode == 0


def test_two_processes_through_two_names_are_one_writer(phrase_db: tuple[Path, Path], tmp_path: Path) -> None:
    db, pf = phrase_db
    link = tmp_path / "elsewhere" / "shortcut.db"
    link.parent.mkdir()
    link.symlink_to(db)
    holder = Holder(db)
    try:
        # The second process uses another name for the same file: refused, whatever the name.
        assert_refused(run("execs", "add", "--db", str(link), "--passphrase-file", str(pf), "--name", "Grace"),
                       "already open in another esncoach")
        # A hard link made while the first process holds the file is refused too (two -wal names).
        hard = db.with_name("hard.db")
        os.link(db, hard)
        assert_refused(run("check", "--db", str(hard), "--passphrase-file", str(pf)), "hard links")
        hard.unlink()
    finally:
        holder.close()
    result = run("execs", "add", "--db", str(link), "--passphrase-file", str(pf), "--name", "Grace Hopper")
    assert result.returncode == 0, result.stderr
    listed = run("execs", "list", "--db", str(db), "--passphrase-file", str(pf), "--json")
    assert "Grace Hopper" in listed.stdout and "Ada Lovelace" in listed.stdout


def test_the_lock_follows_the_file_not_the_name_in_process(tmp_path: Path, key: KeyMaterial) -> None:
    db = tmp_path / "w.db"
    link = tmp_path / "link.db"
    with Workspace.open(db, key) as ws:
        link.symlink_to(db)
        with pytest.raises(WorkspaceInUseError, match="already open"):
            Workspace.open(link, key)
        # Renaming the open file does not free it either.
        moved = tmp_path / "moved.db"
        os.rename(db, moved)
        with pytest.raises(WorkspaceInUseError):
            Workspace.open(moved, key)
        os.rename(moved, db)
        lock_file = ws._lock.lock_path  # noqa: SLF001 - the test looks at the lock file itself
        assert lock_file.exists()
        assert mode(lock_file) == 0o600
        assert mode(lock_file.parent) == 0o700
        st = os.stat(db)
        assert lock_file.name == f"{st.st_dev:x}-{st.st_ino:x}.lock"
    assert not lock_file.exists()  # released and removed
    Workspace.open(link, key).close()


# --- owner-only files -------------------------------------------------------------------------------


def test_everything_written_is_owner_only(tmp_path: Path) -> None:
    pf = phrase_file(tmp_path)
    db = tmp_path / "new" / "deeper" / "w.db"
    result = run("demo", "--db", str(db), "--passphrase-file", str(pf))
    assert result.returncode == 0, result.stderr
    assert mode(db) == 0o600
    assert mode(db.parent) == 0o700 and mode(db.parent.parent) == 0o700
    ics = tmp_path / "next.ics"
    result = run("sessions", "ics", "--db", str(db), "--passphrase-file", str(pf), "--exec", "Amelia", "--out", str(ics))
    assert result.returncode == 0, result.stderr
    assert mode(ics) == 0o600
    pdf = tmp_path / "amelia.pdf"
    assert run("report", "--db", str(db), "--passphrase-file", str(pf), "--exec", "Amelia",
               "--out", str(pdf)).returncode == 0
    assert mode(pdf) == 0o600
    # While open, SQLite's -wal and -shm exist and are owner-only too.
    with Workspace.open(db, passphrase_key(TEST_PASSPHRASE)) as ws:
        from esncoach.services import execs

        execs.add_exec(ws, name="Wal Writer")
        for side in ("-wal", "-shm"):
            assert mode(db.with_name(db.name + side)) == 0o600
    for path in tmp_path.rglob("*"):
        if path.is_file() and path != pf:
            assert mode(path) & 0o077 == 0, path


def test_ics_written_by_the_service_is_owner_only_even_with_a_loose_umask(demo_ws: Workspace, tmp_path: Path) -> None:
    from esncoach.services import calendar_export, execs

    old = os.umask(0o022)
    try:
        amelia = execs.find_exec(demo_ws, "Amelia")
        out = calendar_export.export_next_session(demo_ws, exec_id=amelia.id, path=tmp_path / "a.ics")
    finally:
        os.umask(old)
    assert mode(out) == 0o600
    assert out.read_bytes().startswith(b"BEGIN:VCALENDAR")


def test_an_existing_workspace_is_tightened_on_open(tmp_path: Path, key: KeyMaterial) -> None:
    db = tmp_path / "w.db"
    Workspace.open(db, key).close()
    os.chmod(db, 0o644)
    # A sidecar left read-only by an older esncoach would make every later write fail.
    shm = db.with_name(db.name + "-shm")
    shm.write_bytes(b"")
    os.chmod(shm, 0o444)
    with Workspace.open(db, key) as ws:
        assert not ws.read_only
        assert mode(db) == 0o600
        assert mode(shm) == 0o600
        from esncoach.services import execs

        execs.add_exec(ws, name="After Tightening")
    with Workspace.open(db, key) as ws:
        from esncoach.services import execs

        assert [r.name for r in execs.list_execs(ws)] == ["After Tightening"]


# --- read-only workspaces ---------------------------------------------------------------------------


def test_check_on_a_0400_file_leaves_nothing_and_a_later_write_works(phrase_db: tuple[Path, Path]) -> None:
    db, pf = phrase_db
    os.chmod(db, 0o400)
    before = snapshot(db.parent)
    result = run("check", "--db", str(db), "--passphrase-file", str(pf))
    assert result.returncode == 0, result.stderr
    assert "ok: schema" in result.stdout
    listed = run("execs", "list", "--db", str(db), "--passphrase-file", str(pf), "--json")
    assert listed.returncode == 0 and "Ada Lovelace" in listed.stdout
    assert_refused(run("execs", "add", "--db", str(db), "--passphrase-file", str(pf), "--name", "Grace Hopper"),
                   "read-only")
    assert snapshot(db.parent) == before  # no -wal/-shm left behind, file byte-identical
    os.chmod(db, 0o600)
    result = run("execs", "add", "--db", str(db), "--passphrase-file", str(pf), "--name", "Grace Hopper")
    assert result.returncode == 0, result.stderr
    listed = run("execs", "list", "--db", str(db), "--passphrase-file", str(pf), "--json")
    assert "Grace Hopper" in listed.stdout


def test_a_read_only_folder_opens_read_only(tmp_path: Path, demo_path: Path, key: KeyMaterial) -> None:
    from esncoach.services import execs, search, sessions

    folder = demo_path.parent
    os.chmod(folder, 0o500)
    try:
        before = snapshot(folder)
        with Workspace.open(demo_path, key) as ws:
            assert ws.read_only
            rows = execs.list_execs(ws)
            assert len(rows) >= 12
            amelia = execs.find_exec(ws, "Amelia")
            assert sessions.list_sessions(ws, exec_id=amelia.id)
            assert search.search(ws, query="post").total > 0
            with pytest.raises(StoreError, match="read-only"):
                execs.add_exec(ws, name="Not Stored")
            with pytest.raises(StoreError, match="read-only"):
                sessions.add_action_item(ws, exec_id=amelia.id, text="Not stored either")
        assert snapshot(folder) == before
    finally:
        os.chmod(folder, 0o700)
    with Workspace.open(demo_path, key) as ws:
        assert not ws.read_only
        execs.add_exec(ws, name="Stored Now")


def test_read_only_reports_search_and_coaching_through_the_cli(tmp_path: Path) -> None:
    pf = phrase_file(tmp_path)
    db = tmp_path / "ws" / "demo.db"
    assert run("demo", "--db", str(db), "--passphrase-file", str(pf)).returncode == 0
    os.chmod(db, 0o400)
    before = snapshot(db.parent)
    common = ["--db", str(db), "--passphrase-file", str(pf)]
    found = run("search", *common, "post")
    assert found.returncode == 0, found.stderr
    assert found.stdout.strip()
    pdf = tmp_path / "amelia.pdf"
    made = run("report", *common, "--exec", "Amelia", "--out", str(pdf))
    assert made.returncode == 0, made.stderr
    assert pdf.read_bytes().startswith(b"%PDF")
    assert_refused(run("sessions", "add", *common, "--exec", "Amelia", "--when", "2026-12-01 10:00"), "read-only")
    assert snapshot(db.parent) == before


def test_read_only_file_with_unsaved_wal_is_refused_untouched(tmp_path: Path, key: KeyMaterial) -> None:
    from esncoach.services import execs

    db = tmp_path / "w.db"
    copy_dir = tmp_path / "copy"
    copy_dir.mkdir()
    with Workspace.open(db, key) as ws:
        execs.add_exec(ws, name="Only In The Wal")
        shutil.copy(db, copy_dir / "w.db")
        shutil.copy(db.with_name("w.db-wal"), copy_dir / "w.db-wal")
    copy = copy_dir / "w.db"
    os.chmod(copy, 0o400)
    before = snapshot(copy_dir)
    with pytest.raises(StoreError, match="holds changes not yet written"):
        Workspace.open(copy, key)
    assert snapshot(copy_dir) == before
    os.chmod(copy, 0o600)
    with Workspace.open(copy, key) as ws:
        assert [r.name for r in execs.list_execs(ws)] == ["Only In The Wal"]


def test_backup_of_a_read_only_workspace_leaves_no_sidecars(phrase_db: tuple[Path, Path]) -> None:
    db, pf = phrase_db
    os.chmod(db, 0o400)
    before = db.read_bytes()
    result = run("backup", "--db", str(db), "--passphrase-file", str(pf))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in db.parent.iterdir()) == ["w-backups", "w.db"]
    assert db.read_bytes() == before
    backups = list((db.parent / "w-backups").iterdir())
    assert len(backups) == 1 and mode(backups[0]) == 0o600
    assert mode(db.parent / "w-backups") == 0o700


def test_a_file_that_is_not_a_workspace_keeps_its_permissions(tmp_path: Path, key: KeyMaterial) -> None:
    other = tmp_path / "notes.db"
    other.write_bytes(b"not a workspace at all\n" * 100)
    os.chmod(other, 0o644)
    with pytest.raises(StoreError):
        Workspace.open(other, key)
    assert mode(other) == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.db"]
