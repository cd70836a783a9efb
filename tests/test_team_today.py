"""Today and reminders on a team server: a CM's own day, the programme lead's programme view, live refresh.

Runs as the real roles of tests/checkout_kit (``ann`` coaches Amelia Hart and Bruno Castillo, ``bob`` also
Amelia Hart, ``lee`` leads) on a private copy of the demo team workspace: the server's policies decide what
each login reads, the windows are the real ones opened by their shortcut.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QGroupBox, QLabel

from esncoach.services import execs, reminders, team, today
from esncoach.views.main_window import MainWindow
from esncoach.views.today import reminders_view
from esncoach.views.today.today_window import TodayWindow
from tests.checkout_kit import AMELIA, BRUNO, Team, crew  # noqa: F401 - fixture
from tests.test_team_members_gui import _window


def _active_names(crew: Team) -> set[str]:
    return {name for (name,) in crew.sql("SELECT name FROM exec WHERE NOT archived")}


def _names(overview: today.TodayOverview) -> set[str]:
    return {item.exec_name for item in overview.items()}


def test_today_is_a_cms_own_day_and_the_leads_programme(crew: Team) -> None:
    with crew.open("ann") as ann, crew.open("bob") as bob, crew.open("lee") as lee:
        mine = today.overview(ann)
        assert not mine.programme and list(mine.titles) == list(today.SECTION_TITLES)
        assert _names(mine) and _names(mine) <= {AMELIA, BRUNO}  # never a colleague's exec
        assert _names(today.overview(bob)) <= {AMELIA}
        late = [i for i in mine.sections["actions"] if i.urgent]
        assert late  # the demo has overdue action items on Bruno: the lead sees them as ann's

        programme = today.overview(lee)
        assert programme.programme and list(programme.sections) == list(today.PROGRAMME_TITLES)
        assert not {i.kind for i in programme.items()} & {"session", "action", "checkin", "attention", "touch", "ready"}
        assert {i.exec_name for i in programme.sections["unassigned"]} == _active_names(crew) - {AMELIA, BRUNO}
        by_cm = {i.who: i for i in programme.sections["overdue"]}
        assert crew.role("ann") in by_cm and crew.role("lee") not in by_cm
        assert by_cm[crew.role("ann")].text.startswith(f"{len(late)} overdue action item")
        assert by_cm[crew.role("ann")].exec_name in {AMELIA, BRUNO}  # Enter opens the oldest one

        # Reminders: a CM's own day; the lead is reminded only of execs waiting for a CM.
        assert {r.kind for r in reminders.due_reminders(lee)} == {"unassigned"}
        assert "unassigned" not in {r.kind for r in reminders.due_reminders(ann)}
        assert any(r.kind == "actions" for r in reminders.due_reminders(ann))


def test_cli_today_for_the_lead_is_the_programme(crew: Team) -> None:
    run = [sys.executable, "-m", "esncoach", "today", "--db", crew.url("lee")]
    out = subprocess.run([*run, "--json"], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert list(data["sections"]) == list(today.PROGRAMME_TITLES)
    assert {i["exec_name"] for i in data["sections"]["unassigned"]} == _active_names(crew) - {AMELIA, BRUNO}
    text = subprocess.run(run, capture_output=True, text=True, timeout=300)
    assert "Executives with no CM yet" in text.stdout and "Sessions today" not in text.stdout


def _open_today(qtbot, window: MainWindow) -> TodayWindow:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(window.live_refresh.listener.connected.is_set, timeout=10_000)
    qtbot.keyClick(window.table, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: getattr(window, "_today_window", None) is not None)
    dialog = window._today_window
    qtbot.waitUntil(lambda: dialog.isVisible() and dialog.overview is not None and dialog._task is None,
                    timeout=30_000)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.tree)
    return dialog


def _rows(dialog: TodayWindow) -> list[today.TodayItem]:
    tree = dialog.tree
    return [tree.topLevelItem(i).child(j).data(0, Qt.ItemDataRole.UserRole + 1)
            for i in range(tree.topLevelItemCount()) for j in range(tree.topLevelItem(i).childCount())]


def test_the_leads_today_and_reminders_are_the_programme(qtbot, crew: Team,  # type: ignore[no-untyped-def]
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    for window in _window(qtbot, crew, "lee"):
        dialog = _open_today(qtbot, window)
        assert dialog.findChild(QLabel, "programmeNote").isVisible()
        headings = [dialog.tree.topLevelItem(i).text(0).split(" — ")[0] for i in range(dialog.tree.topLevelItemCount())]
        assert headings == list(today.PROGRAMME_TITLES.values())
        rows = _rows(dialog)
        assert {r.kind for r in rows} <= {"unassigned", "cm"}
        waiting = {r.exec_name for r in rows if r.kind == "unassigned"}
        assert "Chen Wei" in waiting and AMELIA not in waiting
        # The owner assigns Isabel Moreno, under the lead's cursor, to bob: the lead's open Today follows
        # without Refresh, the cursor on the line that took her place (not back at the top).
        isabel = next(r for r in rows if r.exec_name == "Isabel Moreno")
        after = rows[rows.index(isabel) + 1]
        while dialog.current_item() != isabel:
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down)
        with crew.open("owner") as owner:
            team.assign(owner, exec_name="Isabel Moreno", cm=crew.role("bob"))
        qtbot.waitUntil(lambda: isabel not in _rows(dialog), timeout=10_000)
        assert dialog.current_item() == after
        # Enter on a CM's line opens the oldest overdue action item's exec, read-only as ever.
        line = next(r for r in _rows(dialog) if r.kind == "cm")
        while dialog.current_item() != line:
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down)
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
        assert window.current_exec_id() == line.exec_id and not dialog.isVisible()
        qtbot.waitUntil(lambda: getattr(window.page.tabs.currentWidget(), "current_session_id", lambda: None)()
                        == line.session_id, timeout=10_000)  # the Sessions tab, on the item's session

        # Reminders in the status bar (no tray offscreen): nothing of a CM's to-dos.
        window.settings.today_at_start = False
        reminders_view.install_daily_tools(window)
        shown: list[reminders.Reminder] = []
        window.reminder_notifier.sig_reminded.connect(shown.append)
        window.reminder_notifier.check()
        qtbot.waitUntil(lambda: bool(shown) and not window.reminder_notifier._busy, timeout=30_000)
        assert [r.kind for r in shown] == ["unassigned"]
        if window.reminder_notifier.tray is None:
            message = window.statusBar().currentMessage()
            assert "no CM yet" in message and "action item" not in message

        # Tools ▸ Reminders…: the CMs' workspace settings are shown, not offered; this computer's are.
        errors: list[str] = []
        monkeypatch.setattr(reminders_view, "show_error", lambda _w, _t, exc: errors.append(str(exc)))
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        window.findChild(QAction, "hook:esncoach.views.today.reminders_view:open_reminder_settings").trigger()
        qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), reminders_view.RemindersDialog))
        settings_dialog = QApplication.activeModalWidget()
        assert not settings_dialog.lead.isEnabled() and not settings_dialog.touch.isEnabled()
        qtbot.waitUntil(lambda: QApplication.focusWidget() is settings_dialog.enabled)
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)  # untick "Show desktop reminders"
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: not settings_dialog.isVisible())
        assert errors == [] and window.settings.reminders_enabled is False


def test_a_cms_today_follows_the_leads_unassignment_and_keeps_the_place(qtbot, crew: Team) -> None:  # type: ignore[no-untyped-def]
    for window in _window(qtbot, crew, "ann"):
        dialog = _open_today(qtbot, window)
        dialog.resize(520, 230)  # small enough to scroll
        rows = _rows(dialog)
        assert {r.exec_name for r in rows} == {AMELIA, BRUNO}
        target = [r for r in rows if r.exec_name == AMELIA][-1]
        while dialog.current_item() != target:
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down)
        bar = dialog.tree.verticalScrollBar()
        assert bar.maximum() > 0
        scroll = bar.value()

        # A change that leaves ann's list as it is (the lead assigns someone else) re-reads it in place.
        with crew.open("lee") as lee, qtbot.waitSignal(dialog.sig_refreshed, timeout=10_000):
            team.assign(lee, exec_name="Chen Wei", cm=crew.role("bob"))
        assert dialog.current_item() == target and bar.value() == scroll

        # The lead takes Bruno from ann: gone from her open Today, her cursor still on the same line.
        with crew.open("lee") as lee:
            team.unassign(lee, exec_name=BRUNO, cm=crew.role("ann"))
        qtbot.waitUntil(lambda: BRUNO not in {r.exec_name for r in _rows(dialog)}, timeout=10_000)
        assert {r.exec_name for r in _rows(dialog)} == {AMELIA}
        assert dialog.current_item() == target
        current = dialog.tree.currentItem()
        assert dialog.tree.viewport().rect().contains(dialog.tree.visualItemRect(current))


@pytest.mark.parametrize("who", ["ann", "bob", "lee"])
def test_the_private_notes_box_says_whose_they_are(qtbot, crew: Team, who: str) -> None:  # type: ignore[no-untyped-def]
    (note,) = crew.sql("SELECT p.text FROM team_private_note p JOIN exec e ON e.id = p.exec_id WHERE e.name = %s",
                       AMELIA)[0]
    assert note.strip()
    for window in _window(qtbot, crew, who):
        qtbot.waitUntil(window.live_refresh.listener.connected.is_set, timeout=10_000)
        window.select_exec(execs.find_exec(window.ws, AMELIA).id)
        qtbot.waitUntil(lambda: window.page.findChild(QGroupBox, "privateNotes") is not None, timeout=10_000)
        box = window.page.findChild(QGroupBox, "privateNotes")
        tab = box.parentWidget()
        qtbot.waitUntil(lambda: tab._notes_shown is not None, timeout=10_000)
        if who == "lee":  # the lead can never read private notes: no empty box
            assert box.isHidden()
            continue
        assert box.isVisible() and "only you can read them" in box.title()
        assert (tab.notes.text() == note) == (who == "ann")  # ann wrote it; bob sees his own (none)
