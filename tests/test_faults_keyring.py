"""A keyring with no entry, one that raises and one that hangs: a clear message within a few seconds."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend

from esncoach.cli import main
from esncoach.store import keys
from esncoach.store.errors import KeyUnavailableError
from esncoach.store.workspace import Workspace
from tests.conftest import TEST_KEY

pytestmark = pytest.mark.slow

FAST_TIMEOUT_S = 1.0


class RaisingKeyring(KeyringBackend):
    """A backend whose every call fails, like a D-Bus secret service that crashed."""

    priority = -1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        raise RuntimeError("org.freedesktop.DBus.Error.ServiceUnknown")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise RuntimeError("org.freedesktop.DBus.Error.ServiceUnknown")

    def delete_password(self, service: str, username: str) -> None:
        raise RuntimeError("org.freedesktop.DBus.Error.ServiceUnknown")


class HangingKeyring(RaisingKeyring):
    """A backend that never answers, like a locked KWallet waiting for a prompt nobody sees."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()

    def get_password(self, service: str, username: str) -> str | None:
        self.release.wait()
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        self.release.wait()


@pytest.fixture
def workspace_file(tmp_path: Path) -> Path:
    path = tmp_path / "w.db"
    Workspace.open(path, TEST_KEY).close()
    return path


@pytest.fixture
def hanging() -> Iterator[HangingKeyring]:
    backend = HangingKeyring()
    keyring.set_keyring(backend)
    yield backend
    backend.release.set()  # let the abandoned daemon thread finish


def _cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, float]:
    start = time.monotonic()
    code = main(args)
    return code, capsys.readouterr().err, time.monotonic() - start


def test_missing_keyring_entry(workspace_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = workspace_file.read_bytes()
    with pytest.raises(KeyUnavailableError, match="no key for this database"):
        keys.key_from_keyring(workspace_file, create=False)
    code, err, _ = _cli(["check", "--db", str(workspace_file)], capsys)
    assert code == 2
    assert "no key for this database" in err and "--passphrase-file" in err
    assert workspace_file.read_bytes() == before


def test_keyring_that_raises(workspace_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    keyring.set_keyring(RaisingKeyring())
    with pytest.raises(KeyUnavailableError, match="keyring failed"):
        keys.key_from_keyring(workspace_file, create=False)
    with pytest.raises(KeyUnavailableError, match="keyring failed"):
        keys.key_from_keyring(workspace_file.with_name("new.db"), create=True)
    code, err, _ = _cli(["check", "--db", str(workspace_file)], capsys)
    assert code == 2 and "keyring failed" in err


def test_keyring_that_hangs_answers_within_the_timeout(
    workspace_file: Path, hanging: HangingKeyring, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # The product waits KEYRING_TIMEOUT_S (5 s); the test shortens it to keep the suite fast.
    assert keys.KEYRING_TIMEOUT_S <= 5.0
    monkeypatch.setattr(keys, "KEYRING_TIMEOUT_S", FAST_TIMEOUT_S)
    start = time.monotonic()
    with pytest.raises(KeyUnavailableError, match="did not answer"):
        keys.key_from_keyring(workspace_file, create=False)
    assert time.monotonic() - start < FAST_TIMEOUT_S + 3  # a hang is the bug being tested, not speed
    code, err, elapsed = _cli(["check", "--db", str(workspace_file)], capsys)
    assert code == 2 and "did not answer within" in err
    assert elapsed < FAST_TIMEOUT_S + 3
