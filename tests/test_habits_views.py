"""Habit screens driven from the keyboard and mouse: the check-in list, the habit tab, the commitment dialog."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QInputDialog

from esncoach.models import CheckInResult, HabitSchedule
from esncoach.services import execs, habits
from esncoach.store.workspace import Workspace
from esncoach.views.habits.checkin_view import CheckInWindow
from esncoach.views.habits.tab import CommitmentDialog, HabitTab

TODAY = dt.date.today()


def _two_execs(ws: Workspace) -> tuple[int, int]:
    start = TODAY - dt.timedelta(days=20)
    a = execs.add_exec(ws, name="Ada Lovelace", today=start)
    b = execs.add_exec(ws, name="Bea Barnes", today=start)
    habits.set_commitment(ws, exec_id=a, description="Read the stream", schedule=HabitSchedule.DAILY,
                          started_on=start, today=start)
    habits.set_commitment(ws, exec_id=b, description="Like 3 posts", schedule=HabitSchedule.TIMES_PER_PERIOD,
                          times=3, period_days=7, started_on=start, today=start)
    execs.add_exec(ws, name="Cy No Habit")
    return a, b


def test_check_in_with_the_keyboard(qtbot, ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    a, b = _two_execs(ws)
    window = CheckInWindow(ws)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.model.rowCount() == 2  # the exec without a habit is not listed
    assert window.table.currentIndex().row() == 0
    qtbot.keyClick(window.table, Qt.Key.Key_D)  # Ada done, cursor moves to Bea
    assert window.table.currentIndex().row() == 1
    qtbot.keyClick(window.table, Qt.Key.Key_S)  # Bea skipped
    assert habits.habit_status(ws, exec_id=a).today_result == CheckInResult.DONE
    assert habits.habit_status(ws, exec_id=b).today_result == CheckInResult.SKIPPED
    assert window.summary.text() == "2 of 2 entered"
    assert "Done" in window.model.index(0, 3).data()

    qtbot.keyClick(window.table, Qt.Key.Key_Up)
    qtbot.keyClick(window.table, Qt.Key.Key_Space)  # clear Ada's
    assert habits.habit_status(ws, exec_id=a).today_result is None

    qtbot.keyClick(window.table, Qt.Key.Key_BracketLeft)  # yesterday
    assert window.current_day() == TODAY - dt.timedelta(days=1)
    qtbot.keyClick(window.table, Qt.Key.Key_M)
    yesterday = habits.check_ins(ws, habit_id=habits.habit_status(ws, exec_id=a).habit_id,
                                 start=TODAY - dt.timedelta(days=1), end=TODAY)
    assert [(c.day, c.result) for c in yesterday] == [(TODAY - dt.timedelta(days=1), CheckInResult.MISSED)]
    qtbot.keyClick(window.table, Qt.Key.Key_BracketRight)
    qtbot.keyClick(window.table, Qt.Key.Key_BracketRight)  # cannot go past today
    assert window.current_day() == TODAY
    assert not window.next_button.isEnabled()


def test_note_key_asks_for_a_note(qtbot, ws: Workspace, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    a, _b = _two_execs(ws)
    window = CheckInWindow(ws)
    qtbot.addWidget(window)
    window.show()
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("From the airport lounge", True))
    qtbot.keyClick(window.table, Qt.Key.Key_N)
    st = habits.habit_status(ws, exec_id=a)
    assert st.today_note == "From the airport lounge" and st.today_result == CheckInResult.DONE
    assert window.model.index(0, 7).data() == "From the airport lounge"


def test_demo_check_in_list_covers_every_exec(qtbot, demo_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    window = CheckInWindow(demo_ws)
    qtbot.addWidget(window)
    assert window.model.rowCount() == 12
    names = [window.model.index(r, 0).data() for r in range(12)]
    assert names[:2] == ["Amelia Hart", "Bruno Castillo"] and "Élodie Marchand" in names[3:6]


def test_habit_tab_commitment_and_today_buttons(qtbot, ws: Workspace, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    eid = execs.add_exec(ws, name="Ada Lovelace")
    tab = HabitTab(ws)
    qtbot.addWidget(tab)
    with qtbot.waitSignal(tab.loader.sig_loaded):
        tab.set_exec(eid)
    assert "No commitment yet" in tab.description.text()
    assert not tab.done_button.isEnabled()

    dialog = CommitmentDialog(ws, eid, tab)
    qtbot.addWidget(dialog)
    dialog.accept()
    assert dialog.error_label.text() == "Commitment is required."  # the field is labelled Commitment
    qtbot.keyClicks(dialog.description, "Like 3 posts a week")
    dialog.schedule.setCurrentIndex(dialog.schedule.findData(HabitSchedule.TIMES_PER_PERIOD))
    dialog.times.setValue(3)
    dialog.period.setValue(7)
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted
    tab.refresh()
    assert tab.description.text() == "Like 3 posts a week"
    assert tab.schedule_label.text().startswith("3 times a week")
    with qtbot.waitSignal(tab.sig_data_changed):
        qtbot.mouseClick(tab.done_button, Qt.MouseButton.LeftButton)
    assert habits.habit_status(ws, exec_id=eid).today_result == CheckInResult.DONE
    assert "today: done" in tab.stats.text()
    assert tab.strength_bar.value() > 0
    QApplication.processEvents()


def test_menu_entries_open_check_ins_and_attention(qtbot, demo_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QAction

    from esncoach.views.app_settings import AppSettings
    from esncoach.views.habits.attention_view import AttentionWindow
    from esncoach.views.main_window import MainWindow

    window = MainWindow(demo_ws, AppSettings())
    qtbot.addWidget(window)
    window.show()
    checkins = window.findChild(QAction, "hook:esncoach.views.habits.checkin_view:open_checkins")
    assert checkins.shortcut().toString() == "Ctrl+Shift+K"
    checkins.trigger()
    dialog = window.findChild(CheckInWindow)
    assert dialog is not None and dialog.isVisible()
    first = dialog.model.rows[0][0]
    qtbot.keyClick(dialog.table, Qt.Key.Key_D)
    assert habits.habit_status(demo_ws, exec_id=first).today_result == CheckInResult.DONE
    dialog.close()

    window.findChild(QAction, "hook:esncoach.views.habits.attention_view:open_attention").trigger()
    attention_window = window.findChild(AttentionWindow)
    assert attention_window is not None
    target = attention_window.list.model.items[1].exec_id
    attention_window.list.view.setCurrentIndex(attention_window.list.model.index(1, 0))
    qtbot.keyClick(attention_window.list.view, Qt.Key.Key_Return)
    assert window.current_exec_id() == target
    attention_window.close()
