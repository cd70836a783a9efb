"""Typing in the Find-anything popup searches on a worker: the results shown are always the last text's."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from esncoach.services import search
from esncoach.store.workspace import Workspace
from esncoach.views.main_window import MainWindow
from esncoach.views.search_window import PER_KIND, HitRole, SearchPopup
from tests.windows import open_main_window


@pytest.fixture
def window(qtbot, demo_ws: Workspace) -> MainWindow:  # type: ignore[no-untyped-def]
    win = open_main_window(qtbot, demo_ws)
    return win


def test_typed_words_are_searched_off_the_ui_thread_and_the_last_text_wins(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, demo_ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: list[bool] = []
    real = search.search

    def recording(*args, **kwargs):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread() is threading.main_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(search, "search", recording)
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    popup = window.findChild(SearchPopup)
    assert popup is not None
    qtbot.waitUntil(popup.query.hasFocus)
    for word in ("t", "to", "tow", "town"):  # some searches start while an earlier one still runs
        qtbot.keyClicks(QApplication.focusWidget(), word[-1])
        qtbot.wait(30)
    qtbot.waitUntil(popup.up_to_date)
    assert popup.results is not None and popup.results.query.text == "town"
    assert threads and not any(threads)  # typing never searched on the UI thread
    expected = real(demo_ws, query="town", order=popup.order.currentData(), per_kind=PER_KIND)
    shown = [popup.model.index(r, 0).data(HitRole) for r in popup.model.hit_rows()]
    assert shown == [hit for group in expected.groups for hit in group.hits]

    qtbot.keyClicks(QApplication.focusWidget(), " hal")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)  # before the worker's answer: searched now
    qtbot.waitUntil(lambda: not popup.isVisible())
    assert popup.results.query.text == "town hal"
    assert window.current_exec_id() == popup.results.groups[0].hits[0].exec_id
