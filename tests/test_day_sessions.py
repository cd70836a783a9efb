"""Sessions on a CM's day: a future session cannot be marked held; agenda templates tell the truth."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from esncoach.models import LadderStage, SessionStatus
from esncoach.services import execs, sessions
from esncoach.store.errors import ValidationError
from esncoach.store.workspace import Workspace
from esncoach.views.sessions.dialog import SessionDialog
from esncoach.views.sessions.tab import SessionsTab
from tests.day_helpers import make_window


def test_mark_held_refuses_a_session_planned_for_tomorrow(qtbot, demo_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    chen = execs.find_exec(demo_ws, "Chen Wei")
    last_before = execs.get_exec(demo_ws, chen.id)
    at = dt.datetime.combine(dt.date.today() + dt.timedelta(days=1), dt.time(10, 0))
    tomorrow = sessions.save_session(demo_ws, exec_id=chen.id, starts_at=at, ends_at=at + dt.timedelta(minutes=30),
                                     title="Tomorrow")
    window = make_window(qtbot, demo_ws)
    window.select_exec(chen.id)
    tab = next(t for t in window.page.tab_widgets if isinstance(t, SessionsTab))
    window.page.tabs.setCurrentWidget(tab)
    tab.refresh(tomorrow)
    assert tab.current_session_id() == tomorrow
    assert not tab.held_button.isEnabled()
    assert "not started" in tab.held_button.toolTip()
    with pytest.raises(ValidationError, match="planned for"):
        sessions.set_status(demo_ws, session_id=tomorrow, status=SessionStatus.HELD)
    assert sessions.get_session(demo_ws, tomorrow).status == SessionStatus.PLANNED
    assert execs.get_exec(demo_ws, chen.id) == last_before
    past = sessions.save_session(demo_ws, exec_id=chen.id, starts_at=at - dt.timedelta(days=2),
                                 ends_at=at - dt.timedelta(days=2, minutes=-30), title="Yesterday")
    tab.refresh(past)
    assert tab.held_button.isEnabled()
    qtbot.mouseClick(tab.held_button, Qt.MouseButton.LeftButton)
    assert sessions.get_session(demo_ws, past).status == SessionStatus.HELD
