"""The Today screen: what the day holds (service) and the keyboard window that opens each item."""

from __future__ import annotations

import datetime as dt
import sys

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from esncoach.models import ActionOwner, CheckInResult, HabitSchedule
from esncoach.services import execs, habits, sessions, settings, today
from esncoach.store.workspace import Workspace
from esncoach.views.main_window import MainWindow
from tests.windows import open_main_window

DAY = dt.date(2026, 3, 10)  # a Tuesday


def _plan(ws: Workspace, exec_id: int, when: dt.datetime, title: str = "Plan", **kw) -> int:  # type: ignore[no-untyped-def]
    return sessions.save_session(ws, exec_id=exec_id, starts_at=when, ends_at=when + dt.timedelta(minutes=30),
                                 title=title, today=DAY, **kw)


def _small_workspace(ws: Workspace) -> dict[str, int]:
    ids = {
        "ana": execs.add_exec(ws, name="Ana Lima", today=DAY - dt.timedelta(days=60)),
        "bo": execs.add_exec(ws, name="Bo Chen", today=DAY - dt.timedelta(days=60)),
    }
    ids["s_today"] = _plan(ws, ids["ana"], dt.datetime.combine(DAY, dt.time(14, 0)), "Listen together")
    ids["s_week"] = _plan(ws, ids["bo"], dt.datetime.combine(DAY + dt.timedelta(days=3), dt.time(9, 0)), "Comment")
    _plan(ws, ids["bo"], dt.datetime.combine(DAY + dt.timedelta(days=20), dt.time(9, 0)), "Too far")
    held = _plan(ws, ids["ana"], dt.datetime.combine(DAY - dt.timedelta(days=7), dt.time(9, 0)), "Held",
                 action_items=[sessions.ActionItemInput("Send the cheat sheet", ActionOwner.CM, DAY - dt.timedelta(days=2)),
                               sessions.ActionItemInput("Read the stream", ActionOwner.EXEC, DAY),
                               sessions.ActionItemInput("Later", ActionOwner.EXEC, DAY + dt.timedelta(days=5))])
    sessions.set_status(ws, session_id=held, status=sessions.SessionStatus.HELD)
    habits.set_commitment(ws, exec_id=ids["ana"], description="Read daily", schedule=HabitSchedule.DAILY,
                          started_on=DAY - dt.timedelta(days=10), today=DAY)
    habits.check_in(ws, exec_id=ids["ana"], day=DAY - dt.timedelta(days=1), result=CheckInResult.DONE, today=DAY)
    return ids


def test_overview_sections_hold_the_day(ws: Workspace) -> None:
    ids = _small_workspace(ws)
    o = today.overview(ws, today=DAY)
    assert [i.session_id for i in o.sections["today"]] == [ids["s_today"]]
    assert [i.session_id for i in o.sections["week"]] == [ids["s_week"]]
    actions = o.sections["actions"]
    assert [a.text.split(" — ")[0] for a in actions] == ["Send the cheat sheet", "Read the stream"]
    assert actions[0].urgent and "2 days late" in actions[0].text and not actions[1].urgent
    checkins = o.sections["checkins"]
    assert [(c.exec_name, c.text) for c in checkins] == [("Ana Lima", "Read daily — today not recorded")]
    assert "Ana Lima" in {a.exec_name for a in o.sections["attention"]}  # overdue action item


def test_stay_in_touch_follows_the_workspace_setting(ws: Workspace) -> None:
    ids = _small_workspace(ws)
    # Bo has a planned session, Ana held one 7 days ago and has one planned today: nobody is nudged.
    assert today.stay_in_touch(ws, today=DAY) == []
    sessions.delete_session(ws, session_id=ids["s_today"])
    settings.put(ws, today.STAY_IN_TOUCH_DAYS, 5)
    nudged = today.stay_in_touch(ws, today=DAY)
    assert [(n.exec_name, n.text) for n in nudged] == [("Ana Lima", "No session for 7 days and none planned")]
    settings.put(ws, today.STAY_IN_TOUCH_DAYS, 0)
    assert today.stay_in_touch(ws, today=DAY) == []


def test_the_service_imports_no_qt() -> None:
    import subprocess

    code = "import sys, esncoach.services.today; print('PySide6' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == "False", out.stderr


def _window(qtbot, ws: Workspace) -> MainWindow:  # type: ignore[no-untyped-def]
    window = open_main_window(qtbot, ws)
    return window


def test_ctrl_t_opens_today_and_enter_opens_the_session(qtbot, demo_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, demo_ws)
    qtbot.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    dialog = window._today_window
    qtbot.waitUntil(dialog.isVisible)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.tree and dialog.overview is not None)
    overview = dialog.overview
    assert overview is not None and overview.sections["week"]  # the demo plans sessions in the next days
    # The cursor starts on the first item; walk down to the first session of the week.
    target = overview.sections["week"][0]
    while dialog.current_item() != target:
        qtbot.keyClick(dialog.tree, Qt.Key.Key_Down)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert window.current_exec_id() == target.exec_id
    from esncoach.views.sessions.dialog import SessionDialog

    qtbot.waitUntil(lambda: any(isinstance(w, SessionDialog) and w.isVisible() for w in QApplication.topLevelWidgets()))
    opened = next(w for w in QApplication.topLevelWidgets() if isinstance(w, SessionDialog) and w.isVisible())
    assert opened.session_id == target.session_id
    opened.reject()


def test_today_lists_every_section_and_counts_with_plurals(qtbot, demo_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, demo_ws)
    qtbot.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    dialog = window._today_window
    qtbot.waitUntil(lambda: dialog.overview is not None)
    labels = [dialog.tree.topLevelItem(i).text(0) for i in range(dialog.tree.topLevelItemCount())]
    assert [lbl.split(" — ")[0] for lbl in labels] == list(today.SECTION_TITLES.values())
    assert not any("1 items" in lbl for lbl in labels)
    qtbot.keyClick(dialog.tree, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())


def test_enter_on_an_exec_item_selects_them_and_steps_aside(qtbot, demo_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, demo_ws)
    qtbot.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    dialog = window._today_window
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.tree and dialog.overview is not None)
    target = dialog.overview.sections["attention"][0]
    while dialog.current_item() != target:
        qtbot.keyClick(dialog.tree, Qt.Key.Key_Down)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert window.current_exec_id() == target.exec_id
    assert not dialog.isVisible() and "Ctrl+T" in window.statusBar().currentMessage()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: dialog.isVisible() and dialog._task is None)
    assert dialog.current_item() == target  # back where the CM left off


def test_cli_today_json_in_a_real_process(tmp_path, passphrase_file) -> None:  # type: ignore[no-untyped-def]
    import json
    import os
    import subprocess

    env = dict(os.environ, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    db = str(tmp_path / "d.db")
    common = ["--db", db, "--passphrase-file", str(passphrase_file)]
    run = [sys.executable, "-m", "esncoach"]
    assert subprocess.run([*run, "demo", *common], capture_output=True, env=env, timeout=300).returncode == 0
    out = subprocess.run([*run, "today", *common, "--json"], capture_output=True, text=True, env=env, timeout=300)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert list(data["sections"]) == list(today.SECTION_TITLES)
    week = data["sections"]["week"]
    assert week and {"exec_name", "session_id", "when", "urgent"} <= set(week[0])
    text = subprocess.run([*run, "today", *common], capture_output=True, text=True, env=env, timeout=300)
    assert "Sessions in the next 7 days" in text.stdout
