"""The exec list for start-up's first paint, read with one SQL query before SQLAlchemy is imported (#18).

Start-up used to wait for SQLAlchemy, the models and the services (~0.5 s of imports) and for SQLCipher's
passphrase key derivation (~0.12 s) before the window could show its exec list. ``FirstList.start`` runs on
a thread from the first moment: it derives the key once, as SQLCipher 4 does (``store.kdf``: PBKDF2-HMAC-SHA512,
256,000 rounds, the file's 16-byte salt; the GIL is let go meanwhile, so on two cores the window's own imports
run alongside), then reads the rows the list shows with plain sqlcipher3. The derived raw key opens every
later connection to the file in about a millisecond (``Workspace.open(..., connect_key=...)``), so the
passphrase is stretched once per start instead of once per connection. It stays right as long as the file
keeps its salt, which SQLite's backup API (restore) and byte copies do.

Only the plain case takes this path: an existing, writable file at the current schema, not open elsewhere,
its key from a passphrase file or the keyring. Anything else (a new or older file, a wrong passphrase, a lock
held elsewhere) gives None and the usual open runs, with its dialogs and sentences.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from esncoach.store import files
from esncoach.store.keys import KeyMaterial

SALT_BYTES = 16
"""SQLCipher keeps a file's key-derivation salt in its first 16 bytes."""
EXEC_LIST_SQL = """
SELECT e.id, e.name, e.title, e.department, e.email, e.stage, e.archived,
       (SELECT max(s.starts_at) FROM coaching_session s WHERE s.exec_id = e.id AND s.status = :held),
       a.text, a.due
FROM exec e
LEFT JOIN (SELECT exec_id, text, due,
                  row_number() OVER (PARTITION BY exec_id ORDER BY due IS NULL, due, id) AS n
           FROM action_item WHERE NOT done) a ON a.exec_id = e.id AND a.n = 1
"""
"""What ``services.execs.list_execs`` reads with three ORM queries: each exec, its last held session and its most
urgent open action item (dated first, soonest first, then oldest)."""


def domain_enums() -> ModuleType:
    """``esncoach.models.enums`` without running ``esncoach.models``' ``__init__``, which maps every table.

    The module is registered under its own name, so when the ORM loads later it takes this very module:
    ``LadderStage`` is one class for the first paint and for everything after it.
    """
    name = "esncoach.models.enums"
    module = sys.modules.get(name)
    if module is None:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).parent.parent / "models" / "enums.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return module


@dataclass(frozen=True)
class ListedExec:
    """One exec as the list shows it: the fields of ``services.execs.ExecRow`` the list reads, same meaning."""

    id: int
    name: str
    title: str
    department: str
    email: str | None
    stage: Any
    """A ``LadderStage``."""
    archived: bool
    last_session: dt.datetime | None = None
    next_action: str = ""
    next_action_due: dt.date | None = None


@dataclass(frozen=True)
class FirstRead:
    """What the thread found: the file, its key as given and as derived, and the exec list."""

    path: Path
    key: KeyMaterial
    connect_key: KeyMaterial
    rows: list[ListedExec]


def _fold(name: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", name.casefold()) if not unicodedata.combining(c))


def read_exec_list(conn: Any) -> list[ListedExec]:
    """Every exec as ``list_execs`` gives it, in its order, from one query on a DB-API connection."""
    enums = domain_enums()
    stage, held = enums.LadderStage, enums.SessionStatus.HELD.value
    rows = [
        ListedExec(
            id=r[0], name=r[1], title=r[2], department=r[3], email=r[4], stage=stage(r[5]), archived=bool(r[6]),
            last_session=dt.datetime.fromisoformat(r[7]) if r[7] else None,
            next_action=r[8] or "", next_action_due=dt.date.fromisoformat(r[9]) if r[9] else None,
        )
        for r in conn.execute(EXEC_LIST_SQL, {"held": held})
    ]
    return sorted(rows, key=lambda r: (_fold(r.name), r.name, r.id))


def _connect_key(path: Path, key: KeyMaterial) -> KeyMaterial:
    """``key`` as SQLCipher derives it for this file: the raw key followed by the file's salt (a raw key as is)."""
    from esncoach.store.kdf import derive

    if key.kind == "raw":
        return key
    with path.open("rb") as fh:
        salt = fh.read(SALT_BYTES)
    return KeyMaterial("raw", derive(key.secret, salt).hex() + salt.hex())


def _key_for(path: Path, passphrase_file: str | None) -> KeyMaterial | None:
    """The key the usual open would use without asking anyone: the passphrase file's, else the keyring's."""
    from esncoach.store.keys import key_from_keyring, keyring_available, read_passphrase_file

    if passphrase_file:
        return read_passphrase_file(passphrase_file)
    if keyring_available():
        return key_from_keyring(path, create=False)
    return None


def read_first(path: Path | str, passphrase_file: str | None) -> FirstRead | None:
    """Unlock ``path`` and read its exec list if this is the plain case (see the module doc), else None."""
    from esncoach.store.database import connect
    from esncoach.store.schema import HEAD_REVISION

    try:
        state = files.inspect(files.resolve(path), create=False)
        if not state.exists or state.read_only:
            return None
        key = _key_for(state.path, passphrase_file)
        if key is None:
            return None
        lock = files.InstanceLock(state.path, state.identity)
        lock.acquire(state.path)  # open elsewhere: the usual open says so
        lock.release()
        connect_key = _connect_key(state.path, key)
        conn = connect(state.path, connect_key)  # a wrong passphrase fails below: the usual open says why
        try:
            revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            if revision is None or revision[0] != HEAD_REVISION:
                return None  # an upgrade runs first, after a backup: the usual open does both
            rows = read_exec_list(conn)
        finally:
            conn.close()
    except Exception:  # noqa: BLE001 - any refusal (wrong key, damage, a keyring error) is the usual open's to tell
        return None
    return FirstRead(state.path, key, connect_key, rows)


class FirstList:
    """``read_first`` on a thread, started before the GUI toolkit is imported; ``result()`` waits for it."""

    def __init__(self, path: Path | str, passphrase_file: str | None) -> None:
        self._value: FirstRead | None = None
        self._thread = threading.Thread(target=self._run, args=(path, passphrase_file), name="esncoach-first-list",
                                        daemon=True)

    @classmethod
    def start(cls, path: Path | str, passphrase_file: str | None) -> FirstList:
        """Start reading ``path``'s exec list now."""
        first = cls(path, passphrase_file)
        first._thread.start()
        return first

    def _run(self, path: Path | str, passphrase_file: str | None) -> None:
        self._value = read_first(path, passphrase_file)

    def result(self) -> FirstRead | None:
        """The rows and keys, or None when the usual open must run; waits for the thread."""
        self._thread.join()
        return self._value


__all__ = ["EXEC_LIST_SQL", "FirstList", "FirstRead", "ListedExec", "domain_enums", "read_exec_list", "read_first"]
