"""Coaching mode's rules: which session is held, what the brief contains, what gets recorded."""

from __future__ import annotations

import datetime as dt

import pytest

from esncoach.models import SessionStatus
from esncoach.services import coaching_mode, execs, sessions
from esncoach.store.errors import ValidationError
from esncoach.store.workspace import Workspace


def test_begin_creates_a_session_from_the_template_with_items_carried(demo_ws: Workspace) -> None:
    dana = execs.find_exec(demo_ws, "Dana Okafor")
    now = dt.datetime.now().replace(second=0, microsecond=0)
    before = {s.id for s in sessions.list_sessions(demo_ws, exec_id=dana.id)}
    open_before = sessions.open_action_items(demo_ws, exec_id=dana.id)
    session_id = coaching_mode.begin_session(demo_ws, exec_id=dana.id, now=now)
    assert session_id not in before
    row = sessions.get_session(demo_ws, session_id)
    assert row.status == SessionStatus.PLANNED
    template = {t.stage: t.text for t in sessions.list_templates(demo_ws)}[dana.stage]
    assert row.agenda == template
    carried = [i for i in row.action_items if i.carried_from_id]
    last = sessions.last_held(demo_ws, exec_id=dana.id)
    assert last is not None
    assert {i.text for i in carried} == {i.text for i in sessions.open_action_items(demo_ws, exec_id=dana.id)
                                         if i.session_id == session_id}
    assert len(open_before) >= len(carried)
    # Entering again within the hour picks the same session rather than making another.
    assert coaching_mode.begin_session(demo_ws, exec_id=dana.id, now=now + dt.timedelta(minutes=20)) == session_id


def test_begin_uses_todays_planned_session(demo_ws: Workspace) -> None:
    greta = execs.find_exec(demo_ws, "Greta Lindqvist")
    at = dt.datetime.combine(dt.date.today() + dt.timedelta(days=1), dt.time(9, 0))
    planned = sessions.save_session(demo_ws, exec_id=greta.id, starts_at=at, ends_at=at + dt.timedelta(minutes=45),
                                    title="Planned coaching", agenda="Planned agenda")
    chosen = coaching_mode.begin_session(demo_ws, exec_id=greta.id, now=at - dt.timedelta(hours=1))
    assert chosen == planned
    assert sessions.get_session(demo_ws, chosen).agenda == "Planned agenda"


def test_brief_is_about_one_exec_only(demo_ws: Workspace) -> None:
    amelia = execs.find_exec(demo_ws, "Amelia Hart")
    session_id = coaching_mode.begin_session(demo_ws, exec_id=amelia.id)
    b = coaching_mode.brief(demo_ws, exec_id=amelia.id, session_id=session_id)
    assert b.exec_name == "Amelia Hart"
    assert b.previous is not None and b.previous.status == SessionStatus.HELD
    assert all(i.exec_id == amelia.id for i in b.commitments)
    assert b.habit is not None and 0 <= b.habit.strength <= 1
    other = execs.find_exec(demo_ws, "Bruno Castillo")
    with pytest.raises(ValidationError):
        coaching_mode.brief(demo_ws, exec_id=other.id, session_id=session_id)


def test_record_and_finish_mark_the_session_held(demo_ws: Workspace) -> None:
    chen = execs.find_exec(demo_ws, "Chen Wei")
    start = dt.datetime(2026, 11, 20, 9, 0)
    session_id = coaching_mode.begin_session(demo_ws, exec_id=chen.id, now=start)
    note = coaching_mode.quick_note_line("  Wants to   post about the plant ", start + dt.timedelta(minutes=7))
    assert note == "[09:07] Wants to post about the plant"
    coaching_mode.record(demo_ws, session_id=session_id, agenda="Agenda", notes=note, outcomes="Agreed a post")
    row = coaching_mode.finish(demo_ws, session_id=session_id, started_at=start, ended_at=start + dt.timedelta(minutes=41, seconds=40))
    assert (row.status, row.duration_min, row.notes, row.outcomes) == (SessionStatus.HELD, 42, note, "Agreed a post")
    assert row.starts_at == start


def test_bad_capture_is_refused_and_nothing_lost(demo_ws: Workspace) -> None:
    chen = execs.find_exec(demo_ws, "Chen Wei")
    session_id = coaching_mode.begin_session(demo_ws, exec_id=chen.id)
    coaching_mode.record(demo_ws, session_id=session_id, agenda="A", notes="kept", outcomes="")
    with pytest.raises(ValidationError):
        coaching_mode.quick_note_line("   ", dt.datetime.now())
    with pytest.raises(ValidationError, match="limit"):
        coaching_mode.record(demo_ws, session_id=session_id, agenda="A", notes="x" * (sessions.TEXT_MAX + 1), outcomes="")
    assert sessions.get_session(demo_ws, session_id).notes == "kept"
