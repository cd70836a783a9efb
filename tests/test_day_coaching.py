"""Coaching mode on a CM's day: it holds the planned session, records nothing by accident, and its keys work."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QMessageBox, QScrollBar

from esncoach.models import SessionStatus
from esncoach.services import execs, sessions
from esncoach.store.workspace import Workspace
from esncoach.views.charts.progress_page import ProgressTab
from esncoach.views.coaching.coaching_window import CoachingWindow
from tests.day_helpers import Modal, make_window


def held_count(ws: Workspace) -> int:
    return sum(1 for r in execs.list_execs(ws) for s in sessions.list_sessions(ws, exec_id=r.id)
               if s.status == SessionStatus.HELD)


def answer(button: QMessageBox.StandardButton, asked: list[str]) -> Modal:
    def press(box: QMessageBox) -> None:
        asked.append(box.text())
        if button == box.defaultButton() and box.defaultButton() is not None:
            qtbot_key = box.focusWidget() or box
            from PySide6.QtTest import QTest

            QTest.keyClick(qtbot_key, Qt.Key.Key_Return)  # the default, as Enter gives it
        else:
            box.button(button).click()

    return Modal(QMessageBox, press)


def test_f5_holds_todays_planned_session_with_its_agenda(qtbot, demo_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    chen = execs.find_exec(demo_ws, "Chen Wei")
    at = (dt.datetime.now() + dt.timedelta(minutes=30)).replace(second=0, microsecond=0)
    planned = sessions.save_session(demo_ws, exec_id=chen.id, starts_at=at, ends_at=at + dt.timedelta(minutes=30),
                                    title="Listen: town hall", agenda="Town hall questions")
    count = len(sessions.list_sessions(demo_ws, exec_id=chen.id))
    window = make_window(qtbot, demo_ws)
    window.select_exec(chen.id)
    qtbot.keyClick(window, Qt.Key.Key_F5)
    coaching = window.coaching
    assert coaching.session_id == planned
    assert coaching.agenda_page.agenda.toPlainText() == "Town hall questions"
    qtbot.waitUntil(coaching.isActiveWindow)
    qtbot.keyClick(coaching, Qt.Key.Key_N)
    qtbot.keyClicks(QApplication.focusWidget(), "Agreed to post on Friday")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.keyClick(coaching, Qt.Key.Key_Escape)  # something was noted: no question, held
    qtbot.waitUntil(window.isVisible)
    assert len(sessions.list_sessions(demo_ws, exec_id=chen.id)) == count
    row = sessions.get_session(demo_ws, planned)
    assert row.status == SessionStatus.HELD and "post on Friday" in row.notes


def test_browsing_without_notes_records_nothing_by_default(qtbot, demo_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    dana = execs.find_exec(demo_ws, "Dana Okafor")
    planned = sessions.next_planned(demo_ws, exec_id=dana.id)
    assert planned is not None and planned.starts_at.date() > dt.date.today()
    before_held, before_rows = held_count(demo_ws), sessions.list_sessions(demo_ws, exec_id=dana.id)
    window = make_window(qtbot, demo_ws)
    window.select_exec(dana.id)
    asked: list[str] = []
    ask = answer(QMessageBox.StandardButton.No, asked)  # "hold the one planned for …?" No: a new session
    qtbot.keyClick(window, Qt.Key.Key_F5)
    ask.check()
    coaching = window.coaching
    assert coaching.session_id != planned.id
    qtbot.waitUntil(coaching.isActiveWindow)
    for _ in range(3):
        qtbot.keyClick(coaching, Qt.Key.Key_Right)
    ask = answer(QMessageBox.StandardButton.No, asked)  # the default (Enter) of "record a held session?"
    qtbot.keyClick(coaching, Qt.Key.Key_Escape)
    ask.check()
    qtbot.waitUntil(window.isVisible)
    assert "planned for" in asked[0] and "Nothing was noted" in asked[1]
    assert held_count(demo_ws) == before_held
    assert sessions.list_sessions(demo_ws, exec_id=dana.id) == before_rows  # the new session is gone again


def test_nearest_planned_session_is_held_when_the_cm_agrees(qtbot, demo_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    dana = execs.find_exec(demo_ws, "Dana Okafor")
    planned = sessions.next_planned(demo_ws, exec_id=dana.id)
    window = make_window(qtbot, demo_ws)
    window.select_exec(dana.id)
    asked: list[str] = []
    ask = answer(QMessageBox.StandardButton.Yes, asked)
    qtbot.keyClick(window, Qt.Key.Key_F5)
    ask.check()
    coaching = window.coaching
    assert coaching.session_id == planned.id
    assert coaching.agenda_page.agenda.toPlainText() == planned.agenda
    qtbot.waitUntil(coaching.isActiveWindow)
    ask = answer(QMessageBox.StandardButton.No, asked)
    qtbot.keyClick(coaching, Qt.Key.Key_Escape)
    ask.check()
    qtbot.waitUntil(window.isVisible)
    assert sessions.get_session(demo_ws, planned.id).status == SessionStatus.PLANNED  # left as planned
    assert "no session recorded" in window.statusBar().currentMessage()


def test_ticking_a_commitment_counts_as_holding_the_session(qtbot, demo_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    amelia = execs.find_exec(demo_ws, "Amelia Hart")
    window = CoachingWindow(demo_ws, window_settings(), exec_id=amelia.id)
    qtbot.addWidget(window)
    window.show_coaching()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_Right)
    check = window.commitments_page.checks[0]
    check.setFocus()
    qtbot.keyClick(check, Qt.Key.Key_Space)  # Space on a box ticks it rather than turning the page
    assert window.current_index() == 1
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert sessions.get_session(demo_ws, window.session_id).status == SessionStatus.HELD


def window_settings():  # type: ignore[no-untyped-def]
    from esncoach.views.app_settings import AppSettings

    return AppSettings()


def test_paging_keys_work_after_touching_a_chart_scrollbar_and_esc_always_leaves(qtbot, demo_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    dana = execs.find_exec(demo_ws, "Dana Okafor")
    window = CoachingWindow(demo_ws, window_settings(), exec_id=dana.id)
    qtbot.addWidget(window)
    window.show_coaching()
    qtbot.waitUntil(window.isActiveWindow)
    progress = next(n for n, p in enumerate(window.pages) if isinstance(getattr(p, "inner", None), ProgressTab))
    window.go_to(progress)
    page = window.pages[progress]
    area = next(w for w in page.findChildren(QAbstractScrollArea) if w.isVisible())
    area.setFocus(Qt.FocusReason.MouseFocusReason)  # what dragging its scroll bar does
    assert QApplication.focusWidget() is area
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Right)
    assert window.current_index() == progress + 1
    qtbot.keyClick(window, Qt.Key.Key_Left)
    bar = next((w for w in page.findChildren(QScrollBar) if w.isVisible()), None)
    if bar is not None:
        bar.setFocus(Qt.FocusReason.MouseFocusReason)
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Left)
        assert window.current_index() == progress - 1
    # Esc from inside a text field leaves at once (what was typed is recorded).
    window.go_to(window.pages.index(window.notes_page))
    window.notes_page.notes.setFocus()
    qtbot.keyClicks(QApplication.focusWidget(), "Calm today")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Right)  # typing: the cursor moves, not the page
    assert window.current_index() == window.pages.index(window.notes_page)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert not window.isVisible()
    assert "Calm today" in sessions.get_session(demo_ws, window.session_id).notes
