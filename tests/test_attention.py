"""The needs-attention rules (core) and the reusable AttentionList widget driven as a user would."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from esncoach.models import CheckInResult, HabitSchedule, SessionStatus
from esncoach.services import attention, execs, habits, sessions, settings
from esncoach.services.sessions import ActionItemInput
from esncoach.store.workspace import Workspace

START = dt.date(2026, 1, 5)


def test_rules_falling_strength_old_session_overdue_items(ws: Workspace) -> None:
    today = START + dt.timedelta(days=60)
    fine = execs.add_exec(ws, name="Fine Person", today=START)
    fading = execs.add_exec(ws, name="Fading Person", today=START)
    for eid in (fine, fading):
        habits.set_commitment(ws, exec_id=eid, description="Read", schedule=HabitSchedule.DAILY, started_on=START,
                              today=START)
        for i in range(60):
            day = START + dt.timedelta(days=i)
            result = CheckInResult.MISSED if eid == fading and i >= 46 else CheckInResult.DONE
            habits.check_in(ws, exec_id=eid, day=day, result=result, today=today)
        sessions.save_session(ws, exec_id=eid, starts_at=dt.datetime.combine(today - dt.timedelta(days=5), dt.time(9)),
                              ends_at=dt.datetime.combine(today - dt.timedelta(days=5), dt.time(10)), title="S",
                              status=SessionStatus.HELD, today=today)
    stale = execs.add_exec(ws, name="Stale Person", today=START)
    sessions.save_session(
        ws, exec_id=stale, starts_at=dt.datetime.combine(today - dt.timedelta(days=45), dt.time(9)),
        ends_at=dt.datetime.combine(today - dt.timedelta(days=45), dt.time(10)), title="S", status=SessionStatus.HELD,
        action_items=[ActionItemInput("Overdue thing", due=today - dt.timedelta(days=3)),
                      ActionItemInput("Future thing", due=today + dt.timedelta(days=3))], today=today)

    items = {a.exec_name: a for a in attention.needs_attention(ws, today=today)}
    assert "Fine Person" not in items
    assert [r.kind for r in items["Fading Person"].reasons] == ["habit"]
    assert "Habit strength falling" in items["Fading Person"].reasons[0].text
    stale_reasons = {r.kind: r.text for r in items["Stale Person"].reasons}
    assert stale_reasons["session"] == "Last session 45 days ago and none planned"
    assert stale_reasons["overdue"] == "1 action item overdue (3 days late)"

    settings.put(ws, attention.SESSION_GAP_DAYS, 60)  # thresholds are workspace settings
    items = {a.exec_name: a for a in attention.needs_attention(ws, today=today)}
    assert [r.kind for r in items["Stale Person"].reasons] == ["overdue"]

    execs.set_archived(ws, stale, archived=True)
    assert "Stale Person" not in {a.exec_name for a in attention.needs_attention(ws, today=today)}


def test_never_coached_exec_is_listed(ws: Workspace) -> None:
    execs.add_exec(ws, name="New Person", today=START)
    items = attention.needs_attention(ws, today=START)
    assert [a.summary() for a in items] == ["No session held yet"]


def test_demo_attention_list_has_stories(demo_ws: Workspace) -> None:
    items = {a.exec_name: a for a in attention.needs_attention(demo_ws)}
    assert any(r.kind == "habit" for a in items.values() for r in a.reasons)
    assert "Last session" in items["Greta Lindqvist"].summary()
    assert any(r.kind == "overdue" for r in items["Bruno Castillo"].reasons)


def test_attention_widget_lists_and_activates(qtbot, demo_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    from esncoach.views.habits.attention_view import AttentionList

    widget = AttentionList(demo_ws)
    qtbot.addWidget(widget)
    widget.show()
    expected = attention.needs_attention(demo_ws)
    assert widget.view.model().rowCount() == len(expected)
    first = widget.view.model().index(0, 0)
    assert expected[0].exec_name in first.data()
    widget.view.setFocus()
    widget.view.setCurrentIndex(first)
    with qtbot.waitSignal(widget.sig_exec_activated) as blocker:
        qtbot.keyClick(widget.view, Qt.Key.Key_Return)
    assert blocker.args == [expected[0].exec_id]


def test_attention_window_lists_ready_execs(qtbot, demo_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    from esncoach.services import ladder
    from esncoach.views.habits.attention_view import AttentionWindow

    window = AttentionWindow(demo_ws)
    qtbot.addWidget(window)
    ready = ladder.suggestions(demo_ws)
    assert window.ready.count() == len(ready) >= 1
    assert window.ready.item(0).text().startswith(ready[0].exec_name)
    with qtbot.waitSignal(window.list.sig_exec_activated) as blocker:
        window.ready.itemActivated.emit(window.ready.item(0))
    assert blocker.args == [ready[0].exec_id]
