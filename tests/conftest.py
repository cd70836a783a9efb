"""Shared fixtures: headless Qt, a fake keyring, and a demo workspace built once per run and copied."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import shutil  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import keyring  # noqa: E402
import pytest  # noqa: E402
from keyring.backend import KeyringBackend  # noqa: E402

from esncoach.store.keys import KeyMaterial, passphrase_key  # noqa: E402
from esncoach.store.workspace import Workspace  # noqa: E402
from tests.modal_guard import no_forgotten_modal_dialog  # noqa: E402, F401 - autouse
from tests.pg_server import (  # noqa: E402, F401 - PostgreSQL fixtures
    any_ws, pg_db, pg_demo_template, pg_demo_url, pg_demo_ws, pg_server, pg_template, pg_url, pg_ws,
)

TEST_KEY = KeyMaterial("raw", "0123456789abcdef" * 4)
TEST_PASSPHRASE = "correct horse 'battery' \\ staple ünïcode"


class MemoryKeyring(KeyringBackend):
    """A keyring that lives in a dict, so no test ever touches the developer's real keyring."""

    priority = -1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        from keyring.errors import PasswordDeleteError

        if self.store.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None):  # type: ignore[no-untyped-def]
    """Let background work a test started (an automatic backup, say) end before its workspace closes."""
    import sys

    if "esncoach.views.tasks" in sys.modules:
        sys.modules["esncoach.views.tasks"].wait_all(60_000)
    yield


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    """Every test runs against an empty in-memory keyring."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """QSettings and platform data folders point into a temp folder, never the user's home."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("ESNCOACH_SETTINGS_DIR", str(home / "settings"))


@pytest.fixture
def key() -> KeyMaterial:
    """A fixed raw key: fast to open (no key derivation), unlike a passphrase."""
    return TEST_KEY


@pytest.fixture
def passphrase() -> KeyMaterial:
    return passphrase_key(TEST_PASSPHRASE)


@pytest.fixture
def passphrase_file(tmp_path: Path) -> Path:
    path = tmp_path / "passphrase.txt"
    path.write_text(TEST_PASSPHRASE + "\n", encoding="utf-8")
    return path


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    """A new, empty workspace on a real encrypted file."""
    workspace = Workspace.open(tmp_path / "empty.db", TEST_KEY)
    yield workspace
    workspace.close()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo workspace, built once per test run (it takes a second or two)."""
    from esncoach.demo import build_demo

    path = tmp_path_factory.mktemp("template") / "demo.db"
    with Workspace.open(path, TEST_KEY) as workspace:
        build_demo(workspace)
    return path


@pytest.fixture
def demo_path(tmp_path: Path, demo_template: Path) -> Path:
    """A private copy of the demo workspace file (closed), for tests that open it themselves."""
    target = tmp_path / "demo.db"
    shutil.copy2(demo_template, target)
    return target


@pytest.fixture
def demo_ws(demo_path: Path) -> Iterator[Workspace]:
    """An open private copy of the demo workspace."""
    workspace = Workspace.open(demo_path, TEST_KEY)
    yield workspace
    workspace.close()
