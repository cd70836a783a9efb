"""Writes that fail at the Nth system call (disk full, I/O error): a clean StoreError, the previous state intact.

For each operation a dry run counts SQLite's write calls; the sweep then fails call N (for every N, or
an even spread for the slow passphrase-keyed archive operations) with ENOSPC (sticky: the disk stays
full) or EIO (one-off). After each failure the data must read back exactly as before, the file must
reopen with ``integrity_check`` and ``cipher_integrity_check`` clean, and no half-written backup or
archive may be left under a final name.
"""

from __future__ import annotations

import errno
import hashlib
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select, text

from esncoach.models import Base, Exec
from esncoach.services import backup_policy, settings
from esncoach.services.health import run_checks
from esncoach.store import archive, backups
from esncoach.store.errors import StoreError
from esncoach.store.keys import passphrase_key
from esncoach.store.workspace import Workspace
from tests.conftest import TEST_KEY
from tests.faultkit.vfs import FaultInjector

pytestmark = pytest.mark.slow

ARCHIVE_PASSPHRASE = passphrase_key("archive ' pass \\ ü")
SWEEP = 16
SPREAD = 4
STATS: dict[str, int] = {}


@pytest.fixture(scope="module")
def injector() -> Iterator[FaultInjector]:
    inj = FaultInjector()
    inj.install()
    yield inj
    inj.uninstall()


@dataclass
class Template:
    """A small closed workspace, one good backup of an earlier state, and an archive of one exec."""

    folder: Path
    db: Path
    backup: Path
    exec_archive: Path
    empty: Path


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Template:
    folder = tmp_path_factory.mktemp("fault-template")
    db = folder / "w.db"
    with Workspace.open(db, TEST_KEY) as ws:
        with ws.session() as s:
            for i in range(6):
                s.add(Exec(name=f"Exec {i}", email=f"e{i}@example.com", private_notes="n" * 500))
        good = backup_policy.back_up_now(ws).path
        with ws.session() as s:
            s.add(Exec(name="Added after the backup"))
    source = folder / "source.db"
    with Workspace.open(source, TEST_KEY) as ws:
        with ws.session() as s:
            s.add(Exec(name="Imported exec", email="imported@example.com", private_notes="x" * 3000))
        arch = folder / "one.esnarchive"
        archive.export_archive(ws, arch, ARCHIVE_PASSPHRASE, exec_id=1)
    empty = folder / "empty.db"
    Workspace.open(empty, TEST_KEY).close()
    backup_copy = folder / "good-backup.db"
    shutil.copy2(good, backup_copy)
    shutil.rmtree(backups.default_folder(db))
    shutil.rmtree(backups.default_folder(source), ignore_errors=True)
    return Template(folder, db, backup_copy, arch, empty)


def state(ws: Workspace) -> str:
    """A digest of every row of every table, read through a fresh connection."""
    digest = hashlib.sha256()
    with ws.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            order = ", ".join(c.name for c in table.primary_key.columns)
            for row in conn.execute(text(f"SELECT * FROM {table.name} ORDER BY {order}")):
                digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


Op = Callable[[Workspace, Path], None]


def op_session_write(ws: Workspace, tmp: Path) -> None:
    with ws.session() as s:
        for i in range(12):
            s.add(Exec(name=f"Bulk {i}", private_notes="bulk note " * 200))


def op_setting(ws: Workspace, tmp: Path) -> None:
    settings.put(ws, backup_policy.INTERVAL_MINUTES, 45)


def op_backup(ws: Workspace, tmp: Path) -> None:
    backup_policy.back_up_now(ws)


def op_restore(ws: Workspace, tmp: Path) -> None:
    backups.restore_into(ws, tmp / "good-backup.db")


def op_export(ws: Workspace, tmp: Path) -> None:
    archive.export_archive(ws, tmp / "out.esnarchive", ARCHIVE_PASSPHRASE)


def op_merge(ws: Workspace, tmp: Path) -> None:
    archive.merge_exec(ws, tmp / "one.esnarchive", ARCHIVE_PASSPHRASE, 1)


def op_import_whole(ws: Workspace, tmp: Path) -> None:
    archive.import_whole(ws, tmp / "one.esnarchive", ARCHIVE_PASSPHRASE)


def _prepare(template: Template, tmp: Path, db_name: str) -> Path:
    for item in tmp.iterdir():
        shutil.rmtree(item) if item.is_dir() else item.unlink()
    shutil.copy2(template.folder / db_name, tmp / "w.db")
    shutil.copy2(template.backup, tmp / "good-backup.db")
    shutil.copy2(template.exec_archive, tmp / "one.esnarchive")
    return tmp / "w.db"


def _leftovers(tmp: Path) -> list[Path]:
    return [p for p in tmp.rglob("*") if p.name.endswith((".part", ".snapshot", ".restoring"))]


def _sweep_points(total: int, limit: int) -> list[int]:
    if total <= limit:
        return list(range(1, total + 1))
    step = (total - 1) / (limit - 1)
    return sorted({1 + round(i * step) for i in range(limit)})


CASES: list[tuple[str, Op, str, int]] = [
    ("session_write", op_session_write, "w.db", SWEEP),
    ("setting", op_setting, "w.db", SWEEP),
    ("backup", op_backup, "w.db", 12),
    ("restore", op_restore, "w.db", 8),
    # Archives are keyed by a passphrase (SQLCipher's 256,000-round KDF on every open): a coarser spread.
    ("export", op_export, "w.db", 3),
    ("merge_exec", op_merge, "w.db", 3),
    ("import_whole", op_import_whole, "empty.db", 3),
]


@pytest.mark.parametrize(("name", "op", "db_name", "limit"), CASES, ids=[c[0] for c in CASES])
def test_write_fault_sweep(
    name: str, op: Op, db_name: str, limit: int, injector: FaultInjector, template: Template, tmp_path: Path
) -> None:
    db = _prepare(template, tmp_path, db_name)
    with Workspace.open(db, TEST_KEY) as ws:
        before = state(ws)
        with injector.counting() as plan:
            op(ws, tmp_path)
        after = state(ws)
    total = plan.count
    assert total > 0
    assert (after != before) == (name not in ("backup", "export"))
    points = _sweep_points(total, limit)
    tried = 0
    for n in points:
        for err, sticky in ((errno.ENOSPC, True), (errno.EIO, False)):
            db = _prepare(template, tmp_path, db_name)
            ws = Workspace.open(db, TEST_KEY)
            try:
                with injector.failing(n, err, sticky=sticky) as fault:
                    try:
                        op(ws, tmp_path)
                        outcome: StoreError | None = None
                    except StoreError as exc:
                        outcome = exc
                assert fault.failed >= 1, f"{name}: call {n} was never reached"
                now = state(ws)
                if outcome is None:
                    # SQLite absorbed the failure (e.g. an auto-checkpoint); then the work must be complete.
                    assert now == after, f"{name} N={n}: reported success but data differs"
                elif name == "backup":
                    assert backup_policy.list_workspace_backups(ws) == [], "a failed backup left a backup"
                else:
                    message = str(outcome)
                    assert "disk is full" in message or "I/O error" in message, f"{name} N={n}: {message}"
                    assert "Traceback" not in message
                    assert now == before, f"{name} N={n} {errno.errorcode[err]}: data changed after a failure"
                assert _leftovers(tmp_path) == [], f"{name} N={n}: half-written files left"
            finally:
                ws.close()
            with Workspace.open(db, TEST_KEY) as again:
                assert state(again) in (before, after)
                assert run_checks(again).healthy
                for b in backup_policy.list_workspace_backups(again):
                    backups.verify_file(b.path, TEST_KEY)
            assert not (tmp_path / "out.esnarchive").exists() or archive.read_archive_info(
                tmp_path / "out.esnarchive", ARCHIVE_PASSPHRASE
            )
            tried += 1
    STATS[name] = tried
    print(f"\n{name}: {total} write calls, {tried} injected faults")


def test_read_fault_on_open_is_a_clear_refusal(injector: FaultInjector, template: Template, tmp_path: Path) -> None:
    db = _prepare(template, tmp_path, "w.db")
    original = db.read_bytes()
    with injector.counting(calls=("pread",)) as plan:
        Workspace.open(db, TEST_KEY).close()
    db.write_bytes(original)
    refused = 0
    for n in _sweep_points(plan.count, 12):
        with injector.failing(n, errno.EIO, sticky=True, calls=("pread",)):
            try:
                Workspace.open(db, TEST_KEY).close()
            except StoreError as exc:
                refused += 1
                assert "Traceback" not in str(exc)
        assert db.read_bytes() == original
    assert refused >= 1
    STATS["open_read_eio"] = len(_sweep_points(plan.count, 12))


def test_checkpoint_failure_on_close_loses_nothing(injector: FaultInjector, template: Template, tmp_path: Path) -> None:
    db = _prepare(template, tmp_path, "w.db")
    ws = Workspace.open(db, TEST_KEY)
    with ws.session() as s:
        s.add(Exec(name="Only in the WAL"))
    with injector.failing(1, errno.EIO, sticky=True):
        ws.close()  # the checkpoint fails; close must still release the file quietly
    with Workspace.open(db, TEST_KEY) as again:
        with again.session() as s:
            assert "Only in the WAL" in s.scalars(select(Exec.name)).all()
        assert run_checks(again).healthy
