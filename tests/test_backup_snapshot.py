"""A backup copies the encrypted file's bytes under a read snapshot: consistent even while writes go on."""

from __future__ import annotations

import stat
import threading
from pathlib import Path

from sqlalchemy import func, select

from esncoach.models import Exec
from esncoach.services import execs
from esncoach.store import backups
from esncoach.store.database import probe
from esncoach.store.keys import KeyMaterial
from esncoach.store.workspace import Workspace


def _count(path: Path, key: KeyMaterial) -> int:
    with Workspace.open(path, key) as ws, ws.session() as s:
        return s.scalar(select(func.count()).select_from(Exec)) or 0


def test_backup_of_uncheckpointed_changes_is_one_self_contained_file(ws: Workspace, key: KeyMaterial,
                                                                      tmp_path: Path) -> None:
    for i in range(30):
        execs.add_exec(ws, name=f"Exec {i}")
    wal = ws.path.with_name(ws.path.name + "-wal")
    assert wal.stat().st_size > 0  # the changes are still in the WAL, not in the file
    info = backups.create_backup(ws.path, key, folder=tmp_path / "b")
    assert sorted(p.name for p in (tmp_path / "b").iterdir()) == [info.path.name]  # no -wal/-shm beside it
    assert stat.S_IMODE(info.path.stat().st_mode) == 0o600
    assert probe(info.path, key) is not None
    assert info.path.read_bytes()[:16] != b"SQLite format 3\x00"  # encrypted
    assert _count(info.path, key) == 30


def test_backups_taken_while_another_thread_writes_are_consistent(ws: Workspace, key: KeyMaterial,
                                                                   tmp_path: Path) -> None:
    stop = threading.Event()
    written: list[int] = []

    def writer() -> None:
        i = 0
        while not stop.is_set():
            execs.add_exec(ws, name=f"Writer {i}")
            i += 1
            written.append(i)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        taken = []
        while len(taken) < 5:
            before = len(written)
            info = backups.create_backup(ws.path, key, folder=tmp_path / "b")  # verified: integrity_check ok
            taken.append((before, info.path))
    finally:
        stop.set()
        thread.join()
    for before, path in taken:
        assert _count(path, key) >= before  # a whole committed state at or after the backup began
    assert backups.verify_file(taken[-1][1], key)
