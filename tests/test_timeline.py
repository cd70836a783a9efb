"""The exec's timeline: sessions, stage moves, habit milestones and posts, newest first."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from esncoach.models import CheckInResult, HabitSchedule, LadderStage, SessionStatus
from esncoach.services import execs, habits, ladder, sessions, timeline
from esncoach.store.workspace import Workspace

START = dt.date(2026, 1, 5)


def test_timeline_merges_everything_in_order(ws: Workspace) -> None:
    today = START + dt.timedelta(days=40)
    eid = execs.add_exec(ws, name="Ada", today=START)
    habits.set_commitment(ws, exec_id=eid, description="Read daily", schedule=HabitSchedule.DAILY, started_on=START,
                          today=START)
    for i in range(40):
        habits.check_in(ws, exec_id=eid, day=START + dt.timedelta(days=i), result=CheckInResult.DONE, today=today)
    ladder.move_stage(ws, exec_id=eid, to_stage=LadderStage.LIKE, on=START + dt.timedelta(days=35), reason="Ready",
                      today=today)
    held = dt.datetime.combine(START + dt.timedelta(days=7), dt.time(9))
    sessions.save_session(ws, exec_id=eid, starts_at=held, ends_at=held + dt.timedelta(hours=1), title="First tour",
                          status=SessionStatus.HELD, outcomes="Installed the app", today=today)
    planned = dt.datetime.combine(today + dt.timedelta(days=3), dt.time(9))
    sessions.save_session(ws, exec_id=eid, starts_at=planned, ends_at=planned + dt.timedelta(hours=1),
                          title="Next one", today=today)

    events = timeline.timeline(ws, exec_id=eid, today=today)
    whens = [e.when for e in events]
    assert whens == sorted(whens, reverse=True)
    titles = [e.title for e in events]
    assert titles[0] == "Next one" and events[0].planned
    assert "Moved up to “Like”" in titles
    assert "First tour" in titles
    assert "New commitment: Read daily" in titles
    assert "Habit strength reached 50%" in titles and "Habit strength reached 80%" in titles
    assert "Streak of 10 days" in titles and "Streak of 25 days" in titles
    assert titles[-1] in ("Coaching started at “Listen”", "New commitment: Read daily")
    reached_80 = next(e for e in events if e.title == "Habit strength reached 80%")
    assert reached_80.when.date() == START + dt.timedelta(days=30)  # 0.80 is crossed on day 31
    only_stage = timeline.timeline(ws, exec_id=eid, today=today, kinds=("stage",))
    assert {e.kind for e in only_stage} == {"stage"}


def test_demo_timeline_has_every_kind(demo_ws: Workspace) -> None:
    amelia = execs.find_exec(demo_ws, "Amelia Hart")
    events = timeline.timeline(demo_ws, exec_id=amelia.id)
    assert {e.kind for e in events} >= {"session", "stage", "habit"}


def test_timeline_tab_filters_and_opens_a_session(qtbot, demo_ws: Workspace, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from esncoach.views.sessions import dialog as session_dialog
    from esncoach.views.execs.timeline_tab import TimelineTab

    tab = TimelineTab(demo_ws)
    qtbot.addWidget(tab)
    amelia = execs.find_exec(demo_ws, "Amelia Hart")
    with qtbot.waitSignal(tab.loader.sig_loaded):
        tab.set_exec(amelia.id)
    total = tab.model.rowCount()
    assert total == len(timeline.timeline(demo_ws, exec_id=amelia.id))
    tab.filters["habit"].setChecked(False)
    tab.filters["post"].setChecked(False)
    tab.filters["session"].setChecked(False)
    whats = [tab.model.item(r, 1).text() for r in range(tab.model.rowCount())]
    assert whats and all("Moved" in w or "Coaching started" in w for w in whats)
    tab.filters["session"].setChecked(True)
    opened: list[int] = []
    monkeypatch.setattr(session_dialog.SessionDialog, "open", lambda self: opened.append(self.session_id))
    row = next(r for r in range(tab.model.rowCount()) if tab.model.item(r, 1).data(Qt.ItemDataRole.UserRole + 1)
               == "session")
    tab.view.setCurrentIndex(tab.model.index(row, 1))
    with qtbot.waitSignal(tab.sig_session_activated):
        qtbot.keyClick(tab.view, Qt.Key.Key_Return)
    assert len(opened) == 1 and opened[0] is not None
