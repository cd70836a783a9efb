"""Proof that a copy of a workspace file opens with its key and is sound: what every backup and restore runs.

A backup is a byte copy of the encrypted file, so its check is most of its cost; ``bench/backup.py`` times
each candidate on a 52 MB and a 59 MB workspace (2-core machine, medians; ×: a plain file copy, 33-40 ms):

- ``PRAGMA integrity_check`` (what backups ran until now): 1.0-2.5 s, 30-65×. Its index-against-table
  cross-check is O(N log N), and on a text-heavy workspace FTS5's own check (re-tokenising every document
  to compare with the search index) is 70% of it. A larger cache, ``temp_store = MEMORY`` or mmap do not
  change it (SQLCipher does not memory-map encrypted files; 64 MB of cache is already the whole file).
- ``PRAGMA quick_check`` on the whole file: O(N), but the FTS5 check still runs (SQLite calls the
  module's ``xIntegrity`` in quick mode too): 0.45-1.0 s.
- ``PRAGMA quick_check(<table>)`` for every stored table (the search index's shadow tables included):
  0.25-0.4 s. Each page of each b-tree is read, so SQLCipher decrypts it and checks its HMAC; the b-tree
  structure, overflow chains, records and NOT NULL constraints are checked. Left out: FTS5's consistency
  check of the index against its content (derived data: ``search_index('rebuild')`` restores it) and the
  file-wide page accounting (a page no tree uses, or two trees use).
- ``PRAGMA cipher_integrity_check``: the HMAC of every page of the file, free pages included, without
  decrypting them: 0.17-0.3 s (Python's SHA-512 over the same bytes alone takes ~2×a file copy).

Used here: open with the key (``probe``: the schema is esncoach's and known), then ``quick_check`` per stored
table and ``cipher_integrity_check`` on two connections at once (both wait in SQLite with the GIL released,
so on two cores the check costs the longer of the two). Every page is thus proven to be exactly what
SQLCipher wrote with this key, and every table and index to be a well-formed b-tree.

A passphrase is stretched by SQLCipher's 256,000-round PBKDF2 on every connection (~125-200 ms each);
``file_key`` runs it once per file and hands out the derived raw key (``x'<key><salt>'``), which opens that
file, and its byte copies, at once.
"""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path
from typing import Any

from esncoach.store.database import connect, probe
from esncoach.store.errors import CorruptDatabaseError
from esncoach.store.keys import KeyMaterial

SALT_BYTES = 16
KDF_ROUNDS = 256_000
"""SQLCipher 4's default PBKDF2-HMAC-SHA512 settings, which workspaces and archives use unchanged."""
CHECK_CACHE_KIB = 65536
"""Page cache for the structural check: the whole bench file fits, so no page is decrypted twice."""


def file_key(path: Path, key: KeyMaterial) -> KeyMaterial:
    """The raw key SQLCipher derives from ``key`` for this file (its salt), or ``key`` if it is raw already.

    Falls back to the passphrase itself when the derived key does not open the file (other KDF settings).
    """
    import sqlcipher3

    if key.kind != "passphrase":
        return key
    try:
        with Path(path).open("rb") as fh:
            salt = fh.read(SALT_BYTES)
    except OSError:
        return key
    if len(salt) < SALT_BYTES:
        return key
    derived = hashlib.pbkdf2_hmac("sha512", key.secret.encode("utf-8"), salt, KDF_ROUNDS, 32)
    raw = KeyMaterial("raw", derived.hex() + salt.hex())
    try:
        conn = connect(path, raw)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            conn.close()
    except sqlcipher3.DatabaseError:
        return key
    return raw


def _stored_tables(conn: Any) -> list[str]:
    # Virtual tables have no b-tree of their own (rootpage 0); their shadow tables are ordinary ones.
    rows = conn.execute("SELECT name FROM sqlite_schema WHERE type = 'table' AND rootpage > 0 ORDER BY rootpage")
    return ["sqlite_schema", *(r[0] for r in rows)]


def _structure_problems(conn: Any) -> list[str]:
    conn.execute(f"PRAGMA cache_size = -{CHECK_CACHE_KIB}")
    problems: list[str] = []
    for name in _stored_tables(conn):
        quoted = name.replace("'", "''")
        found = [r[0] for r in conn.execute(f"PRAGMA quick_check('{quoted}')").fetchall()]
        if found != ["ok"]:
            problems.extend(found)
    return problems


def _page_problems(path: Path, key: KeyMaterial) -> list[str]:
    conn = connect(path, key)
    try:
        return [str(r[0]) for r in conn.execute("PRAGMA cipher_integrity_check").fetchall()]
    finally:
        conn.close()


def verify_copy(path: Path, key: KeyMaterial) -> str:
    """Prove a workspace or backup file opens with ``key`` and is sound; return its schema revision.

    Raises the StoreError ``probe`` raises for a foreign, undecryptable or newer file, and
    CorruptDatabaseError for a page or a b-tree that fails its check. Read-only.
    """
    import sqlcipher3

    path = Path(path)
    key = file_key(path, key)
    kept: list[Any] = []
    revision = probe(path, key, quick_check=False, keep=kept)
    conn = kept[0]
    pages: list[str] = []
    failure: list[BaseException] = []

    def check_pages() -> None:
        try:
            pages.extend(_page_problems(path, key))
        except BaseException as exc:  # handed to the caller's thread
            failure.append(exc)

    worker = threading.Thread(target=check_pages, name="esncoach-verify-pages", daemon=True)
    worker.start()
    try:
        structure = _structure_problems(conn)
    except sqlcipher3.DatabaseError as exc:
        structure = [str(exc)]
    finally:
        worker.join()
        conn.close()
    for exc in failure:
        if isinstance(exc, sqlcipher3.DatabaseError):
            pages.append(str(exc))
        else:
            raise exc
    problems = structure + pages
    if problems:
        raise CorruptDatabaseError(f"“{path.name}” is damaged ({_first_line(problems[0])}).")
    return revision or ""


def _first_line(text: str, limit: int = 160) -> str:
    line = next((part.strip() for part in text.splitlines() if part.strip() and not part.startswith("***")), text)
    return line if len(line) <= limit else line[: limit - 1] + "…"
