"""Open (or create) an encrypted workspace file safely.

Everything that could go wrong is checked read-only before anything is written, so a wrong key, a
foreign file or one from a newer esncoach is refused with the file left byte-for-byte untouched.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from esncoach.store import files
from esncoach.store.errors import (
    CorruptDatabaseError,
    NewerSchemaError,
    NotEsncoachError,
    StoreError,
    WrongKeyError,
)
from esncoach.store.files import InstanceLock
from esncoach.store.keys import KeyMaterial
from esncoach.store.schema import HEAD_REVISION, KNOWN_REVISIONS

PLAIN_SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000


def connect(path: Path, key: KeyMaterial, *, read_only: bool = False) -> Any:
    """A DB-API connection to the file, unlocked with the key and set up with our pragmas.

    ``read_only`` opens it as immutable: SQLite then writes nothing, not even the ``-wal``/``-shm`` files a
    read of a WAL database would otherwise create (and leave behind read-only, breaking a later writer).
    A file we may not write is always opened that way, whoever asks (backups, archives, checks).
    """
    import sqlcipher3

    if read_only or files.is_read_only(path):
        uri = Path(path).absolute().as_uri() + "?immutable=1"
        conn = sqlcipher3.connect(uri, uri=True, check_same_thread=False)
    else:
        conn = sqlcipher3.connect(str(path), check_same_thread=False)
    try:
        # SQLCipher otherwise prints decryption failures to stderr; we report them ourselves.
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(key.pragma())
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = FULL")
    except Exception:
        conn.close()
        raise
    return conn


def _describe(path: Path) -> str:
    return f"“{path.name}”"


def _wrong_key(path: Path) -> WrongKeyError:
    return WrongKeyError(
        f"{_describe(path)} could not be opened: the key or passphrase is wrong, or the file is not "
        "an esncoach workspace or is damaged. Nothing was changed."
    )


def _unreadable(path: Path, exc: BaseException) -> StoreError:
    """A wrong key and a damaged header look the same to SQLCipher; a failing disk does not."""
    text = str(exc).lower()
    if "i/o error" in text:
        return StoreError(f"{_describe(path)} could not be read: the disk reported an I/O error. Nothing was changed.")
    return _wrong_key(path)


def _detail(text: object, limit: int = 160) -> str:
    """SQLite's integrity reports run to many lines; a refusal is one line, so keep the start of it."""
    flat = "; ".join(part.strip() for part in str(text).splitlines() if part.strip())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _damaged(path: Path, exc: BaseException) -> StoreError:
    if "i/o error" in str(exc).lower():
        return _unreadable(path, exc)
    return CorruptDatabaseError(
        f"{_describe(path)} is damaged ({_detail(exc)}). Nothing was changed; restore it from a backup."
    )


def probe(
    path: Path, key: KeyMaterial, *, quick_check: bool = True, keep: list[Any] | None = None, read_only: bool = False
) -> str | None:
    """Check an existing file read-only; return its schema revision or raise a StoreError.

    ``quick_check=False`` skips the page walk, for callers that run the full ``integrity_check`` next.
    ``keep``: on success the open connection is appended to it instead of closed, so the engine can reuse
    it (a passphrase costs ~125 ms of key derivation per connection).
    """
    import sqlcipher3

    with path.open("rb") as fh:
        header = fh.read(16)
    if header == PLAIN_SQLITE_HEADER:
        raise NotEsncoachError(
            f"{_describe(path)} is an unencrypted SQLite file, not an esncoach workspace. Nothing was changed."
        )
    try:
        conn = connect(path, key, read_only=read_only)
    except sqlcipher3.DatabaseError as exc:
        raise _unreadable(path, exc) from None
    try:
        try:
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        except sqlcipher3.DatabaseError as exc:
            raise _unreadable(path, exc) from None
        if "alembic_version" not in tables:
            raise NotEsncoachError(f"{_describe(path)} is not an esncoach workspace. Nothing was changed.")
        try:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlcipher3.DatabaseError as exc:
            raise _damaged(path, exc) from None
        revision = row[0] if row else None
        if revision is None:
            raise CorruptDatabaseError(
                f"{_describe(path)} has no schema version (damaged?). Nothing was changed; restore it from a backup."
            )
        if revision not in KNOWN_REVISIONS:
            raise NewerSchemaError(
                f"{_describe(path)} was written by a newer version of esncoach (schema {revision}). "
                "Install the newer esncoach to open it. Nothing was changed."
            )
        if not quick_check:
            if keep is not None:
                keep.append(conn)
                conn = None
            return revision
        try:
            check = conn.execute("PRAGMA quick_check").fetchall()
        except sqlcipher3.DatabaseError as exc:
            raise _damaged(path, exc) from None
        if check != [("ok",)]:
            raise CorruptDatabaseError(
                f"{_describe(path)} is damaged ({_detail(check[0][0])}). Nothing was changed; restore it from a backup."
            )
        if keep is not None:
            keep.append(conn)
            conn = None
        return revision
    finally:
        if conn is not None:
            conn.close()


def describe_db_error(exc: BaseException, path: Path) -> str | None:
    """A user-facing sentence for a disk-level SQLite failure (disk full, I/O error, read-only), else None."""
    import sqlcipher3

    orig = getattr(exc, "orig", exc)
    if not isinstance(orig, sqlcipher3.DatabaseError):
        return None
    text = str(orig).lower()
    if "disk is full" in text:
        why = "the disk is full"
    elif "disk i/o error" in text:
        why = "the disk reported an I/O error"
    elif "readonly" in text or "read-only" in text:
        why = "the file is read-only"
    elif "locked" in text or "busy" in text:
        why = "another program is holding it locked"
    elif "malformed" in text or "not a database" in text:
        why = "it is damaged (restore it from a backup)"
    else:
        return None
    return f"Could not write to {_describe(path)}: {why}."


def make_engine(path: Path, key: KeyMaterial, *, reuse: list[Any] | None = None, read_only: bool = False) -> Any:
    """A SQLAlchemy engine whose connections come from ``connect``; the URL holds no secret.

    Connections in ``reuse`` (already keyed, e.g. the probe's) are handed out before new ones are made.
    """
    import sqlcipher3
    from sqlalchemy import create_engine
    from sqlalchemy.pool import QueuePool

    spare = reuse if reuse is not None else []

    def creator() -> Any:
        return spare.pop() if spare else connect(path, key, read_only=read_only)

    return create_engine(
        "sqlite+pysqlite://",
        creator=creator,
        module=sqlcipher3.dbapi2,
        poolclass=QueuePool,
        pool_size=2,
        max_overflow=4,
    )


def initialise_or_upgrade(engine: Any, revision: str | None) -> None:
    """Bring the file to the head schema: WAL journal first, then any pending migrations."""
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA journal_mode = WAL")
    if revision == HEAD_REVISION:
        return
    from esncoach.store.migrate import upgrade_to_head

    with engine.begin() as conn:
        upgrade_to_head(conn)


@dataclass
class OpenedFile:
    """What ``open_file`` hands back: the engine, the held lock, and how the file was opened."""

    engine: Any
    lock: InstanceLock
    read_only: bool
    state: files.FileState


def _stale_wal_refusal(path: Path) -> None:
    # An immutable open would silently ignore those changes; reading them needs a writable -shm.
    if files.stale_wal(path):
        raise StoreError(
            f"{_describe(path)} is read-only and its -wal file holds changes not yet written into it; make the "
            "file and its folder writable (chmod u+w) and open it once to fold them in. Nothing was changed."
        )


def _read_only_refusal(state: files.FileState, revision: str | None) -> None:
    path = state.path
    if revision != HEAD_REVISION:
        raise StoreError(
            f"{_describe(path)} is read-only and was made by an older esncoach; make it writable (chmod u+w) "
            "so it can be upgraded. Nothing was changed."
        )


def open_file(
    path: str | Path,
    key: KeyMaterial,
    *,
    create: bool = True,
    before_migration: Callable[[Path, KeyMaterial, str | None], Any] | None = None,
) -> OpenedFile:
    """Open or create the workspace file; raise a StoreError (one sentence) if refused.

    Every check (symlink loop, folder, hard links, permissions, empty file) runs before anything is
    created. A new file is created owner-only; an existing one is tightened to owner-only. A file we may
    not write (its own ``u+w`` bit or its folder's) opens read-only and immutable, leaving no sidecars.
    ``before_migration(path, key, revision)`` runs before an older file is upgraded and a failure stops the
    upgrade with the file untouched; ``Workspace.open`` passes a verified encrypted backup
    (``esncoach.store.backups.pre_migration_backup``), which this lower layer may not import.
    """
    import sqlcipher3

    state = files.inspect(files.resolve(path), create=create)
    path = state.path
    if not state.exists:
        files.create_file(state)
    lock = InstanceLock(path, state.identity)
    try:
        lock.acquire(path)
    except BaseException:
        files.discard(state)
        raise
    spare: list[Any] = []
    try:
        if state.exists:
            # Re-checked under the lock: the name may have gained a link or changed file meanwhile.
            again = files.inspect(path, create=False)
            if again.identity != state.identity:
                raise StoreError(f"{_describe(path)} was replaced while it was being opened; open it again.")
            files.tighten(path, repair_only=True)
        read_only = state.read_only
        if read_only:
            _stale_wal_refusal(path)
        revision = probe(path, key, keep=spare, read_only=read_only) if state.exists else None
        if state.exists:  # known to be a workspace now: owner-only from here on
            files.tighten(path)
        if read_only:
            _read_only_refusal(state, revision)
            return OpenedFile(make_engine(path, key, reuse=spare, read_only=True), lock, True, state)
        if state.exists and revision != HEAD_REVISION and before_migration is not None:
            before_migration(path, key, revision)
        engine = make_engine(path, key, reuse=spare)
        try:
            initialise_or_upgrade(engine, revision)
        except sqlcipher3.DatabaseError as exc:
            engine.dispose()
            raise StoreError(describe_db_error(exc, path) or f"Cannot write to {_describe(path)}: {exc}.") from None
        except Exception as exc:  # SQLAlchemy wraps DB-API errors; unwrap for one clear sentence
            engine.dispose()
            orig = getattr(exc, "orig", None)
            if isinstance(orig, sqlcipher3.DatabaseError):
                raise StoreError(describe_db_error(orig, path) or f"Cannot write to {_describe(path)}: {orig}.") from None
            raise
        return OpenedFile(engine, lock, False, state)
    except BaseException:
        for conn in spare:
            conn.close()
        lock.release()
        files.discard(state)
        raise


def open_store(
    path: str | Path,
    key: KeyMaterial,
    *,
    create: bool = True,
    before_migration: Callable[[Path, KeyMaterial, str | None], Any] | None = None,
) -> tuple[Any, InstanceLock]:
    """``open_file`` for callers that need only (engine, lock)."""
    opened = open_file(path, key, create=create, before_migration=before_migration)
    return opened.engine, opened.lock
