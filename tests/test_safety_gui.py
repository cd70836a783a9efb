"""The GUI refuses unusable workspace files with one dialog (never a traceback) and opens read-only ones."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from esncoach.store.keys import KeyMaterial
from esncoach.store.workspace import Workspace
from tests.safety_helpers import snapshot


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the app would have shown in error dialogs."""
    import esncoach.app

    shown: list[str] = []
    monkeypatch.setattr(esncoach.app, "show_error", lambda _parent, _title, exc: shown.append(str(exc)))
    return shown


def _controller():  # type: ignore[no-untyped-def]
    from esncoach.app import AppController
    from esncoach.views.app_settings import AppSettings

    return AppController(AppSettings())


@pytest.mark.parametrize(("make", "needle"), [
    ("loop", "loop"),
    ("folder", "is a folder"),
    ("unreadable", "cannot be read"),
    ("empty", "empty file"),
    ("two-names", "hard links"),
])
def test_unusable_files_are_one_dialog(qtbot, tmp_path: Path, key: KeyMaterial, errors: list[str],  # type: ignore[no-untyped-def]
                                       memory_keyring, make: str, needle: str) -> None:
    folder = tmp_path / "area"
    folder.mkdir()
    target = folder / "w.db"
    if make == "loop":
        target.symlink_to(target)
    elif make == "folder":
        target.mkdir()
    elif make == "empty":
        target.write_bytes(b"")
    else:
        Workspace.open(target, key).close()
        if make == "unreadable":
            os.chmod(target, 0o000)
        else:
            os.link(target, folder / "second-name.db")
    before = snapshot(folder)
    controller = _controller()
    try:
        assert controller.open(target, create=True) is False
    finally:
        os.chmod(target, 0o600) if make == "unreadable" else None
    assert len(errors) == 1 and needle in errors[0], errors
    assert controller.ws is None
    assert snapshot(folder) == before
    assert memory_keyring.store == {}


def test_the_gui_opens_a_read_only_workspace_and_refuses_edits(qtbot, demo_path: Path, key: KeyMaterial,  # type: ignore[no-untyped-def]
                                                                 errors: list[str], memory_keyring) -> None:
    from esncoach.services import execs
    from esncoach.store.errors import StoreError

    memory_keyring.store[("esncoach", str(demo_path.resolve()))] = key.secret
    os.chmod(demo_path, 0o400)
    controller = _controller()
    assert controller.open(demo_path, create=True) is True, errors
    try:
        assert controller.ws is not None and controller.ws.read_only
        assert controller.window is not None
        qtbot.addWidget(controller.window)
        assert len(execs.list_execs(controller.ws)) >= 12
        with pytest.raises(StoreError, match="read-only"):
            execs.add_exec(controller.ws, name="Not Stored")
    finally:
        controller.shutdown()
    assert not demo_path.with_name(demo_path.name + "-wal").exists()
    assert not demo_path.with_name(demo_path.name + "-shm").exists()
    os.chmod(demo_path, 0o600)
    with Workspace.open(demo_path, key) as ws:
        execs.add_exec(ws, name="Stored Later")


def test_a_short_passphrase_file_cannot_create_a_workspace_in_the_gui(qtbot, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                                      errors: list[str]) -> None:
    from esncoach.app import AppController
    from esncoach.views.app_settings import AppSettings

    short = tmp_path / "short.txt"
    short.write_text("seven77\n", encoding="utf-8")
    folder = tmp_path / "area"
    folder.mkdir()
    controller = AppController(AppSettings(), passphrase_file=str(short))
    assert controller.open(folder / "new.db", create=True) is False
    assert len(errors) == 1 and "at least 8 characters" in errors[0]
    assert list(folder.iterdir()) == []


def test_coaching_mode_on_a_read_only_workspace_shows_and_saves_nothing(qtbot, demo_path: Path,  # type: ignore[no-untyped-def]
                                                                         key: KeyMaterial) -> None:
    import datetime as dt

    from PySide6.QtCore import Qt

    from esncoach.services import execs, sessions
    from esncoach.views.app_settings import AppSettings
    from esncoach.views.coaching.coaching_window import CoachingWindow
    from tests.test_coaching_window import visible_text

    start = dt.datetime.now().replace(second=0, microsecond=0) - dt.timedelta(minutes=5)
    with Workspace.open(demo_path, key) as ws:
        dana = execs.find_exec(ws, "Dana Okafor").id
        session_id = sessions.save_session(ws, exec_id=dana, starts_at=start, ends_at=start + dt.timedelta(hours=1),
                                           title="Read-only rehearsal", agenda="Look, do not touch")
    os.chmod(demo_path, 0o400)
    before = snapshot(demo_path.parent)
    with Workspace.open(demo_path, key) as ws:
        assert ws.read_only
        window = CoachingWindow(ws, AppSettings(), exec_id=dana, session_id=session_id)
        qtbot.addWidget(window)
        window.show_coaching()
        qtbot.waitUntil(window.isActiveWindow)
        assert "Look, do not touch" in visible_text(window)
        for _ in range(len(window.pages)):
            qtbot.keyClick(window, Qt.Key.Key_Right)
        assert window.save() is True  # nothing changed: nothing to refuse
        window.close()
        assert not window.recorded
    assert snapshot(demo_path.parent) == before
