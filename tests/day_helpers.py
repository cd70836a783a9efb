"""Helpers for the day-of-a-CM tests: a shown main window and acting on the next modal dialog."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget

from esncoach.store.workspace import Workspace
from esncoach.views.app_settings import AppSettings
from esncoach.views.main_window import MainWindow


def make_window(qtbot, ws: Workspace) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow(ws, AppSettings())
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)  # shortcuts reach only the active window
    return window


class Modal:
    """Run ``act`` on the next modal dialog of ``kind`` once its exec() loop runs; re-raise its failure later."""

    def __init__(self, kind: type[QWidget], act: Callable[[QWidget], None]) -> None:
        self.kind, self.act = kind, act
        self.errors: list[BaseException] = []
        self.seen: QWidget | None = None
        QTimer.singleShot(0, self._attempt)
        self._tries = 200

    def _attempt(self) -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, self.kind) or dialog is self.seen or not dialog.isActiveWindow():
            self._tries -= 1
            if self._tries < -10**8:
                return
            if self._tries > 0:
                QTimer.singleShot(5, self._attempt)
            else:
                self.errors.append(AssertionError(f"no {self.kind.__name__} appeared (saw {dialog!r})"))
            return
        self.seen = dialog
        try:
            self.act(dialog)
        except BaseException as exc:  # noqa: BLE001 - re-raised by check()
            self.errors.append(exc)
            if dialog.isVisible():
                dialog.done(0)

    def cancel(self) -> None:
        """Stop waiting (the window turned out not to be modal)."""
        self._tries = -10**9

    def check(self) -> None:
        if self.errors:
            raise self.errors[0]
        assert self.seen is not None, f"no {self.kind.__name__} appeared"


def open_by_keys(qtbot, window, key, mods, act: Callable[[QWidget], None]) -> QWidget:  # type: ignore[no-untyped-def]
    """Press a shortcut and run ``act`` on the dialog it opens, modal (exec) or not (show)."""
    from PySide6.QtWidgets import QDialog

    before = set(QApplication.topLevelWidgets())
    modal = Modal(QDialog, act)
    qtbot.keyClick(window, key, mods)
    if modal.seen is not None:
        modal.check()
        return modal.seen
    modal.cancel()
    found: list[QWidget] = []

    def appeared() -> bool:
        found[:] = [w for w in QApplication.topLevelWidgets() if w not in before and w.isVisible()
                    and isinstance(w, QDialog)]
        return bool(found) and found[0].isActiveWindow()

    qtbot.waitUntil(appeared)
    act(found[0])
    return found[0]
