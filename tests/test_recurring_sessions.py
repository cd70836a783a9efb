"""Recurring sessions: planned as single sessions, exported as one .ics series with an RRULE, read back."""

from __future__ import annotations

import datetime as dt
import stat
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr
from icalendar import Calendar

from esncoach.models import SessionStatus
from esncoach.services import calendar_export, execs, recurrence, sessions
from esncoach.store.errors import ValidationError
from esncoach.store.workspace import Workspace
from tests.windows import open_main_window

TODAY = dt.date(2026, 3, 2)  # a Monday
FIRST = dt.datetime(2026, 3, 3, 9, 30)  # a Tuesday
PARIS = ZoneInfo("Europe/Paris")


def _series(ws: Workspace, rule: recurrence.RecurrenceRule) -> recurrence.SeriesRow:
    exec_id = execs.add_exec(ws, name="Ana Lima", email="ana@example.com")
    return recurrence.plan_series(ws, exec_id=exec_id, starts_at=FIRST, ends_at=FIRST + dt.timedelta(minutes=45),
                                  title="Reverse mentoring", rule=rule, agenda="Practise a reply", today=TODAY)


def _read_back(data: bytes) -> tuple[object, list[dt.datetime]]:
    cal = Calendar.from_ical(data)
    (event,) = cal.walk("VEVENT")
    start = event.decoded("dtstart")
    rule = rrulestr(event["rrule"].to_ical().decode(), dtstart=start)
    exdates = event.get("exdate")
    skipped = {d.dt for d in (exdates.dts if exdates else [])}
    return event, [d for d in rule if d not in skipped]


def test_every_two_weeks_on_tuesday_until_a_date(ws: Workspace) -> None:
    series = _series(ws, recurrence.RecurrenceRule(2, until=dt.date(2026, 5, 26)))
    rows = [sessions.get_session(ws, i) for i in series.session_ids]
    assert [r.starts_at for r in rows] == [dt.datetime(2026, m, d, 9, 30) for m, d in
                                           ((3, 3), (3, 17), (3, 31), (4, 14), (4, 28), (5, 12), (5, 26))]
    assert {r.status for r in rows} == {SessionStatus.PLANNED} and {r.duration_min for r in rows} == {45}
    assert series.text == "Every 2 weeks on Tuesday at 09:30, until 26 May 2026"
    event, starts = _read_back(calendar_export.series_ics(ws, series_id=series.id, zone=PARIS))
    assert "FREQ=WEEKLY" in event["rrule"].to_ical().decode() and "BYDAY=TU" in event["rrule"].to_ical().decode()
    # Expanded by an independent RRULE implementation: the same wall-clock times, across the DST change of 29 March.
    assert [d.replace(tzinfo=None) for d in starts] == [r.starts_at for r in rows]
    assert all(d.tzinfo is not None and d.utcoffset() in (dt.timedelta(hours=1), dt.timedelta(hours=2))
               for d in starts)
    assert b"BEGIN:VTIMEZONE" in calendar_export.series_ics(ws, series_id=series.id, zone=PARIS)
    assert "ana@example.com" in str(event["attendee"])


def test_count_and_a_cancelled_occurrence_becomes_an_exdate(ws: Workspace, tmp_path: Path) -> None:
    series = _series(ws, recurrence.RecurrenceRule(1, count=4))
    assert len(series.session_ids) == 4
    sessions.set_status(ws, session_id=series.session_ids[1], status=SessionStatus.CANCELLED)
    assert recurrence.series_of(ws, session_id=series.session_ids[2]) == series
    path = calendar_export.export_series(ws, series_id=series.id, path=tmp_path / "series.ics")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    event, starts = _read_back(path.read_bytes())
    assert "COUNT=4" in event["rrule"].to_ical().decode()
    assert len(starts) == 3 and dt.datetime(2026, 3, 10, 9, 30) not in [d.replace(tzinfo=None) for d in starts]


@pytest.mark.parametrize("rule, message", [
    (recurrence.RecurrenceRule(1), "Say when the series ends"),
    (recurrence.RecurrenceRule(1, count=1), "2 to 52 sessions"),
    (recurrence.RecurrenceRule(9, count=3), "every 1 to 8 weeks"),
    (recurrence.RecurrenceRule(1, until=dt.date(2026, 3, 3)), "ends before its second session"),
    (recurrence.RecurrenceRule(1, until=dt.date(2029, 1, 1)), "two years at most"),
])
def test_bad_rules_are_refused_and_nothing_is_stored(ws: Workspace, rule: recurrence.RecurrenceRule,
                                                     message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        _series(ws, rule)
    ana = execs.find_exec(ws, "Ana Lima")
    assert sessions.list_sessions(ws, exec_id=ana.id) == []
    assert recurrence.list_series(ws) == []


def _window(qtbot, ws: Workspace):  # type: ignore[no-untyped-def]
    from esncoach.views.app_settings import AppSettings
    from esncoach.views.main_window import MainWindow

    window = open_main_window(qtbot, ws)
    return window


def _open(qtbot, window):  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from esncoach.views.sessions.recurring_dialog import RecurringSessionDialog

    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), RecurringSessionDialog))
    dialog = QApplication.activeModalWidget()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.title)
    return dialog


def test_dialog_by_keyboard_plans_the_series_and_asks_before_discarding(qtbot, ws: Workspace, tmp_path: Path,
                                                                        monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

    exec_id = execs.add_exec(ws, name="Ana Lima")
    window = _window(qtbot, ws)
    window.select_exec(exec_id)
    dialog = _open(qtbot, window)
    qtbot.keyClicks(QApplication.focusWidget(), "Listening practice")
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: answers.pop(0))
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert dialog.isVisible() and dialog.title.text() == "Listening practice"  # No keeps the typed text
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert sessions.list_sessions(ws, exec_id=exec_id) == []

    dialog = _open(qtbot, window)
    qtbot.keyClicks(QApplication.focusWidget(), "Listening practice")
    dialog.count.setValue(4)
    dialog.export.setChecked(True)
    target = tmp_path / "series.ics"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    assert dialog.preview.text().startswith("4 session")
    qtbot.keyClick(dialog.title, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    rows = sorted(sessions.list_sessions(ws, exec_id=exec_id), key=lambda r: r.starts_at)
    assert [r.title for r in rows] == ["Listening practice"] * 4
    assert [(b.starts_at - a.starts_at).days for a, b in zip(rows, rows[1:], strict=False)] == [14, 14, 14]
    _event, starts = _read_back(target.read_bytes())
    assert [d.replace(tzinfo=None) for d in starts] == [r.starts_at for r in rows]


def test_repeat_turns_the_new_session_being_typed_into_a_series(qtbot, ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from esncoach.views.sessions.dialog import SessionDialog
    from esncoach.views.sessions.recurring_dialog import RecurringSessionDialog

    exec_id = execs.add_exec(ws, name="Ana Lima")
    window = _window(qtbot, ws)
    window.select_exec(exec_id)
    # Ctrl+Shift+S runs the dialog with exec() (blocking); the Sessions tab's New… opens the same dialog with open().
    session_dialog = SessionDialog(ws, exec_id, None, window)
    session_dialog.open()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is session_dialog.title)
    QApplication.focusWidget().selectAll()
    qtbot.keyClicks(QApplication.focusWidget(), "Weekly listening")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)  # &Repeat…
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), RecurringSessionDialog))
    series_dialog = QApplication.activeModalWidget()
    assert series_dialog.title.text() == "Weekly listening"
    assert series_dialog.first.date() == session_dialog.date.date()
    series_dialog.every.setValue(1)
    series_dialog.count.setValue(3)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is series_dialog.title)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not session_dialog.isVisible())
    rows = sessions.list_sessions(ws, exec_id=exec_id)
    assert sorted(r.title for r in rows) == ["Weekly listening"] * 3  # the series, and no extra single session
    assert len(recurrence.list_series(ws, exec_id=exec_id)) == 1
