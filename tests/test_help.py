"""Help: F1 opens the bundled guide; Ctrl+/ lists every shortcut, read from the menus' actions."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication

from esncoach.store.workspace import Workspace
from esncoach.views.help_window import GuideWindow, ShortcutsWindow, guide_path
from esncoach.views.main_window import MainWindow
from tests.windows import open_main_window


def _window(qtbot, ws: Workspace) -> MainWindow:  # type: ignore[no-untyped-def]
    window = open_main_window(qtbot, ws)
    return window


def test_guide_is_bundled_and_covers_what_it_promises() -> None:
    text = guide_path().read_text(encoding="utf-8")
    for topic in ("Today", "Coaching mode", "Where your data lives", "Recovering from a backup", "Ctrl+/"):
        assert topic in text


def test_f1_opens_the_guide(qtbot, ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, ws)
    qtbot.keyClick(window, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeWindow(), GuideWindow))
    guide = QApplication.activeWindow()
    assert "Recovering from a backup" in guide.browser.toPlainText()
    assert "blank the screen" in guide.browser.toPlainText()  # the coaching-mode keys table
    qtbot.keyClick(guide.browser, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not guide.isVisible())


def test_ctrl_slash_lists_every_shortcut_from_the_actions(qtbot, ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, ws)
    qtbot.keyClick(window, Qt.Key.Key_Slash, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeWindow(), ShortcutsWindow))
    dialog = QApplication.activeWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.filter)
    listed = {(keys, action) for keys, action, _menu in dialog.visible_rows()}
    native = QKeySequence.SequenceFormat.NativeText
    expected = set()
    for action in window.findChildren(QAction):
        keys = [k.toString(native) for k in action.shortcuts() if not k.isEmpty()]
        if keys and action.associatedObjects() and any(m is not window.toolbar for m in action.associatedObjects()):
            expected.add(" or ".join(keys))
    assert expected <= {keys for keys, _a in listed}
    assert (QKeySequence("Ctrl+T").toString(native), "Today") in listed
    assert (QKeySequence("F1").toString(native), "User guide") in listed
    # A new action added to a menu appears the next time the list opens: it cannot drift.
    extra = QAction("Brand new thing", window)
    extra.setShortcut(QKeySequence("Ctrl+Alt+J"))
    window.menus["Tools"].addAction(extra)
    dialog.close()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_Slash, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeWindow(), ShortcutsWindow)
                    and QApplication.activeWindow() is not dialog)
    again = QApplication.activeWindow()
    qtbot.keyClicks(QApplication.focusWidget(), "brand new")
    assert again.visible_rows() == [(QKeySequence("Ctrl+Alt+J").toString(native), "Brand new thing", "Tools")]
