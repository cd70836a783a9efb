"""Reminders: what is due (service), shown once each, turned off by a setting; Today at start-up."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from esncoach.models import ActionOwner
from esncoach.services import execs, reminders, sessions, settings, today
from esncoach.store.workspace import Workspace
from esncoach.views.main_window import MainWindow
from esncoach.views.today import reminders_view
from tests.windows import open_main_window

NOW = dt.datetime(2026, 3, 10, 13, 50)


def _setup(ws: Workspace) -> dict[str, int]:
    ana = execs.add_exec(ws, name="Ana Lima", today=NOW.date() - dt.timedelta(days=90))
    bo = execs.add_exec(ws, name="Bo Chen", today=NOW.date() - dt.timedelta(days=90))
    start = NOW.replace(hour=14, minute=0)
    sid = sessions.save_session(ws, exec_id=ana, starts_at=start, ends_at=start + dt.timedelta(minutes=30),
                                title="Listening practice", today=NOW.date())
    held = sessions.save_session(
        ws, exec_id=bo, starts_at=NOW - dt.timedelta(days=40), ends_at=NOW - dt.timedelta(days=40, minutes=-30),
        title="Kick-off", today=NOW.date(),
        action_items=[sessions.ActionItemInput("Send the cheat sheet", ActionOwner.CM, NOW.date())])
    sessions.set_status(ws, session_id=held, status=sessions.SessionStatus.HELD)
    return {"ana": ana, "bo": bo, "session": sid}


def test_due_reminders_session_actions_and_stay_in_touch(ws: Workspace) -> None:
    ids = _setup(ws)
    found = {r.kind: r for r in reminders.due_reminders(ws, now=NOW)}
    assert found["session"].title == "Session with Ana Lima in 10 minutes"
    assert found["session"].session_id == ids["session"]
    assert found["actions"].title == "1 action item due" and "Send the cheat sheet" in found["actions"].text
    assert found["touch"].exec_id == ids["bo"] and "Bo Chen" in found["touch"].text
    # 30 minutes before, the session is not due yet (lead time 15 minutes); the lead time is a workspace setting.
    early = NOW - dt.timedelta(minutes=20)
    assert "session" not in {r.kind for r in reminders.due_reminders(ws, now=early)}
    settings.put(ws, reminders.SESSION_LEAD_MINUTES, 45)
    assert "session" in {r.kind for r in reminders.due_reminders(ws, now=early)}
    settings.put(ws, today.STAY_IN_TOUCH_DAYS, 0)
    assert "touch" not in {r.kind for r in reminders.due_reminders(ws, now=NOW)}


def _window(qtbot, ws: Workspace) -> MainWindow:  # type: ignore[no-untyped-def]
    window = open_main_window(qtbot, ws)
    return window


def test_each_reminder_is_shown_once_and_the_setting_turns_them_off(qtbot, ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    _setup(ws)
    window = _window(qtbot, ws)
    window.settings.today_at_start = False
    reminders_view.install_daily_tools(window)
    notifier = window.reminder_notifier
    shown: list[reminders.Reminder] = []
    notifier.sig_reminded.connect(shown.append)
    notifier.check(NOW)
    qtbot.waitUntil(lambda: len(shown) == 3, timeout=30_000)
    if notifier.tray is None:  # no system tray offscreen: the status bar carries every reminder
        message = window.statusBar().currentMessage()
        assert "Session with Ana Lima in" in message and "Send the cheat sheet" in message and "Bo Chen" in message
    notifier.check(NOW + dt.timedelta(minutes=1))
    qtbot.wait_until(lambda: not notifier._busy, timeout=30_000)
    assert len(shown) == 3  # nothing repeats

    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.findChild(type(window.menus["Tools"].actions()[0]), "hook:esncoach.views.today.reminders_view:"
                                                                "open_reminder_settings").trigger()
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), reminders_view.RemindersDialog))
    dialog = QApplication.activeModalWidget()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.enabled)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)  # untick "Show desktop reminders"
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    QApplication.focusWidget().selectAll()
    qtbot.keyClicks(QApplication.focusWidget(), "10")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert window.settings.reminders_enabled is False
    assert settings.get(ws, today.STAY_IN_TOUCH_DAYS) == 10
    assert not notifier.timer.isActive()
    notifier.check(NOW + dt.timedelta(days=1))
    assert not notifier._busy and len(shown) == 3  # off means off


def test_reminder_settings_ask_before_discarding(qtbot, ws: Workspace, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, ws)
    dialog = reminders_view.open_reminder_settings(window)
    dialog.touch.setValue(3)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    dialog.reject()
    assert dialog.isVisible()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    dialog.reject()
    assert settings.get(ws, today.STAY_IN_TOUCH_DAYS) == 21


def test_today_shows_at_start_up_unless_turned_off(qtbot, demo_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, demo_ws)
    reminders_view.install_daily_tools(window)
    qtbot.waitUntil(lambda: getattr(window, "_today_window", None) is not None
                    and window._today_window.isVisible(), timeout=30_000)
    assert window._today_window.overview is not None
    second = _window(qtbot, demo_ws)
    second.settings.today_at_start = False
    reminders_view.install_daily_tools(second)
    QApplication.processEvents()
    qtbot.waitUntil(lambda: not reminders_view_tasks_running())
    assert getattr(second, "_today_window", None) is None


def reminders_view_tasks_running() -> bool:
    from esncoach.views import tasks

    return not tasks.wait_all(0)
