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


def test_empty_agenda_template_is_not_announced_as_applied(qtbot, demo_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    chen = execs.find_exec(demo_ws, "Chen Wei")
    stage = execs.get_exec(demo_ws, chen.id).stage
    sessions.save_template(demo_ws, stage=stage, text="")
    dialog = SessionDialog(demo_ws, chen.id)
    qtbot.addWidget(dialog)
    dialog.show()
    text = dialog.save_state.text()
    assert "Agenda from" not in text and "no agenda template" in text
    assert "item(s)" not in text  # Qt plural forms: "1 open action item", "2 open action items"
    button = dialog.template_button
    assert button.width() >= button.sizeHint().width()
    assert button.fontMetrics().horizontalAdvance(button.text()) < button.width() - 16  # room for the arrow


def test_applying_an_empty_stage_template_keeps_the_agenda(qtbot, demo_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    chen = execs.find_exec(demo_ws, "Chen Wei")
    sessions.save_template(demo_ws, stage=LadderStage.LISTEN, text="")
    dialog = SessionDialog(demo_ws, chen.id)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.agenda.setPlainText("Our own agenda")
    dialog._use_template(LadderStage.LISTEN)
    assert dialog.agenda.toPlainText() == "Our own agenda"
    assert "template is empty" in dialog.save_state.text()
    dialog.done(0)  # leave without the discard question
