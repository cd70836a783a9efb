"""Start-up's fast path (#18): the exec list from one raw query before the ORM, the workspace attached after.

The list read by ``store.first_list`` must be the list ``list_execs`` gives; the key derived once must open
the file (and backups must still be written with the passphrase); the plain case only, the usual open for
everything else; and in the window, what the user did before the workspace arrived stays as they left it.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from esncoach.services import execs
from esncoach.store.database import connect
from esncoach.store.first_list import FirstList, read_first
from esncoach.store.keys import passphrase_key
from esncoach.store.workspace import Workspace
from tests.conftest import TEST_KEY, TEST_PASSPHRASE

ROOT = Path(__file__).resolve().parent.parent
LIST_FIELDS = ("id", "name", "title", "department", "email", "stage", "archived", "last_session", "next_action",
               "next_action_due")


@pytest.fixture
def passphrase_demo(demo_path: Path, tmp_path: Path) -> Path:
    """The demo workspace re-encrypted under the test passphrase (a new file, its own salt)."""
    target = tmp_path / "passphrase-demo.db"
    conn = connect(demo_path, TEST_KEY)
    try:
        conn.execute("ATTACH DATABASE ? AS p KEY ?", (str(target), TEST_PASSPHRASE))
        conn.execute("SELECT sqlcipher_export('p')")
        conn.execute("DETACH DATABASE p")
    finally:
        conn.close()
    return target


def _fields(row: object) -> tuple[object, ...]:
    return tuple(getattr(row, f) for f in LIST_FIELDS)


def test_first_list_is_what_list_execs_gives(passphrase_demo: Path, passphrase_file: Path) -> None:
    with Workspace.open(passphrase_demo, passphrase_key(TEST_PASSPHRASE), create=False) as ws:
        some = execs.list_execs(ws)[3]
        execs.set_archived(ws, some.id, archived=True)  # an archived exec is listed too
        expected = [_fields(r) for r in execs.list_execs(ws)]
    first = read_first(passphrase_demo, str(passphrase_file))
    assert first is not None
    assert [_fields(r) for r in first.rows] == expected
    assert any(r.archived for r in first.rows) and any(r.next_action_due for r in first.rows)
    assert any(isinstance(r.last_session, dt.datetime) for r in first.rows)


def test_the_key_derived_once_opens_the_file_and_backups_keep_the_passphrase(passphrase_demo: Path,
                                                                             passphrase_file: Path) -> None:
    from esncoach.store.backups import create_backup

    passphrase = passphrase_key(TEST_PASSPHRASE)
    first = read_first(passphrase_demo, str(passphrase_file))
    assert first is not None and first.key == passphrase
    derived = first.connect_key
    assert derived.kind == "raw" and derived.secret[64:] == passphrase_demo.read_bytes()[:16].hex()
    with Workspace.open(passphrase_demo, passphrase, create=False, connect_key=derived) as ws:
        assert ws.key == passphrase  # what backups and exports are written with
        names = [r.name for r in execs.list_execs(ws)]
        backup = create_backup(ws.path, ws.key, folder=passphrase_demo.parent / "backups", reason="manual").path
    with Workspace.open(backup, passphrase, create=False) as restored:  # the passphrase opens the backup
        assert [r.name for r in execs.list_execs(restored)] == names


def test_only_the_plain_case_takes_the_fast_path(passphrase_demo: Path, passphrase_file: Path, tmp_path: Path,
                                                 memory_keyring) -> None:  # type: ignore[no-untyped-def]
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("not the passphrase\n", encoding="utf-8")
    assert read_first(passphrase_demo, str(wrong)) is None  # the usual open says the passphrase is wrong
    assert read_first(tmp_path / "new.db", str(passphrase_file)) is None  # a new workspace is created as usual
    assert read_first(passphrase_demo, None) is None  # no passphrase file, nothing in the keyring: ask for it
    with Workspace.open(passphrase_demo, passphrase_key(TEST_PASSPHRASE), create=False):
        assert read_first(passphrase_demo, str(passphrase_file)) is None  # open elsewhere
    older = tmp_path / "older.db"
    older.write_bytes(passphrase_demo.read_bytes())
    conn = connect(older, passphrase_key(TEST_PASSPHRASE))
    conn.execute("UPDATE alembic_version SET version_num = '0006_row_versions'")
    conn.commit()
    conn.close()
    assert read_first(older, str(passphrase_file)) is None  # upgraded by the usual open, after a backup
    os.chmod(passphrase_demo, 0o400)
    try:
        assert read_first(passphrase_demo, str(passphrase_file)) is None  # read-only: opened immutable as usual
    finally:
        os.chmod(passphrase_demo, 0o600)
    memory_keyring.set_password("esncoach", str(passphrase_demo.resolve()), TEST_KEY.secret)
    assert read_first(passphrase_demo, None) is None  # the keyring's raw key is for another file
    first = read_first(passphrase_demo, str(passphrase_file))
    assert first is not None and first.key == passphrase_key(TEST_PASSPHRASE)


def test_a_raw_key_from_the_keyring_reads_the_list(demo_path: Path, memory_keyring) -> None:  # type: ignore[no-untyped-def]
    memory_keyring.set_password("esncoach", str(demo_path.resolve()), TEST_KEY.secret)
    first = read_first(demo_path, None)
    assert first is not None and first.connect_key == TEST_KEY and len(first.rows) == 12


def _early_window(qtbot, path: Path, passphrase_file: Path, monkeypatch):  # type: ignore[no-untyped-def]
    """The app's own early open, with the load after the first paint held back until the test lets it go."""
    from esncoach.app import AppController, _WorkspaceLoad
    from esncoach.views.app_settings import AppSettings

    held: list[_WorkspaceLoad] = []
    release = _WorkspaceLoad.start
    monkeypatch.setattr(_WorkspaceLoad, "start", lambda self: held.append(self))
    controller = AppController(AppSettings(), str(passphrase_file))
    assert controller.open_early(FirstList.start(path, str(passphrase_file)), path)
    window = controller.window
    assert window is not None
    qtbot.addWidget(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: window.first_paint.painted)
    qtbot.waitUntil(window.isActiveWindow)
    return controller, window, held, release


def test_the_list_is_usable_before_the_workspace_and_kept_when_it_arrives(
        qtbot, passphrase_demo: Path, passphrase_file: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    controller, window, held, release = _early_window(qtbot, passphrase_demo, passphrase_file, monkeypatch)
    try:
        assert controller.ws is None and window.ws is None and held  # painted; the load waits for the test
        assert window.proxy.rowCount() == 12 and window.current_exec_id() is not None
        qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)  # works from the first frame
        qtbot.keyClicks(QApplication.focusWidget(), "chief")
        window.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
        window.table.setFocus()
        qtbot.keyClick(window.table, Qt.Key.Key_Down)
        chosen = window.current_exec_id()
        visible = [window.proxy.index(r, 0).data() for r in range(window.proxy.rowCount())]
        assert 1 < len(visible) < 12 and chosen is not None
        release(held[0])
        qtbot.waitUntil(lambda: controller.ws is not None, timeout=20_000)
        assert window.ws is controller.ws
        assert type(window.model.row_at(0)).__name__ == "ExecRow"  # the services' rows, swapped in place
        assert [window.proxy.index(r, 0).data() for r in range(window.proxy.rowCount())] == visible
        assert window.current_exec_id() == chosen and window.page.exec_id == chosen
        assert window.table.selectionModel().isRowSelected(window.table.currentIndex().row())
        assert window.search.text() == "chief" and QApplication.focusWidget() is window.table
        header = window.table.horizontalHeader()
        assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (1, Qt.SortOrder.DescendingOrder)
        assert window.page.name_label.text() == execs.get_exec(controller.ws, chosen).name
    finally:
        controller.shutdown()


def test_a_command_before_the_workspace_waits_for_it(qtbot, passphrase_demo: Path, passphrase_file: Path,
                                                     monkeypatch) -> None:  # type: ignore[no-untyped-def]
    controller, window, held, _release = _early_window(qtbot, passphrase_demo, passphrase_file, monkeypatch)
    try:
        exec_id = window.current_exec_id()
        assert controller.ws is None and exec_id is not None
        qtbot.keyClick(window, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
        assert controller.ws is not None  # the archive command waited for the workspace, then ran
        assert execs.get_exec(controller.ws, exec_id).archived
        qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        assert not execs.get_exec(controller.ws, exec_id).archived
    finally:
        controller.shutdown()


def test_quitting_before_the_workspace_arrives_releases_it(qtbot, passphrase_demo: Path, passphrase_file: Path,
                                                           monkeypatch) -> None:  # type: ignore[no-untyped-def]
    controller, _window, held, release = _early_window(qtbot, passphrase_demo, passphrase_file, monkeypatch)
    release(held[0])
    controller.shutdown()  # waits for the load and closes what it opened: the file can be opened again
    with Workspace.open(passphrase_demo, passphrase_key(TEST_PASSPHRASE), create=False) as ws:
        assert len(execs.list_execs(ws)) == 12


def test_an_empty_workspace_shows_its_hint_and_loads(qtbot, tmp_path: Path, passphrase_file: Path) -> None:  # type: ignore[no-untyped-def]
    from esncoach.app import AppController
    from esncoach.views.app_settings import AppSettings

    path = tmp_path / "empty.db"
    Workspace.open(path, passphrase_key(TEST_PASSPHRASE)).close()
    controller = AppController(AppSettings(), str(passphrase_file))
    try:
        assert controller.open_early(FirstList.start(path, str(passphrase_file)), path)
        assert controller.window is not None
        qtbot.addWidget(controller.window)
        qtbot.waitUntil(lambda: controller.ws is not None, timeout=20_000)
        window = controller.window
        assert window.model.rowCount() == 0 and window.empty_hint.isVisible() and not window.table.isVisible()
    finally:
        controller.shutdown()


CHILD = """
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from esncoach import app

def report(load):
    heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("sqlalchemy", "numpy", "pyqtgraph", "alembic")
                   or m.startswith(("esncoach.services", "esncoach.views.execs.page")) or m == "esncoach.models")
    window = app.QApplication_instance().topLevelWidgets()
    rows = [w.proxy.rowCount() for w in window if hasattr(w, "proxy") and w.isVisible()]
    print("ROWS", rows, "HEAVY", heavy, flush=True)
    ws, full = app._load_workspace(load.first)  # the ORM loads afterwards and takes the same enum classes
    from esncoach.models import LadderStage
    print("SAME STAGES", all(type(r.stage) is LadderStage for r in load.first.rows + full), flush=True)
    ws.close()
    os._exit(0)

def instance():
    from PySide6.QtWidgets import QApplication
    return QApplication.instance()

app.QApplication_instance = instance
app._WorkspaceLoad.start = report
from esncoach.cli import main
main(["--db", sys.argv[1], "--passphrase-file", sys.argv[2]])
"""


def test_nothing_heavy_is_imported_before_the_list_is_painted(passphrase_demo: Path, passphrase_file: Path,
                                                              tmp_path: Path) -> None:
    env = dict(os.environ, ESNCOACH_SETTINGS_DIR=str(tmp_path), PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    out = subprocess.run([sys.executable, "-c", CHILD, str(passphrase_demo), str(passphrase_file)], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=120)
    assert "ROWS [12] HEAVY []" in out.stdout, out.stdout + out.stderr[-2000:]
    assert "SAME STAGES True" in out.stdout, out.stdout + out.stderr[-2000:]


def test_the_key_derivation_gives_sqlcipher_s_key_with_or_without_the_bundled_openssl(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import hashlib

    from esncoach.store import kdf

    salt = bytes(range(16))
    expected = hashlib.pbkdf2_hmac("sha512", TEST_PASSPHRASE.encode("utf-8"), salt, 256_000, 32)
    assert kdf._bundled_pbkdf2() is not None  # the sqlcipher3-binary wheel ships its libcrypto
    assert kdf.derive(TEST_PASSPHRASE, salt) == expected
    monkeypatch.setattr(kdf, "_bundled_pbkdf2", lambda: None)
    assert kdf.derive(TEST_PASSPHRASE, salt) == expected
