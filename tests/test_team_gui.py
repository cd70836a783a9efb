"""The app on a team server: title and status, live refresh from a colleague's change, the login flow."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QInputDialog, QLabel, QMessageBox

from esncoach.services import team
from esncoach.store.workspace import Workspace
from esncoach.views.app_settings import AppSettings
from esncoach.views.main_window import MainWindow
from tests.pg_server import PgServer
from tests.windows import open_main_window


def test_window_on_a_team_server_names_it_and_refreshes_live(qtbot, pg_server: PgServer,  # type: ignore[no-untyped-def]
                                                             pg_demo_ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    pg_ws = pg_demo_ws
    pg_db = pg_ws.address.dbname  # type: ignore[attr-defined]
    window = MainWindow(pg_ws, AppSettings())
    qtbot.addWidget(window)
    window.show()
    title = f"team: {pg_db} on this computer as postgres"
    assert window.windowTitle().endswith(title)
    assert window.statusBar().findChild(QLabel, "team_status").text() == title
    assert window.model.rowCount() == 12
    qtbot.waitUntil(window.live_refresh.listener.connected.is_set, timeout=10_000)
    with pg_server.admin(pg_db) as colleague:
        colleague.execute(
            "INSERT INTO exec(name, title, department, stage, archived, private_notes, created_at, updated_at) "
            "VALUES ('Nina New', '', '', 'listen', false, '', now(), now())")
    qtbot.waitUntil(lambda: window.model.rowCount() == 13, timeout=5_000)
    # Backups are the administrator's on a server.
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *a: shown.append(text))
    window._run_hook("esncoach.views.workspace.backup_dialog:back_up_now")
    assert shown and "pg_dump" in shown[0]
    window.live_refresh.listener.stop()


def test_typing_in_the_page_is_not_interrupted_by_a_refresh(qtbot, pg_demo_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QLineEdit

    from esncoach.views.team import live

    window = open_main_window(qtbot, pg_demo_ws)
    editor = QLineEdit(window.page)
    editor.show()
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus)
    qtbot.keyClicks(editor, "half a thought")
    before = window.live_refresh.refreshes
    window.live_refresh._on_changed([1])
    qtbot.wait(live.COALESCE_MS * 3)
    assert window.live_refresh.refreshes == before and editor.text() == "half a thought"
    window.table.setFocus()
    qtbot.waitUntil(lambda: window.live_refresh.refreshes == before + 1, timeout=5_000)
    window.live_refresh.listener.stop()


def test_login_asks_once_then_uses_the_keyring(qtbot, pg_server: PgServer, pg_url: str, pg_db: str,  # type: ignore[no-untyped-def]
                                               pg_ws: Workspace, memory_keyring: Any,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from esncoach.views.team.connect import KEYRING_SERVICE, connect_interactively

    role = f"gui_{pg_db}"
    team.add_member(pg_ws, role=role, password="gui-secret")
    url = f"postgresql://{role}@{pg_server.host}:{pg_server.port}/{pg_db}"
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", "/nonexistent")
    answers = iter([("wrong", True), ("gui-secret", True)])
    asked: list[str] = []

    def fake_get_text(_parent, _title, label, *_a, **_k):  # type: ignore[no-untyped-def]
        asked.append(label)
        return next(answers)

    monkeypatch.setattr(QInputDialog, "getText", fake_get_text)
    ws = connect_interactively(url, None, None)
    assert ws is not None and ws.role == role
    ws.close()
    assert len(asked) == 2 and "refused" in asked[1] and "gui-secret" not in "".join(asked)
    assert any(v == "gui-secret" for (service, _u), v in memory_keyring.store.items() if service == KEYRING_SERVICE)
    ws = connect_interactively(url, None, None)  # no prompt the second time
    assert ws is not None and len(asked) == 2
    ws.close()
    with pg_server.admin() as conn:
        conn.execute(f"DROP DATABASE {pg_db} WITH (FORCE)")
        conn.execute(f"DROP ROLE {role}")


def test_session_dialog_conflict_keeps_both_texts(qtbot, pg_demo_url: str, pg_demo_ws: Workspace,  # type: ignore[no-untyped-def]
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from esncoach.services import execs, sessions
    from esncoach.views.sessions.dialog import SessionDialog
    from esncoach.views.team import conflict

    pg_ws, pg_url = pg_demo_ws, pg_demo_url
    amelia = execs.find_exec(pg_ws, "Amelia Hart")
    row = sessions.list_sessions(pg_ws, exec_id=amelia.id)[0]
    dialog = SessionDialog(pg_ws, amelia.id, row.id)
    qtbot.addWidget(dialog)
    dialog.show()
    # A colleague on another laptop saves the same session's notes first.
    with Workspace.open(pg_url, None) as colleague:  # type: ignore[arg-type]
        sessions.save_notes(colleague, session_id=row.id, notes="Colleague's notes", expected_version=row.version)
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(conflict.ConflictDialog, "exec", lambda self: shown.append(
        (self.theirs.toPlainText(), self.yours.toPlainText())) or 1)
    dialog.notes.setPlainText("My notes")
    assert dialog.autosave() is False
    assert shown == [("Colleague's notes", "My notes")]
    assert sessions.get_session(pg_ws, row.id).notes == "Colleague's notes"  # nothing overwritten
    assert dialog.notes.toPlainText() == f"Colleague's notes\n\n{conflict.MINE_MARK}\nMy notes"
    assert dialog.autosave() is True  # saved again from the version now seen: both kept
    assert sessions.get_session(pg_ws, row.id).notes == dialog.notes.toPlainText()


def test_the_app_opens_a_team_server_from_its_address_and_remembers_it(qtbot, pg_server: PgServer,  # type: ignore[no-untyped-def]
                                                                       pg_demo_ws: Workspace, tmp_path) -> None:
    from esncoach.app import AppController

    db = pg_demo_ws.address.dbname  # type: ignore[attr-defined]
    role = f"app_{db}"
    team.add_member(pg_demo_ws, role=role, password="app-secret")
    team.assign(pg_demo_ws, exec_name="Chen Wei", cm=role)
    password = tmp_path / "pw"
    password.write_text("app-secret\n")
    url = f"postgresql://{role}@{pg_server.host}:{pg_server.port}/{db}"
    settings = AppSettings()
    controller = AppController(settings)
    controller.password_file = str(password)
    try:
        assert controller.open(url, show=False)
        window = controller.window
        assert window is not None and window.windowTitle().endswith(f"team: {db} on 127.0.0.1 as {role}")
        assert window.model.rowCount() == 1  # only the exec assigned to this CM
        assert settings.recent()[0] == url and "app-secret" not in settings.recent_workspaces
        window.live_refresh.listener.stop()
    finally:
        controller.shutdown()
        with pg_server.admin() as conn:
            conn.execute(f"DROP DATABASE {db} WITH (FORCE)")
            conn.execute(f"DROP ROLE {role}")


def test_live_refresh_survives_a_server_restart(qtbot, pg_server: PgServer, pg_demo_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(pg_demo_ws, AppSettings())
    qtbot.addWidget(window)
    window.show()
    listener = window.live_refresh.listener
    qtbot.waitUntil(listener.connected.is_set, timeout=10_000)
    pg_server.restart()
    qtbot.waitUntil(lambda: not listener.connected.is_set(), timeout=10_000)
    qtbot.waitUntil(listener.connected.is_set, timeout=20_000)  # the listener reconnected by itself
    with pg_server.admin(pg_demo_ws.address.dbname) as colleague:  # type: ignore[attr-defined]
        colleague.execute(
            "INSERT INTO exec(name, title, department, stage, archived, private_notes, created_at, updated_at) "
            "VALUES ('After Restart', '', '', 'listen', false, '', now(), now())")
    qtbot.waitUntil(lambda: window.model.rowCount() == 13, timeout=5_000)
    listener.stop()
