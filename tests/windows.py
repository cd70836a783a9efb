"""The main window as a person meets it in a GUI test: shown, active, the keyboard in it."""

from __future__ import annotations

from typing import Any

from esncoach.store.workspace import Workspace
from esncoach.views.app_settings import AppSettings
from esncoach.views.main_window import MainWindow


def open_main_window(qtbot: Any, ws: Workspace, settings: AppSettings | None = None) -> MainWindow:
    """Shown and active, so shortcuts reach it and ``QApplication.focusWidget()`` is inside it."""
    window = MainWindow(ws, settings or AppSettings())
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window
