"""Ctrl+P opens the report dialog with the keyboard in its first field (the report kind), also now that the
dialog's modules load on a worker before it is built."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from esncoach.services import execs
from esncoach.store.workspace import Workspace
from esncoach.views.reports.dialog import ReportDialog
from tests.windows import open_main_window


def test_ctrl_p_puts_the_focus_in_the_first_field(qtbot, demo_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    window = open_main_window(qtbot, demo_ws)
    window.select_exec(execs.find_exec(demo_ws, "Amelia Hart").id)
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeWindow(), ReportDialog), timeout=60_000)
    dialog = QApplication.activeWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    assert QApplication.focusWidget() is dialog.kind
    dialog.reject()
