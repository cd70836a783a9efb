"""Proof that a copy of a workspace file opens with its key and is sound: what every backup and restore runs.

A backup is a byte copy of the encrypted file (1.8-2.6× a plain file copy), so its check is most of its
cost. ``bench/backup.py`` times each candidate on the same copy (medians of 5, 2-core machine shared at load
5-20; text-heavy 52.6 MB / large 59.5 MB; ×: a plain file copy, 37 / 40 ms):

==========================================  ====================  =====================================
check                                       ms (text / large)     what it proves
==========================================  ====================  =====================================
``integrity_check`` (used until now)        1963 / 3888 (53×/98×)  everything below, plus every index
                                                                   against its table (O(N log N))
``quick_check``, whole file                 1432 / 953  (39×/24×)  b-trees, page accounting, and FTS5's
                                                                   own check (re-tokenises every
                                                                   document: 75% of the text file's)
``quick_check(<table>)``, every table       347 / 650   (9×/16×)   b-trees, overflow chains, records,
                                                                   NOT NULL; every page read is
                                                                   decrypted, so its HMAC is checked
  the same on an unencrypted copy           112 / 529              page decryption is 68% / 19% of it
``cipher_integrity_check``                  281 / 227   (8×/6×)    every page's HMAC, free pages too
SHA-512 of every byte (Python, the floor)   168 / 81    (5×/2×)    nothing: what hashing alone costs
==========================================  ====================  =====================================

A 64 MB or 256 MB page cache and ``temp_store = MEMORY`` leave ``integrity_check`` where it is, and
SQLCipher never memory-maps an encrypted file.

Used here: ``probe`` (opens with the key; the schema is esncoach's and known), then ``quick_check`` of every
stored table (the search index's shadow tables included) on one connection while ``cipher_integrity_check``
runs on a second; both wait inside SQLite with the GIL released, so with two free cores the check costs the
longer of the two (on this shared machine serial and parallel measured the same within noise). Every page
is thus proven to be exactly what SQLCipher wrote with this key, and every table and index a well-formed
b-tree. Given up against ``integrity_check``: indexes compared with their tables, FTS5's index compared with
its content (derived data, restored by ``INSERT INTO search_index(search_index) VALUES ('rebuild')``), and
the file-wide page accounting (a page no tree uses, or two trees use). ``esncoach check`` still runs the
full ``integrity_check``. With these checks a verified backup cannot go below the snapshot copy plus the
longer check, 12× / 18× a file copy here (the bench prints this floor): #18's 5× is out of reach for a check
that decrypts every page, when hashing every byte alone already takes 2-5×.

A passphrase is stretched by SQLCipher's 256,000-round PBKDF2 on every connection (270-410 ms here);
``file_key`` runs it once per passphrase and salt in a process and hands out the derived raw key
(``x'<key><salt>'``), which opens that file, and its byte copies, at once.
"""

from __future__ import annotations

import functools
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
    raw = KeyMaterial("raw", _derive(key.secret, salt).hex() + salt.hex())
    try:
        conn = connect(path, raw)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            conn.close()
    except sqlcipher3.DatabaseError:
        return key
    return raw


@functools.lru_cache(maxsize=8)
def _derive(passphrase: str, salt: bytes) -> bytes:
    # Kept for the process: a workspace's backups, its restores and their byte copies share its salt, and
    # the passphrase itself stays in memory with the open workspace anyway.
    return hashlib.pbkdf2_hmac("sha512", passphrase.encode("utf-8"), salt, KDF_ROUNDS, 32)


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
