"""Window sizes on a laptop: remembered geometry only when it fits, every window sized to its screen, Esc closes."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QApplication

from esncoach.store.workspace import Workspace
from esncoach.views.app_settings import AppSettings
from esncoach.views.main_window import MainWindow
from tests.day_helpers import make_window


def test_a_geometry_saved_on_a_bigger_screen_is_not_restored(qtbot, demo_path: Path, key) -> None:  # type: ignore[no-untyped-def]
    area = QApplication.primaryScreen().availableGeometry()
    with Workspace.open(demo_path, key) as ws:
        window = make_window(qtbot, ws)
        window.setGeometry(QRect(area.x(), area.y(), area.width() + 900, area.height() + 500))  # another monitor
        window.close()
    with Workspace.open(demo_path, key) as ws:
        again = MainWindow(ws, AppSettings())
        qtbot.addWidget(again)
        again.show()
        frame = again.frameGeometry()
        assert again.width() <= area.width() and again.height() <= area.height()
        assert area.intersects(frame)
        again.setGeometry(QRect(area.x() + 10, area.y() + 10, area.width() // 3, area.height() // 3))  # postage stamp
        again.close()
    with Workspace.open(demo_path, key) as ws:
        third = MainWindow(ws, AppSettings())
        qtbot.addWidget(third)
        assert third.width() > area.width() // 2 and third.height() > area.height() // 2


def test_dashboard_fits_the_screen_and_closes_with_esc_and_ctrl_w(qtbot, demo_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    from esncoach.views.charts.dashboard import open_dashboard

    window = make_window(qtbot, demo_ws)
    area = QApplication.primaryScreen().availableGeometry()
    qtbot.keyClick(window, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    dash = window._portfolio_dashboard
    assert dash.isVisible()
    assert dash.width() <= area.width() and dash.height() <= area.height()
    assert area.contains(dash.geometry())
    dash.activateWindow()
    qtbot.waitUntil(dash.isActiveWindow)
    qtbot.keyClick(dash, Qt.Key.Key_Escape)
    assert not dash.isVisible()
    open_dashboard(window)
    qtbot.waitUntil(dash.isActiveWindow)
    qtbot.keyClick(dash, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    assert not dash.isVisible()
