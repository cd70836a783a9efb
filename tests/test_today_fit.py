"""Every window this feature set adds fits a 1366×768 laptop: no horizontal scroll bar, nothing squeezed."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QWidget

from esncoach.services import exec_import
from esncoach.store.workspace import Workspace
from esncoach.views.app_settings import AppSettings
from esncoach.views.execs.import_list_dialog import ImportListDialog
from esncoach.views.help_window import GuideWindow, ShortcutsWindow
from esncoach.views.main_window import MainWindow
from esncoach.views.sessions.recurring_dialog import RecurringSessionDialog
from esncoach.views.today.reminders_view import RemindersDialog
from esncoach.views.today.today_window import TodayWindow

LAPTOP = (1366, 768)
TASKBAR = 40  # what a desktop keeps for itself


def _fits(qtbot, widget: QWidget) -> None:  # type: ignore[no-untyped-def]
    qtbot.addWidget(widget)
    widget.resize(min(widget.width(), LAPTOP[0]), min(widget.height(), LAPTOP[1] - TASKBAR))
    widget.show()
    qtbot.waitExposed(widget)
    QApplication.processEvents()
    hint = widget.minimumSizeHint()
    assert hint.width() <= LAPTOP[0] and hint.height() <= LAPTOP[1] - TASKBAR, (type(widget).__name__, hint)
    assert widget.width() >= hint.width() and widget.height() >= hint.height(), (type(widget).__name__, hint)
    for area in widget.findChildren(QAbstractScrollArea):
        bar = area.horizontalScrollBar()
        assert not (area.isVisible() and bar.isVisible()), (type(widget).__name__, type(area).__name__)


def test_new_windows_fit_a_laptop_screen(qtbot, demo_ws: Workspace, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(demo_ws, AppSettings())
    qtbot.addWidget(window)
    window.resize(*LAPTOP)
    window.show()
    today = TodayWindow(demo_ws, window)
    qtbot.waitUntil(lambda: today.overview is not None)
    _fits(qtbot, today)
    exec_id = window.current_exec_id()
    _fits(qtbot, RecurringSessionDialog(demo_ws, exec_id, window))
    csv = tmp_path / "hr.csv"
    csv.write_text("name,email,stage\nMarcus Lee,marcus@example.com,like\n"
                   "A Very Long Name Indeed Of Someone In Finance,x,\n", encoding="utf-8")
    _fits(qtbot, ImportListDialog(demo_ws, exec_import.plan_import(demo_ws, csv), window))
    _fits(qtbot, RemindersDialog(window))
    _fits(qtbot, GuideWindow(window))
    _fits(qtbot, ShortcutsWindow(window))
