"""Encrypted backups of the workspace file: take, list, thin and restore them.

A backup is a byte copy of the encrypted file taken under a read snapshot (``_copy_snapshot``), so it is
exactly as encrypted as the workspace (same key, same salt) and consistent even while the app writes. It
is written to ``NAME.part``, verified by ``esncoach.store.verify.verify_copy`` (opens with the key, schema
known, every page's HMAC, every table's b-tree) while its bytes are flushed to disk, and only then renamed
to its final, timestamp-sortable name; a failed check, a crash or a full disk leaves no backup file behind.

A restore into an open workspace checks the backup while it takes the before-restore backup (two threads),
then copies it into the live file with the backup API as one write transaction: other connections of the
app stay correct and a crash leaves old or new. That copy decrypts and re-encrypts every page and is most
of a restore's time (``bench/backup.py`` prints it). A damaged file is replaced by renaming a verified
byte copy of the backup over it (``restore_file``).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from esncoach.progress import ProgressSink, no_progress
from esncoach.store.database import InstanceLock, connect, describe_db_error, probe
from esncoach.store.errors import StoreError
from esncoach.store.keys import KeyMaterial
from esncoach.store.schema import HEAD_REVISION
from esncoach.store.verify import file_key, verify_copy


class OpenWorkspace(Protocol):
    """The parts of an open ``Workspace`` a restore needs (the workspace module sits above this one)."""

    path: Path
    engine: Any
    change_counter: int

    @property
    def key(self) -> KeyMaterial: ...


FOLDER_SETTING = "backup.folder"
"""Workspace setting naming the backups folder ("" = ``<db dir>/<db stem>-backups``); declared in services."""

REASONS = ("auto", "manual", "before-migration", "before-restore", "before-import")
PART_SUFFIX = ".part"
_STAMP = "%Y%m%d-%H%M%S-%f"
_NAME_RE = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6}-\d{6})-(?P<reason>[a-z-]+)(?P<suffix>\.[^.]*)?$")
_folder_locks: dict[Path, threading.Lock] = {}
_folder_locks_guard = threading.Lock()


@dataclass(frozen=True)
class BackupInfo:
    """One backup file: where it is, when it was taken (UTC) and why."""

    path: Path
    taken_at: dt.datetime
    reason: str
    size: int


def utcnow() -> dt.datetime:
    """Naive UTC now, the clock backup names are written in."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def default_folder(db_path: Path) -> Path:
    """Where backups go unless a setting says otherwise: a folder next to the workspace file."""
    return db_path.parent / f"{db_path.stem}-backups"


def backup_name(db_path: Path, taken_at: dt.datetime, reason: str) -> str:
    """``<stem>-YYYYmmdd-HHMMSS-ffffff-<reason><suffix>``: sorts by time, says why."""
    if reason not in REASONS:
        raise ValueError(f"unknown backup reason {reason!r}")
    return f"{db_path.stem}-{taken_at.strftime(_STAMP)}-{reason}{db_path.suffix}"


def list_backups(folder: Path, db_path: Path | None = None) -> list[BackupInfo]:
    """Finished backups in ``folder`` (of ``db_path`` only, when given), newest first."""
    found: list[BackupInfo] = []
    try:
        entries = list(folder.iterdir())
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise StoreError(f"Cannot read the backups folder {folder}: {exc.strerror or exc}.") from None
    for entry in entries:
        match = _NAME_RE.match(entry.name)
        if match is None or not entry.is_file():
            continue
        if db_path is not None and (match["stem"] != db_path.stem or (match["suffix"] or "") != db_path.suffix):
            continue
        try:
            taken_at = dt.datetime.strptime(match["stamp"], _STAMP)
            size = entry.stat().st_size
        except (ValueError, OSError):
            continue
        found.append(BackupInfo(entry, taken_at, match["reason"], size))
    found.sort(key=lambda b: b.taken_at, reverse=True)
    return found


def _folder_lock(folder: Path) -> threading.Lock:
    with _folder_locks_guard:
        return _folder_locks.setdefault(folder.resolve(), threading.Lock())


def _fsync_path(path: Path, *, directory: bool = False) -> None:
    fd = os.open(path, os.O_RDONLY | (os.O_DIRECTORY if directory else 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _verify_while_syncing(path: Path, key: KeyMaterial) -> str:
    """``verify_copy`` while the file's bytes go to disk on another thread: the check reads the page cache,
    the flush waits on the disk, so neither waits for the other (the flush of 50 MB is ~0.2-0.8 s here)."""
    failed: list[BaseException] = []

    def sync() -> None:
        try:
            _fsync_path(path)
        except BaseException as exc:  # handed to the caller's thread
            failed.append(exc)

    flusher = threading.Thread(target=sync, name="esncoach-fsync", daemon=True)
    flusher.start()
    try:
        revision = verify_copy(path, key)
    finally:
        flusher.join()
    if failed:
        raise failed[0]
    return revision


def verify_file(path: Path, key: KeyMaterial, *, full: bool = True) -> str:
    """Check a workspace or backup file read-only; return its schema revision or raise a StoreError.

    ``probe`` refuses foreign, undecryptable, newer and quick-check-failing files; ``full`` proves every
    page authentic and every b-tree sound instead (``esncoach.store.verify``: what each check costs).
    """
    if full:
        return verify_copy(path, key)
    return probe(path, key, quick_check=True) or ""


def _copy_snapshot(source: Path, key: KeyMaterial, target: Path) -> None:
    """A consistent copy of ``source`` into a new single file ``target``, by copying its encrypted bytes.

    The backup API decrypts and re-encrypts every page (20× a file copy); the pages need neither, the
    backup has the same key. The bytes are copied while a read transaction holds a snapshot: in WAL mode
    a reader keeps the WAL from being restarted and checkpoints from writing past its snapshot (a reader
    of the file alone blocks them entirely), so the file plus the WAL copied now replays to that snapshot
    or to a later whole commit; WAL recovery ignores a half-written trailing frame. In rollback-journal
    mode the reader's shared lock keeps writers out. Opening the copy folds its WAL in and makes it a
    rollback-journal file, self-contained like the backup API's copy was.
    """
    import shutil

    wal = source.with_name(source.name + "-wal")
    target_wal = target.with_name(target.name + "-wal")
    src = connect(source, key)
    try:
        src.execute("BEGIN")
        src.execute("SELECT count(*) FROM sqlite_master").fetchone()  # the read snapshot starts here
        for origin, copy in ((source, target), (wal, target_wal)):
            if copy is target or (origin.exists() and origin.stat().st_size > 0):
                os.close(os.open(copy, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))  # never readable by others
                shutil.copyfile(origin, copy)
    finally:
        src.close()  # ends the read transaction
    dst = connect(target, key)
    try:
        dst.execute("PRAGMA journal_mode = DELETE")  # checkpoints the copied WAL into the file, removes it
    finally:
        dst.close()
    for leftover in (target_wal, target.with_name(target.name + "-shm")):
        leftover.unlink(missing_ok=True)


def create_backup(
    db_path: Path,
    key: KeyMaterial,
    *,
    folder: Path | None = None,
    reason: str = "manual",
    now: dt.datetime | None = None,
    progress: ProgressSink = no_progress,
) -> BackupInfo:
    """Take a verified encrypted backup of the file at ``db_path`` and return it; raises StoreError.

    Works on an open workspace (its own connection reads a snapshot) and on a closed one; never writes
    to ``db_path``.
    """
    import sqlcipher3

    db_path = Path(db_path)
    folder = Path(folder) if folder else default_folder(db_path)
    taken_at = now or utcnow()
    progress(0, 3, "Copying the workspace")
    key = file_key(db_path, key)  # one key derivation for the copy's three connections, not three
    with _folder_lock(folder):
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as exc:
            raise StoreError(f"Cannot create the backups folder {folder}: {exc.strerror or exc}.") from None
        # Leftovers of a backup killed half-way (only this process backs this file up: it holds the lock).
        for stale in folder.glob(f"*{PART_SUFFIX}"):
            match = _NAME_RE.match(stale.name[: -len(PART_SUFFIX)])
            if match and match["stem"] == db_path.stem and (match["suffix"] or "") == db_path.suffix:
                _remove(stale)
        final = folder / backup_name(db_path, taken_at, reason)
        while final.exists():  # two backups in one microsecond (tests with a fixed clock)
            taken_at += dt.timedelta(microseconds=1)
            final = folder / backup_name(db_path, taken_at, reason)
        part = final.with_name(final.name + PART_SUFFIX)
        try:
            _remove(part)
            _copy_snapshot(db_path, key, part)
            os.chmod(part, 0o600)
            progress(1, 3, "Checking the backup")
            _verify_while_syncing(part, key)
            progress(2, 3, "Saving the backup")
            os.replace(part, final)
            _fsync_path(folder, directory=True)
        except StoreError as exc:
            _remove(part)
            raise StoreError(f"The backup could not be verified, so it was discarded: {exc}") from None
        except (sqlcipher3.DatabaseError, OSError) as exc:
            _remove(part)
            why = describe_db_error(exc, final) or (
                f"{exc.strerror or exc}" if isinstance(exc, OSError) else f"Could not write the backup: {exc}."
            )
            raise StoreError(f"No backup was made. {why} The workspace itself was not changed.") from None
        except BaseException:
            _remove(part)
            raise
    return BackupInfo(final, taken_at, reason, final.stat().st_size)


def _remove(path: Path) -> None:
    for candidate in (path, *(path.with_name(path.name + s) for s in ("-journal", "-wal", "-shm"))):
        try:
            candidate.unlink()
        except FileNotFoundError:
            pass
        except OSError:
            pass  # best effort: a leftover .part is ignored by list_backups and replaced next time


def configured_folder(db_path: Path, key: KeyMaterial) -> Path:
    """The backups folder for a closed file: its ``backup.folder`` setting read with plain SQL, or the default.

    Used before a migration, when the ORM cannot be trusted with the old schema yet.
    """
    import json

    import sqlcipher3

    try:
        conn = connect(db_path, key)
        try:
            row = conn.execute("SELECT value_json FROM workspace_setting WHERE key = ?", (FOLDER_SETTING,)).fetchone()
        finally:
            conn.close()
        value = json.loads(row[0]) if row else ""
    except (sqlcipher3.DatabaseError, ValueError):
        value = ""
    return Path(value).expanduser() if isinstance(value, str) and value else default_folder(db_path)


def pre_migration_backup(db_path: Path, key: KeyMaterial, revision: str | None) -> Path:
    """The ``before_migration`` hook of ``open_store``: a verified backup, or no upgrade at all."""
    info = create_backup(db_path, key, folder=configured_folder(db_path, key), reason="before-migration")
    return info.path


# --- thinning -------------------------------------------------------------------------------------


def backups_to_remove(
    backups: Iterable[BackupInfo], *, daily: int, weekly: int, monthly: int, now: dt.datetime
) -> list[BackupInfo]:
    """Which backups thinning deletes, the way Anki thins: newest first, every backup of today is kept,
    then the newest of each of ``daily`` earlier days, then of ``weekly`` ISO weeks, then of ``monthly``
    months; a day, week or month already represented by a kept backup gets no second one."""
    remaining = {"daily": max(daily, 0), "weekly": max(weekly, 0), "monthly": max(monthly, 0)}
    last: dict[str, object] = {"daily": None, "weekly": None, "monthly": None}
    remove: list[BackupInfo] = []
    for backup in sorted(backups, key=lambda b: b.taken_at, reverse=True):
        day = backup.taken_at.date()
        keys = {"daily": day, "weekly": tuple(day.isocalendar())[:2], "monthly": (day.year, day.month)}
        if day >= now.date():
            kept = True
        else:
            kept = False
            for tier in ("daily", "weekly", "monthly"):
                if remaining[tier]:
                    if keys[tier] != last[tier]:
                        remaining[tier] -= 1
                        kept = True
                    break
        if kept:
            last.update(keys)
        else:
            remove.append(backup)
    return remove


def thin_backups(
    folder: Path, db_path: Path, *, daily: int, weekly: int, monthly: int, now: dt.datetime | None = None
) -> list[Path]:
    """Delete the backups ``backups_to_remove`` picks; return the removed paths."""
    removed: list[Path] = []
    with _folder_lock(folder):
        doomed = backups_to_remove(
            list_backups(folder, db_path), daily=daily, weekly=weekly, monthly=monthly, now=now or utcnow()
        )
        for backup in doomed:
            try:
                backup.path.unlink()
                removed.append(backup.path)
            except OSError:
                continue
    return removed


# --- restore --------------------------------------------------------------------------------------


def _check_backup(
    backup: Path, key: KeyMaterial, *, name: str | None = None, check: Callable[[Path, KeyMaterial], str] = verify_copy
) -> str:
    try:
        return check(backup, key)
    except StoreError as exc:
        raise StoreError(f"The backup “{name or backup.name}” cannot be restored: {exc}") from None


def restore_into(
    ws: OpenWorkspace, backup: Path, *, folder: Path | None = None, progress: ProgressSink = no_progress
) -> BackupInfo:
    """Replace the open workspace's data with a backup's, after backing up the current state.

    The backup is checked while the before-restore backup is taken (on two threads; a refused backup
    leaves no before-restore backup behind); the copy into the live file is one SQLite write transaction
    (online backup API), so a crash leaves either the old or the restored data. Returns the pre-restore
    backup.
    """
    import sqlcipher3

    backup = Path(backup)
    progress(0, 3, "Checking the backup and backing up the current state")
    live_key = file_key(ws.path, ws.key)
    before_taken: list[BackupInfo] = []
    before_failed: list[BaseException] = []

    def take_before() -> None:
        try:
            before_taken.append(create_backup(ws.path, live_key, folder=folder, reason="before-restore"))
        except BaseException as exc:  # handed to the caller's thread
            before_failed.append(exc)

    worker = threading.Thread(target=take_before, name="esncoach-before-restore", daemon=True)
    worker.start()
    try:
        backup_key = file_key(backup, ws.key)
        revision = _check_backup(backup, backup_key)
    except BaseException:
        worker.join()
        for made in before_taken:
            _remove(made.path)
        raise
    worker.join()
    if before_failed:
        raise before_failed[0]
    before = before_taken[0]
    progress(2, 3, "Restoring")
    try:
        src = connect(backup, backup_key)
        try:
            dst = connect(ws.path, live_key)
            try:
                src.backup(dst, pages=-1)
            finally:
                dst.close()
        finally:
            src.close()
    except sqlcipher3.DatabaseError as exc:
        why = describe_db_error(exc, ws.path) or f"Could not restore: {exc}."
        raise StoreError(f"{why} The workspace was left as it was.") from None
    if revision != HEAD_REVISION:
        from esncoach.store.database import initialise_or_upgrade

        initialise_or_upgrade(ws.engine, revision)
    ws.engine.dispose()  # pooled connections may cache the old schema; new ones see the restored file
    ws.change_counter += 1
    return before


def restore_file(db_path: Path, key: KeyMaterial, backup: Path) -> Path | None:
    """Put a backup in place of a workspace file that cannot be opened (damaged); return where the
    damaged file was kept (None if there was none). The workspace must not be open anywhere.

    The backup's bytes are copied next to the file and that copy is verified; only then is the damaged
    file moved aside and the copy renamed into place (an atomic replace).
    """
    import shutil

    db_path = Path(db_path).expanduser().resolve()
    backup = Path(backup)
    lock = InstanceLock(db_path)
    lock.acquire(db_path)
    staged = db_path.with_name(db_path.name + ".restoring")
    try:
        try:
            _remove(staged)
            os.close(os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))  # never readable by others
            shutil.copyfile(backup, staged)  # a backup is one self-contained file: no WAL to fold in
            _check_backup(staged, key, name=backup.name, check=_verify_while_syncing)
        except BaseException:
            _remove(staged)  # the damaged file has not been touched yet
            raise
        kept: Path | None = None
        if db_path.exists():
            kept = db_path.with_name(f"{db_path.stem}.damaged-{utcnow().strftime(_STAMP)}{db_path.suffix}")
            os.replace(db_path, kept)
            for side in ("-wal", "-shm"):
                old = db_path.with_name(db_path.name + side)
                if old.exists():
                    # A stale WAL must never be replayed onto the restored file.
                    os.replace(old, kept.with_name(kept.name + side))
        os.replace(staged, db_path)
        _fsync_path(db_path.parent, directory=True)
        return kept
    except OSError as exc:
        raise StoreError(f"Could not restore {db_path.name}: {exc.strerror or exc}.") from None
    finally:
        lock.release()


def describe_backup(info: BackupInfo) -> dict[str, Any]:
    """A JSON-able description for the CLI."""
    return {
        "path": str(info.path),
        "taken_at": info.taken_at.isoformat(timespec="seconds") + "Z",
        "reason": info.reason,
        "size": info.size,
    }
