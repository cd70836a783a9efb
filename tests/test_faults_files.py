"""Damaged, foreign and too-new files: a clear refusal, the file byte-for-byte untouched, never a crash."""

from __future__ import annotations

import hashlib
import random
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from esncoach.cli import main
from esncoach.models import Exec
from esncoach.store import backups
from esncoach.store.database import connect
from esncoach.store.errors import StoreError
from esncoach.store.workspace import Workspace
from tests.conftest import TEST_KEY, MemoryKeyring

pytestmark = pytest.mark.slow

PAGE = 4096


@pytest.fixture(scope="module")
def good_file(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A closed, checkpointed workspace with a few pages of real data and no free pages."""
    path = tmp_path_factory.mktemp("good") / "w.db"
    with Workspace.open(path, TEST_KEY) as ws:
        with ws.session() as s:
            for i in range(30):
                s.add(Exec(name=f"Exec {i}", private_notes="notes " * 200))
    conn = connect(path, TEST_KEY)
    assert conn.execute("PRAGMA freelist_count").fetchone()[0] == 0
    conn.close()
    data = path.read_bytes()
    assert len(data) >= 10 * PAGE
    return data


def _truncate(at: Callable[[int], int]) -> Callable[[bytes], bytes]:
    return lambda data: data[: at(len(data))]


def _flip(at: Callable[[int], int]) -> Callable[[bytes], bytes]:
    def damage(data: bytes) -> bytes:
        out = bytearray(data)
        out[at(len(data))] ^= 0x01
        return bytes(out)

    return damage


RNG = random.Random(4)
CORRUPTIONS: dict[str, Callable[[bytes], bytes]] = {
    "truncated-to-100-bytes": _truncate(lambda n: 100),
    "truncated-mid-first-page": _truncate(lambda n: PAGE - 1),
    "truncated-to-one-page": _truncate(lambda n: PAGE),
    "truncated-to-half": _truncate(lambda n: (n // PAGE // 2) * PAGE),
    "truncated-last-page": _truncate(lambda n: n - PAGE),
    "truncated-mid-last-page": _truncate(lambda n: n - PAGE // 2),
    "flip-salt": _flip(lambda n: 3),
    "flip-page-1-content": _flip(lambda n: 100),
    "flip-page-1-hmac": _flip(lambda n: PAGE - 5),
    "flip-page-2": _flip(lambda n: PAGE + 1000),
    "flip-middle-page": _flip(lambda n: (n // PAGE // 2) * PAGE + 2000),
    "flip-last-byte": _flip(lambda n: n - 1),
    **{f"flip-random-{i}": _flip(lambda n, r=RNG.random(): int(r * n)) for i in range(8)},
    "all-zeros": lambda data: bytes(len(data)),
    "all-0xff": lambda data: b"\xff" * len(data),
    "random-noise": lambda data: random.Random(1).randbytes(len(data)),
    "text-file": lambda data: b"Dear diary,\n" * 500,
    "header-only": lambda data: b"SQLite format 3\x00",
}


def _assert_refused(path: Path, *, create: bool = False) -> StoreError:
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(StoreError) as caught:
        Workspace.open(path, TEST_KEY, create=create)
    message = str(caught.value)
    assert message and "Traceback" not in message and TEST_KEY.secret not in message
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    return caught.value


@pytest.mark.parametrize("name", list(CORRUPTIONS))
def test_damaged_file_is_refused_untouched(name: str, good_file: bytes, tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    path.write_bytes(CORRUPTIONS[name](good_file))
    error = _assert_refused(path)
    assert "Nothing was changed" in str(error) or "restore" in str(error).lower()
    # create=True must not "repair" it by making a new workspace over it either.
    _assert_refused(path, create=True)


def test_damaged_file_refused_by_cli_check(good_file: bytes, tmp_path: Path, memory_keyring: MemoryKeyring,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "w.db"
    path.write_bytes(CORRUPTIONS["flip-middle-page"](good_file))
    memory_keyring.store[("esncoach", str(path.resolve()))] = TEST_KEY.secret
    before = path.read_bytes()
    assert main(["check", "--db", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("esncoach: ") and err.count("\n") == 1
    assert path.read_bytes() == before


def test_damaged_file_lists_backups_to_restore(good_file: bytes, tmp_path: Path, memory_keyring: MemoryKeyring,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "w.db"
    path.write_bytes(good_file)
    made = backups.create_backup(path, TEST_KEY)
    path.write_bytes(CORRUPTIONS["flip-middle-page"](good_file))
    memory_keyring.store[("esncoach", str(path.resolve()))] = TEST_KEY.secret
    assert main(["check", "--db", str(path)]) == 2
    assert "esncoach restore" in capsys.readouterr().err
    assert main(["restore", "--db", str(path), "--latest"]) == 0
    assert made.path.name in capsys.readouterr().out
    with Workspace.open(path, TEST_KEY) as ws:
        with ws.session() as s:
            assert s.query(Exec).count() == 30


def test_plain_sqlite_file_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "plain.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE alembic_version (version_num TEXT)")
    conn.execute("INSERT INTO alembic_version VALUES ('0001_initial')")
    conn.execute("CREATE TABLE exec (id INTEGER PRIMARY KEY, name TEXT)")
    conn.commit()
    conn.close()
    error = _assert_refused(path)
    assert "unencrypted" in str(error)


def test_encrypted_but_foreign_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "foreign.db"
    conn = connect(path, TEST_KEY)
    conn.execute("CREATE TABLE notes (x)")
    conn.commit()
    conn.close()
    assert "not an esncoach workspace" in str(_assert_refused(path))


def test_newer_schema_is_refused_untouched(good_file: bytes, tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    path.write_bytes(good_file)
    conn = connect(path, TEST_KEY)
    conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    conn.commit()
    conn.close()
    error = _assert_refused(path)
    assert "newer version of esncoach" in str(error)
    assert not backups.default_folder(path).exists()  # no migration backup either: nothing is attempted


def test_empty_file_is_not_a_workspace_when_opening(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.write_bytes(b"")
    with pytest.raises(StoreError, match="no workspace"):
        Workspace.open(path, TEST_KEY, create=False)
    assert path.read_bytes() == b""
