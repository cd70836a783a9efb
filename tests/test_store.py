"""The encrypted store's promises: no plaintext on disk, exact passphrase handling, clear refusals."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import sqlcipher3

from esncoach.models import CoachingSession, Exec
from esncoach.services import backup_policy
from esncoach.store import archive
from esncoach.store.database import connect
from esncoach.store.errors import KeyUnavailableError, NewerSchemaError, WorkspaceInUseError, WrongKeyError
from esncoach.store.keys import KeyMaterial, key_from_keyring, passphrase_key
from esncoach.store.workspace import Workspace
from tests.conftest import TEST_PASSPHRASE

CANARY = "Zanzibar-Canary-7319"
NOTE_CANARY = "confidential-note-quokka-4471"


def _files_under(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


def _assert_no_plaintext(folder: Path) -> int:
    scanned = 0
    for path in _files_under(folder):
        if path.name == "passphrase.txt":
            continue
        data = path.read_bytes()
        for needle in (CANARY, NOTE_CANARY):
            for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
                assert needle.encode(encoding) not in data, f"{needle} in clear in {path.name}"
        scanned += 1
    return scanned


def test_no_plaintext_anywhere_on_disk(tmp_path: Path, key: KeyMaterial) -> None:
    import datetime as dt

    path = tmp_path / "w.db"
    ws = Workspace.open(path, key)
    with ws.session() as s:
        e = Exec(name=CANARY, private_notes=NOTE_CANARY * 20)
        s.add(e)
        s.flush()
        s.add(CoachingSession(exec_id=e.id, starts_at=dt.datetime(2026, 1, 1), notes=NOTE_CANARY))
    # While open: the data is in the WAL and the shared-memory index.
    assert (tmp_path / "w.db-wal").stat().st_size > 0
    backup = backup_policy.back_up_now(ws)
    archive.export_archive(ws, tmp_path / "all.esnarchive", passphrase_key("archive pass"))
    archive.export_archive(ws, tmp_path / "one.esnarchive", passphrase_key("archive pass"), exec_id=1)
    scanned = _assert_no_plaintext(tmp_path)
    assert scanned >= 6  # db, -wal, -shm, lock, backup, two archives
    ws.close()
    assert _assert_no_plaintext(tmp_path) >= 4
    assert backup.path.exists()


def test_wrong_key_is_refused_and_file_untouched(tmp_path: Path, key: KeyMaterial) -> None:
    path = tmp_path / "w.db"
    with Workspace.open(path, key) as ws:
        with ws.session() as s:
            s.add(Exec(name="x"))
    before = path.read_bytes()
    wrong = KeyMaterial("raw", "f" * 64)
    with pytest.raises(WrongKeyError) as caught:
        Workspace.open(path, wrong)
    message = str(caught.value)
    assert "key or passphrase is wrong" in message and "Nothing was changed" in message
    assert wrong.secret not in message and key.secret not in message
    assert path.read_bytes() == before
    with pytest.raises(WrongKeyError):
        Workspace.open(path, passphrase_key("not the key"))
    assert path.read_bytes() == before


def test_odd_passphrase_round_trips_and_opens_with_plain_sqlcipher(tmp_path: Path) -> None:
    assert "'" in TEST_PASSPHRASE and "\\" in TEST_PASSPHRASE and not TEST_PASSPHRASE.isascii()
    path = tmp_path / "w.db"
    with Workspace.open(path, passphrase_key(TEST_PASSPHRASE)) as ws:
        with ws.session() as s:
            s.add(Exec(name="Opened by any SQLCipher tool"))
    with Workspace.open(path, passphrase_key(TEST_PASSPHRASE)) as ws:
        with ws.session() as s:
            assert s.query(Exec).one().name == "Opened by any SQLCipher tool"

    def plain(pragma: str | None) -> list[tuple[str]]:
        conn = sqlcipher3.connect(str(path))
        try:
            if pragma is not None:
                conn.execute(pragma)
            return conn.execute("SELECT name FROM exec").fetchall()
        finally:
            conn.close()

    quoted = TEST_PASSPHRASE.replace("'", "''")
    assert plain(f"PRAGMA key = '{quoted}'") == [("Opened by any SQLCipher tool",)]
    for wrong in (None, "PRAGMA key = 'correct horse'", "PRAGMA key = '" + quoted.replace("\\", "\\\\") + "'"):
        with pytest.raises(sqlcipher3.DatabaseError):
            plain(wrong)


def test_second_instance_is_refused(tmp_path: Path, key: KeyMaterial, passphrase_file: Path) -> None:
    path = tmp_path / "w.db"
    ws = Workspace.open(path, key)
    try:
        with pytest.raises(WorkspaceInUseError, match="already open"):
            Workspace.open(path, key)
    finally:
        ws.close()
    # Another process, through the real command line.
    phrase_db = tmp_path / "p.db"
    holder = Workspace.open(phrase_db, passphrase_key(TEST_PASSPHRASE))
    try:
        result = subprocess.run(
            [sys.executable, "-m", "esncoach", "check", "--db", str(phrase_db), "--passphrase-file", str(passphrase_file)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        holder.close()
    assert result.returncode == 2
    assert "already open in another esncoach window or process" in result.stderr
    # Once released, it opens again.
    Workspace.open(path, key).close()


def test_newer_schema_is_refused_byte_identical(tmp_path: Path, key: KeyMaterial) -> None:
    path = tmp_path / "w.db"
    Workspace.open(path, key).close()
    conn = connect(path, key)
    conn.execute("UPDATE alembic_version SET version_num = '0099_tomorrow'")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(NewerSchemaError, match="newer version of esncoach"):
        Workspace.open(path, key)
    assert path.read_bytes() == before


def test_missing_keyring_entry_is_a_clear_message(tmp_path: Path, key: KeyMaterial) -> None:
    path = tmp_path / "w.db"
    Workspace.open(path, key).close()
    with pytest.raises(KeyUnavailableError) as caught:
        key_from_keyring(path, create=False)
    assert "no key for this database" in str(caught.value)
    assert "--passphrase-file" in str(caught.value)
    # Creating a new workspace stores a fresh random key that opens it again.
    new_key = key_from_keyring(tmp_path / "new.db", create=True)
    assert new_key.kind == "raw" and len(new_key.secret) == 64
    assert key_from_keyring(tmp_path / "new.db", create=False) == new_key
