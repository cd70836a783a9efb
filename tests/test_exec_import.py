"""Bulk add of executives from an HR list: the plan, the preview dialog, the CLI in a real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog

from esncoach.models import LadderStage
from esncoach.services import exec_import, execs
from esncoach.store.workspace import Workspace
from esncoach.views.execs.import_list_dialog import ImportListDialog
from esncoach.views.main_window import MainWindow
from tests.windows import open_main_window

HR_LIST = (
    "Full Name;Job Title;Dept;E-mail;handle;Start date;stage\n"
    "Marcus Lee;CFO;Finance;marcus.lee@example.com;@mlee;15/01/2024;like\n"
    "Élodie Marchand;Head of HR;People;ELODIE@example.com;;2023-05-02;\n"
    "Ana Lima;COO;;;;;\n"
    ";CTO;Tech;x@example.com;;;\n"
    "Bad Date;;;bd@example.com;;2024-13-45;\n"
    "Dup Mail;;;marcus.lee@example.com;;;\n"
)


def _write(tmp_path: Path, text: str = HR_LIST, name: str = "hr.csv", encoding: str = "utf-8-sig") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def _snapshot(ws: Workspace) -> list[tuple[object, ...]]:
    return sorted((r.name, r.title, r.department, r.email, r.handle, r.joined, r.stage) for r in execs.list_execs(ws))


def test_plan_adds_updates_and_refuses_with_line_numbers(ws: Workspace, tmp_path: Path) -> None:
    ana = execs.add_exec(ws, name="Ana Lima", title="VP")
    plan = exec_import.plan_import(ws, _write(tmp_path))
    by_line = {r.line: r for r in plan.rows}
    assert (by_line[2].action, by_line[3].action) == ("add", "add")
    assert by_line[2].reason == ""
    assert by_line[4].action == "update" and by_line[4].exec_id == ana and by_line[4].changes == ("title",)
    assert by_line[5].action == "refuse" and "Name is required" in by_line[5].reason
    assert by_line[6].action == "refuse" and "2024-13-45" in by_line[6].reason
    assert by_line[7].action == "refuse" and "line 2" in by_line[7].reason
    assert _snapshot(ws) == [("Ana Lima", "VP", "", None, None, None, LadderStage.LISTEN)]  # planning writes nothing
    exec_import.apply_plan(ws, plan)
    marcus = execs.find_exec(ws, "marcus.lee@example.com")
    assert (marcus.title, marcus.department, marcus.handle, marcus.joined.isoformat(), marcus.stage) == (
        "CFO", "Finance", "@mlee", "2024-01-15", LadderStage.LIKE)
    assert execs.find_exec(ws, "elodie@example.com").name == "Élodie Marchand"
    assert execs.get_exec(ws, ana).title == "COO"
    before = _snapshot(ws)
    again = exec_import.plan_import(ws, _write(tmp_path))
    assert not again.writes and again.counts()["unchanged"] == 3
    exec_import.apply_plan(ws, again)
    assert _snapshot(ws) == before


def test_a_namesake_with_another_email_is_added_with_a_warning(ws: Workspace, tmp_path: Path) -> None:
    execs.add_exec(ws, name="Marcus Lee", email="marcus@old.example.com")
    plan = exec_import.plan_import(ws, _write(tmp_path))
    marcus = next(r for r in plan.rows if r.line == 2)
    assert marcus.action == "add" and "Another executive is called Marcus Lee" in marcus.reason


def test_tab_separated_cp1252_and_comma_files_are_sniffed(ws: Workspace, tmp_path: Path) -> None:
    tsv = _write(tmp_path, "name\temail\nRenée Dupont\trenee@example.com\n", "a.tsv", "cp1252")
    assert [r.name for r in exec_import.plan_import(ws, tsv).of("add")] == ["Renée Dupont"]
    one_column = _write(tmp_path, "name\nZoe\n", "b.csv")
    assert [r.name for r in exec_import.plan_import(ws, one_column).of("add")] == ["Zoe"]


def _window(qtbot, ws: Workspace) -> MainWindow:  # type: ignore[no-untyped-def]
    window = open_main_window(qtbot, ws)
    return window


def _open_by_shortcut(qtbot, window: MainWindow, path: Path, monkeypatch) -> ImportListDialog:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), ImportListDialog))
    return QApplication.activeModalWidget()  # type: ignore[return-value]


def test_cancel_writes_nothing_and_import_writes_the_list(qtbot, ws: Workspace, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, ws)
    path = _write(tmp_path)
    dialog = _open_by_shortcut(qtbot, window, path, monkeypatch)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.table)
    assert "3 to add" in dialog.summary.text() and "3 refused" in dialog.summary.text()
    assert dialog.table.item(4, 0).text() == "6" and dialog.table.item(4, 1).text() == "Refused"
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None)
    assert execs.list_execs(ws) == []
    dialog = _open_by_shortcut(qtbot, window, path, monkeypatch)
    with qtbot.waitSignal(dialog.sig_imported, timeout=30_000):
        dialog.import_button.click()
    assert sorted(r.name for r in execs.list_execs(ws)) == ["Ana Lima", "Marcus Lee", "Élodie Marchand"]
    assert window.model.rowCount() == 3
    dialog = _open_by_shortcut(qtbot, window, path, monkeypatch)
    assert not dialog.import_button.isEnabled() and "would change nothing" in dialog.summary.text()
    dialog.reject()


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    return subprocess.run([sys.executable, "-m", "esncoach", *args], capture_output=True, text=True, env=env,
                          timeout=120)


def test_cli_import_json_then_reimport_changes_nothing(tmp_path: Path, passphrase_file: Path) -> None:
    db = str(tmp_path / "w.db")
    common = ("--db", db, "--passphrase-file", str(passphrase_file))
    assert _cli("execs", "add", *common, "--name", "Ana Lima").returncode == 0
    path = str(_write(tmp_path))
    dry = _cli("execs", "import", *common, path, "--dry-run")
    assert dry.returncode == 0 and "nothing was written" in dry.stdout and "line    5  REFUSED" in dry.stdout
    assert len(json.loads(_cli("execs", "list", *common, "--json").stdout)) == 1
    first = _cli("execs", "import", *common, path, "--json")
    assert first.returncode == 0, first.stderr
    data = json.loads(first.stdout)
    assert data["counts"] == {"add": 2, "update": 1, "unchanged": 0, "refuse": 3}
    assert [r["line"] for r in data["rows"] if r["action"] == "refuse"] == [5, 6, 7]
    backups = [p.name for p in (tmp_path / "w-backups").iterdir()]
    assert len(backups) == 1 and "before-import" in backups[0]  # taken just before writing
    second = json.loads(_cli("execs", "import", *common, path, "--json").stdout)
    assert second["counts"] == {"add": 0, "update": 0, "unchanged": 3, "refuse": 3}
    listed = json.loads(_cli("execs", "list", *common, "--json").stdout)
    assert len(listed) == 3
    assert len(list((tmp_path / "w-backups").iterdir())) == 1  # nothing to write, no backup
    missing = _cli("execs", "import", *common, str(tmp_path / "nope.csv"))
    assert missing.returncode == 2 and missing.stderr.count("\n") == 1
    no_name = _cli("execs", "import", *common, str(_write(tmp_path, "email\na@b.com\n", "x.csv")))
    assert no_name.returncode == 2 and "no “name” column" in no_name.stderr
