"""The open workspace: the one handle services receive to reach the data."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from esncoach.store import files
from esncoach.store.database import describe_db_error, open_file
from esncoach.store.errors import StoreError
from esncoach.store.keys import KeyMaterial

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


class Workspace:
    """An open, unlocked workspace file; services open short transactions through ``session()``."""

    is_server = False
    """True for a team workspace on PostgreSQL (no file: no key, lock, WAL or file backups)."""

    def __init__(self, path: Path, engine: Any, lock: Any, key: KeyMaterial) -> None:
        from sqlalchemy import event
        from sqlalchemy.orm import sessionmaker

        self.path = path
        self.engine = engine
        self._lock = lock
        self._key = key
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self.change_counter = 0
        # change_counter at the last backup taken in this process (None: none yet); see services.backup_policy.
        self.backup_change_mark: int | None = None
        self.read_only = False
        """True when the file (or its folder) is not writable: reading works, every change is refused."""
        self._file: files.FileState | None = None
        self._discard_on_error = False
        self._also_discard: Callable[[], object] | None = None
        event.listen(self._sessions, "after_flush", self._on_flush)
        event.listen(self._sessions, "before_flush", self._refuse_if_read_only)

    def _on_flush(self, *_: object) -> None:
        # Counted per flush so backups can tell "something changed since the last one".
        self.change_counter += 1

    def _refuse_if_read_only(self, session: Any, *_: object) -> None:
        # ``dirty`` is optimistic (any attribute set); only a real change is refused, so re-saving the
        # same text (an autosave, say) passes as it would on a writable file.
        if self.read_only and (session.new or session.deleted or any(session.is_modified(o) for o in session.dirty)):
            raise StoreError(self._read_only_sentence())

    def _read_only_sentence(self) -> str:
        return (
            f"“{self.path.name}” is open read-only (the file or its folder is not writable), so the change was "
            "not saved; make it writable (chmod u+w) and open it again to edit."
        )

    @classmethod
    def open(
        cls, path: str | Path, key: KeyMaterial, *, create: bool = True, before_migration: Any = None,
        connect_key: KeyMaterial | None = None,
    ) -> Workspace:
        """Open or create the file at ``path``; raises a StoreError with a user-facing message.

        A ``postgresql://`` URL opens a team workspace instead (``esncoach.store.server``); ``key`` is then
        the login password, or None to let libpq find it (PGPASSWORD, ~/.pgpass).
        ``connect_key``: ``key`` already derived for this file (``store.first_list``), used for its connections
        only; ``key`` stays the one backups and exports are written with.
        """
        if isinstance(path, str) and path.lower().startswith(("postgresql://", "postgres://")):
            from esncoach.store.server import open_server

            return open_server(path, password=getattr(key, "secret", None), create=create)
        if before_migration is None:  # an older file is upgraded only after a verified backup of it
            from esncoach.store.backups import pre_migration_backup as before_migration
        migrate = before_migration if connect_key is None else (lambda p, _k, rev: before_migration(p, key, rev))
        opened = open_file(path, connect_key or key, create=create, before_migration=migrate)
        ws = cls(opened.state.path, opened.engine, opened.lock, key)
        ws.read_only = opened.read_only
        ws._file = opened.state
        return ws

    @property
    def created(self) -> bool:
        """True when this open made a new file (so a command that then fails can take it away again)."""
        return bool(self._file and self._file.created)

    def discard_on_error(self, also: Callable[[], object] | None = None) -> Workspace:
        """Make ``with ws:`` remove the file this open created when the block fails (a refused command
        leaves nothing behind), then call ``also`` (e.g. forget its keyring entry); a workspace that
        already existed is never removed."""
        self._discard_on_error = True
        self._also_discard = also
        return self

    @property
    def key(self) -> KeyMaterial:
        """The key, for code that must open a second file the same way (backups, exports)."""
        return self._key

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: commits on success, rolls back (leaving stored data as it was) on error."""
        session = self._sessions()
        try:
            yield session
            session.commit()
        except BaseException as exc:
            try:
                session.rollback()
            except Exception:  # noqa: BLE001 - a failing disk can fail the rollback too; the first error matters
                session.invalidate()
            # A full disk or failing drive surfaces as a DB-API error; the user gets one sentence instead.
            sentence = describe_db_error(exc, self.path)
            if sentence is not None and self.read_only:
                raise StoreError(self._read_only_sentence()) from exc
            if sentence is not None:
                raise StoreError(sentence + " That change was not saved; everything saved before it is intact.") from exc
            raise
        finally:
            session.close()

    closed: bool = False
    """True once ``close`` ran: callbacks queued before it (a tab filled on the next turn) do nothing then."""

    def close(self) -> None:
        """Release the file: checkpoint the WAL so the single .db file holds everything."""
        self.closed = True
        if self.read_only:
            self.engine.dispose()
            self._lock.release()
            return
        try:
            with self.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        except Exception as exc:  # noqa: BLE001
            # A failed checkpoint loses nothing: committed data stays in the -wal file and the next open
            # replays it. Only errors that are not about the disk are worth raising.
            if describe_db_error(exc, self.path) is None:
                raise
        finally:
            self.engine.dispose()
            self._lock.release()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, exc_type: object, *_: object) -> None:
        self.close()
        if exc_type is not None and self._discard_on_error and self._file is not None and self._file.created:
            files.discard(self._file)
            if self._also_discard is not None:
                self._also_discard()
