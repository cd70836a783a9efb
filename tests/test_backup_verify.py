"""The check every backup and restore runs: every page authentic, every table a sound b-tree, the key derived once."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlcipher3
from sqlalchemy import select

from esncoach.models import Exec
from esncoach.store import backups
from esncoach.store.database import connect
from esncoach.store.errors import CorruptDatabaseError, StoreError
from esncoach.store.keys import KeyMaterial, passphrase_key
from esncoach.store.schema import HEAD_REVISION
from esncoach.store.verify import file_key, verify_copy
from esncoach.store.workspace import Workspace

PAGE = 4096


def _small_file(path: Path, key: KeyMaterial) -> None:
    """An encrypted esncoach-looking file whose last pages are free (a big table filled, then emptied)."""
    conn = connect(path, key)
    conn.execute("CREATE TABLE alembic_version (version_num TEXT NOT NULL PRIMARY KEY)")
    conn.execute("INSERT INTO alembic_version VALUES (?)", (HEAD_REVISION,))
    conn.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT)")
    conn.executemany("INSERT INTO note (body) VALUES (?)", [(f"{i} " + "x" * 3000,) for i in range(40)])
    conn.commit()
    conn.execute("CREATE TABLE big (blob BLOB)")
    conn.executemany("INSERT INTO big VALUES (?)", [(bytes(3000),)] * 30)
    conn.commit()
    conn.execute("DELETE FROM big")
    conn.commit()
    assert conn.execute("PRAGMA freelist_count").fetchone()[0] >= 10
    conn.close()


def _flip(path: Path, offset: int) -> None:
    with path.open("r+b") as fh:
        fh.seek(offset)
        byte = fh.read(1)
        fh.seek(offset)
        fh.write(bytes([byte[0] ^ 0x40]))


def _quick_check(path: Path, key: KeyMaterial) -> list[str]:
    conn = connect(path, key)
    try:
        return [r[0] for r in conn.execute("PRAGMA quick_check").fetchall()]
    finally:
        conn.close()


def test_a_sound_copy_passes_and_names_its_schema(tmp_path: Path, key: KeyMaterial) -> None:
    path = tmp_path / "w.db"
    _small_file(path, key)
    assert verify_copy(path, key) == HEAD_REVISION


def test_damage_in_a_free_page_is_found_though_no_table_reads_it(tmp_path: Path, key: KeyMaterial) -> None:
    original = tmp_path / "w.db"
    _small_file(original, key)
    pages = original.stat().st_size // PAGE
    caught_only_by_the_page_check = 0
    for page in range(pages - 5, pages):  # the emptied table's pages, now on the free list
        damaged = tmp_path / f"damaged-{page}.db"
        damaged.write_bytes(original.read_bytes())
        _flip(damaged, page * PAGE + PAGE // 2)
        with pytest.raises(CorruptDatabaseError, match="is damaged"):
            verify_copy(damaged, key)
        if _quick_check(damaged, key) == ["ok"]:
            caught_only_by_the_page_check += 1
    assert caught_only_by_the_page_check >= 1  # a structural check alone would have passed it


def test_a_broken_constraint_in_authentic_pages_is_found(tmp_path: Path, key: KeyMaterial) -> None:
    path = tmp_path / "w.db"
    _small_file(path, key)
    conn = connect(path, key)
    conn.execute("INSERT INTO note (body) VALUES (NULL)")
    conn.commit()
    # Rewrite the schema behind SQLite's back: every page stays exactly as SQLCipher wrote it.
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("UPDATE sqlite_schema SET sql = 'CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT NOT NULL)' "
                 "WHERE name = 'note'")
    conn.commit()
    conn.close()
    check = connect(path, key)
    assert check.execute("PRAGMA cipher_integrity_check").fetchall() == []
    check.close()
    with pytest.raises(CorruptDatabaseError, match="NULL value in note.body"):
        verify_copy(path, key)


def test_a_wrong_key_is_refused_before_any_check(tmp_path: Path, key: KeyMaterial) -> None:
    path = tmp_path / "w.db"
    _small_file(path, key)
    with pytest.raises(StoreError, match="could not be opened"):
        verify_copy(path, KeyMaterial("raw", "ab" * 32))


def test_a_passphrase_is_derived_once_and_backups_still_open_with_it(tmp_path: Path) -> None:
    phrase = passphrase_key("correct horse büttery staple")
    path = tmp_path / "w.db"
    with Workspace.open(path, phrase) as ws:
        with ws.session() as s:
            s.add(Exec(name="Passphrase Canary"))
        derived = file_key(ws.path, phrase)
        assert derived.kind == "raw" and len(derived.secret) == 96  # key and salt
        info = backups.create_backup(ws.path, phrase, folder=tmp_path / "b")
    # The backup opens in any SQLCipher tool with the passphrase itself (same salt, default settings).
    bare = sqlcipher3.connect(str(info.path))
    bare.execute("PRAGMA key = 'correct horse büttery staple'")
    assert bare.execute("SELECT name FROM exec").fetchall() == [("Passphrase Canary",)]
    bare.close()
    assert verify_copy(info.path, derived) == HEAD_REVISION
    # A damaged workspace restored from it opens with the passphrase again.
    path.write_bytes(b"\0" * 8192)
    backups.restore_file(path, phrase, info.path)
    with Workspace.open(path, phrase) as ws, ws.session() as s:
        assert list(s.scalars(select(Exec.name))) == ["Passphrase Canary"]


def test_a_damaged_backup_is_not_restored_over_a_damaged_file(tmp_path: Path, key: KeyMaterial) -> None:
    path = tmp_path / "w.db"
    with Workspace.open(path, key) as ws:
        with ws.session() as s:
            s.add(Exec(name="Only in the backup"))
        info = backups.create_backup(ws.path, key, folder=tmp_path / "b")
    _flip(info.path, 2 * PAGE + 100)
    path.write_bytes(b"\0" * 8192)
    with pytest.raises(StoreError, match="cannot be restored"):
        backups.restore_file(path, key, info.path)
    assert path.read_bytes() == b"\0" * 8192  # the damaged file is where it was, untouched
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b", "w.db"]  # no staged copy left behind


def test_a_passphrase_backup_derives_the_key_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import hashlib

    from esncoach.store import verify

    phrase = passphrase_key("one derivation is enough")
    path = tmp_path / "w.db"
    with Workspace.open(path, phrase):
        pass
    calls: list[int] = []
    real = hashlib.pbkdf2_hmac

    def counting(*args: object, **kwargs: object) -> bytes:
        calls.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(verify.hashlib, "pbkdf2_hmac", counting)
    info = backups.create_backup(path, phrase, folder=tmp_path / "b")
    assert len(calls) == 1  # copy, fold-in, probe and both checks all use the derived raw key
    assert verify_copy(info.path, phrase) == HEAD_REVISION


def test_a_failed_before_restore_backup_stops_the_restore(ws: Workspace, key: KeyMaterial, tmp_path: Path) -> None:
    with ws.session() as s:
        s.add(Exec(name="In the backup"))
    good = backups.create_backup(ws.path, key, folder=tmp_path / "b")
    with ws.session() as s:
        s.add(Exec(name="Added later"))
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the before-restore backups would go")
    with pytest.raises(StoreError, match="backups folder"):
        backups.restore_into(ws, good.path, folder=blocked)
    with ws.session() as s:
        assert list(s.scalars(select(Exec.name).order_by(Exec.id))) == ["In the backup", "Added later"]
