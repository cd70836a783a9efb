"""The app shell driven as a user would: filter, add, edit, archive and undo, remembered state."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QPushButton

from esncoach.services import execs
from esncoach.store.workspace import Workspace
from esncoach.views.app_settings import AppSettings
from esncoach.views.execs.dialog import ExecDialog
from esncoach.views.main_window import MainWindow


def make_window(qtbot, ws: Workspace) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow(ws, AppSettings())
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)  # shortcuts reach only the active window
    return window


def visible_names(window: MainWindow) -> list[str]:
    return [window.proxy.index(r, 0).data() for r in range(window.proxy.rowCount())]


def test_list_shows_demo_execs_sorted_and_filters_ignoring_accents(qtbot, demo_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    window = make_window(qtbot, demo_ws)
    names = visible_names(window)
    assert len(names) == 12
    assert names.index("Élodie Marchand") < names.index("Farid Haddad")  # accents do not sort last
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.search.hasFocus()
    qtbot.keyClicks(window.search, "elodie")
    assert visible_names(window) == ["Élodie Marchand"]
    window.search.clear()
    qtbot.keyClicks(window.search, "finance vp")
    assert visible_names(window) == ["Jonas Becker"]


def test_selecting_an_exec_fills_the_page(qtbot, demo_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    window = make_window(qtbot, demo_ws)
    amelia = execs.find_exec(demo_ws, "Amelia Hart")
    window.select_exec(amelia.id)
    assert window.page.name_label.text() == "Amelia Hart"
    assert window.page.stage_badge.text() == "Open dialogue"
    overview = window.page.tab_widgets[0]
    people = [overview.people.item(i).text() for i in range(overview.people.count())]
    assert any("Assistant" in p for p in people)
    assert "Worried about saying the wrong thing" in overview.notes.text()


def test_empty_workspace_offers_add_and_demo(qtbot, ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    window = make_window(qtbot, ws)
    assert window.empty_hint.isVisible()
    assert not window.table.isVisible()
    assert not window.edit_action.isEnabled()
    demo_button = next(b for b in window.empty_hint.findChildren(QPushButton) if "demo" in b.text())
    with qtbot.waitSignal(window.sig_open_demo):
        qtbot.mouseClick(demo_button, Qt.MouseButton.LeftButton)


def test_exec_dialog_validates_and_keeps_input(qtbot, ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    dialog = ExecDialog(ws)
    qtbot.addWidget(dialog)
    dialog.email.setText("not an email")
    dialog.accept()
    assert dialog.error_label.isVisibleTo(dialog)
    assert "Name is required" in dialog.error_label.text()
    dialog.name.setText("Zoë Adler")  # QTest cannot type non-ASCII keys
    dialog.accept()
    assert "not a valid email" in dialog.error_label.text()
    assert dialog.name.text() == "Zoë Adler"
    dialog.email.setText("zoe@example.com")
    dialog.notes.setPlainText("x" * 50_001)
    dialog.accept()
    assert "limit is 50,000" in dialog.error_label.text()
    dialog.notes.setPlainText("Prefers mornings")
    dialog.accept()
    assert dialog.result() == ExecDialog.DialogCode.Accepted
    row = execs.get_exec(ws, dialog.result_value)
    assert (row.name, row.email, row.private_notes) == ("Zoë Adler", "zoe@example.com", "Prefers mornings")


def test_add_through_the_window_selects_the_new_exec(qtbot, ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    window = make_window(qtbot, ws)

    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ExecDialog)
        dialog.name.setText("Ada Byron")
        dialog.title_edit.setText("CTO")
        dialog.accept()

    QTimer.singleShot(0, fill)
    window.add_action.trigger()
    assert visible_names(window) == ["Ada Byron"]
    assert window.page.name_label.text() == "Ada Byron"
    assert window.table.isVisible()


def test_archive_hides_and_undo_brings_back(qtbot, demo_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    window = make_window(qtbot, demo_ws)
    chen = execs.find_exec(demo_ws, "Chen Wei")
    window.select_exec(chen.id)
    window.archive_action.trigger()
    assert execs.get_exec(demo_ws, chen.id).archived
    assert "Chen Wei" not in visible_names(window)
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert not execs.get_exec(demo_ws, chen.id).archived
    assert "Chen Wei" in visible_names(window)
    window.show_archived.setChecked(True)
    window.select_exec(chen.id)
    window.archive_action.trigger()
    assert "Chen Wei (archived)" in visible_names(window)


def test_window_geometry_and_splitter_are_remembered(qtbot, demo_path: Path, key) -> None:  # type: ignore[no-untyped-def]
    with Workspace.open(demo_path, key) as ws:
        window = make_window(qtbot, ws)
        window.resize(781, 527)
        window.splitter.setSizes([200, 500])
        window.close()
    with Workspace.open(demo_path, key) as ws:
        again = make_window(qtbot, ws)
        assert (again.width(), again.height()) == (781, 527)
        assert again.splitter.sizes()[0] == window.splitter.sizes()[0]


def test_every_menu_hook_and_tab_resolves(qtbot, demo_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    import importlib

    from esncoach.views.execs.tabs import EXEC_TABS
    from esncoach.views.menu_actions import MENU_ACTIONS

    window = make_window(qtbot, demo_ws)
    for menu, _text, _shortcut, _icon, target in MENU_ACTIONS:
        module_name, func_name = target.split(":")
        assert callable(getattr(importlib.import_module(module_name), func_name)), target
        assert window.findChild(type(window.add_action), "hook:" + target) is not None
        assert menu in window.menus
    assert len(window.page.tab_widgets) == len(EXEC_TABS)
    shortcuts = [s for _m, _t, s, _i, _f in MENU_ACTIONS if s]
    flat = [part.strip() for s in shortcuts for part in s.split(";")]
    assert len(flat) == len(set(flat)), "two menu entries share a shortcut"
