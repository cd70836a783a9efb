"""The Find-anything popup driven from the keyboard in the real main window, on the demo workspace."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QWidget

from esncoach.services import search
from esncoach.store.workspace import Workspace
from esncoach.views.execs import page as exec_page
from esncoach.views.app_settings import AppSettings
from esncoach.views.main_window import MainWindow
from esncoach.views.search_window import ACTION_NAME, HitRole, SearchPopup


class RecordingTab(QLabel):
    """A tab following the show_item contract: it shows sessions and says no to everything else."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__("sessions", parent)
        self.exec_id: int | None = None
        self.shown: list[tuple[int | None, str, int]] = []

    def set_exec(self, exec_id: int | None) -> None:
        self.exec_id = exec_id

    def show_item(self, kind: str, item_id: int) -> bool:
        self.shown.append((self.exec_id, kind, item_id))
        return kind == "session"


@pytest.fixture
def window(qtbot, demo_ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> MainWindow:  # type: ignore[no-untyped-def]
    # Right after Overview, so it is offered items before the real tabs (which may take them too).
    tabs = list(exec_page.EXEC_TABS)
    tabs.insert(1, ("Recorder (test)", f"{__name__}:RecordingTab"))
    monkeypatch.setattr(exec_page, "EXEC_TABS", tabs)
    win = MainWindow(demo_ws, AppSettings())
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)  # shortcuts reach only the active window
    return win


def popup_of(window: MainWindow) -> SearchPopup:
    popup = window.findChild(SearchPopup)
    assert popup is not None
    return popup


def current_hit(popup: SearchPopup) -> search.SearchHit:
    hit = popup.list.currentIndex().data(HitRole)
    assert hit is not None
    return hit


def test_type_move_with_arrows_and_open_a_session(qtbot, window: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    popup = popup_of(window)
    qtbot.waitUntil(popup.isVisible)
    qtbot.waitUntil(popup.query.hasFocus)  # typing goes straight into the box
    qtbot.keyClicks(popup.query, "town hal")  # the last word is still being typed
    qtbot.waitUntil(lambda: popup.results is not None and popup.results.query.text == "town hal")
    kinds = [g.kind for g in popup.results.groups]
    assert "session" in kinds and kinds == sorted(kinds, key=[k.key for k in search.KINDS].index)
    first = current_hit(popup)  # the first hit is selected, not the group header above it
    assert first.kind == kinds[0] and "town" in first.snippet_text().lower()
    popup.grab().save(str(tmp_path / "search-popup.png"))

    # Walk down to the first session, header rows are skipped; Up comes back.
    seen = [first]
    while current_hit(popup).kind != "session":
        qtbot.keyClick(popup.query, Qt.Key.Key_Down)
        assert current_hit(popup) != seen[-1]
        seen.append(current_hit(popup))
    target = current_hit(popup)
    qtbot.keyClick(popup.query, Qt.Key.Key_Down)
    qtbot.keyClick(popup.query, Qt.Key.Key_Up)
    assert current_hit(popup) == target

    qtbot.keyClick(popup.query, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not popup.isVisible())
    assert window.current_exec_id() == target.exec_id
    assert window.page.exec_id == target.exec_id
    tab = window.page.tab_widgets[1]
    assert isinstance(tab, RecordingTab)
    assert tab.shown[-1] == (target.exec_id, "session", target.item_id)
    assert window.page.tabs.currentWidget() is tab


def test_ctrl_f_reopens_with_the_last_query_and_opens_an_exec(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    popup = popup_of(window)
    qtbot.waitUntil(popup.isVisible)
    qtbot.keyClicks(popup.query, "kind:exec elodie")
    qtbot.keyClick(popup.query, Qt.Key.Key_Enter)  # Enter straight after typing searches, then opens
    qtbot.waitUntil(lambda: not popup.isVisible())
    assert window.page.name_label.text().startswith("Élodie Marchand")
    assert window.page.tabs.currentIndex() == 0  # no tab claimed an exec: the first one shows
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(popup.isVisible)
    assert popup.query.selectedText() == "kind:exec elodie"
    qtbot.keyClick(popup.query, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not popup.isVisible())


def test_without_show_item_the_tab_named_for_the_area_is_shown(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    popup = popup_of(window)
    qtbot.waitUntil(popup.isVisible)
    qtbot.keyClicks(popup.query, "kind:check_in town hall")
    qtbot.keyClick(popup.query, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not popup.isVisible())
    tabs = window.page.tabs
    assert tabs.tabText(tabs.currentIndex()).replace("&&", "&").startswith("Habit")
    recorder = window.page.tab_widgets[1]
    assert recorder.shown[-1][1] == "check_in"  # it was offered the item first and declined


def test_nothing_found_and_hostile_text_are_calm(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    popup = popup_of(window)
    qtbot.waitUntil(popup.isVisible)
    qtbot.keyClicks(popup.query, 'NEAR("zzqx -*')
    qtbot.waitUntil(lambda: popup.status.text() == "Nothing found.")
    assert popup.model.rowCount() == 0
    qtbot.keyClick(popup.query, Qt.Key.Key_Return)  # nothing to open: stays open, no error
    assert popup.isVisible()


def test_search_is_unavailable_while_its_action_is_disabled(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    action = window.findChild(QAction, ACTION_NAME)
    assert action is not None and action.shortcuts()[1].toString() == "Ctrl+F"
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    popup = popup_of(window)
    qtbot.waitUntil(popup.isVisible)
    action.setEnabled(False)  # what coaching mode does: an open popup closes at once
    assert not popup.isVisible()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    action.trigger()
    assert not popup.isVisible()
    action.setEnabled(True)
    action.trigger()
    assert popup.isVisible()
    window.hide()  # coaching mode hides the main window: the popup goes with it
    assert not popup.isVisible()
