"""Ladder rules: moves with history, and readiness suggestions judged against workspace settings."""

from __future__ import annotations

import datetime as dt

import pytest

from esncoach.models import CheckInResult, HabitSchedule, LadderStage
from esncoach.services import execs, habits, ladder, settings
from esncoach.store.errors import ValidationError
from esncoach.store.workspace import Workspace

START = dt.date(2026, 1, 5)


def test_move_up_and_back_keeps_history(ws: Workspace) -> None:
    eid = execs.add_exec(ws, name="Ada", today=START)
    ladder.move_stage(ws, exec_id=eid, to_stage=LadderStage.LIKE, on=START + dt.timedelta(days=30),
                      reason="Reads daily", today=START + dt.timedelta(days=40))
    ladder.move_stage(ws, exec_id=eid, to_stage=LadderStage.LISTEN, on=START + dt.timedelta(days=40),
                      reason="Overwhelmed after reorganisation", today=START + dt.timedelta(days=40))
    history = ladder.stage_history(ws, exec_id=eid)
    assert [(h.from_stage, h.stage, h.direction) for h in history] == [
        (None, LadderStage.LISTEN, "start"),
        (LadderStage.LISTEN, LadderStage.LIKE, "up"),
        (LadderStage.LIKE, LadderStage.LISTEN, "back"),
    ]
    assert history[2].reason == "Overwhelmed after reorganisation"
    assert execs.get_exec(ws, eid).stage == LadderStage.LISTEN


def test_bad_moves_are_refused(ws: Workspace) -> None:
    eid = execs.add_exec(ws, name="Ada", today=START)
    today = START + dt.timedelta(days=10)
    with pytest.raises(ValidationError, match="Reason is required"):
        ladder.move_stage(ws, exec_id=eid, to_stage=LadderStage.LIKE, reason=" ", today=today)
    with pytest.raises(ValidationError, match="already at"):
        ladder.move_stage(ws, exec_id=eid, to_stage=LadderStage.LISTEN, reason="x", today=today)
    with pytest.raises(ValidationError, match="in the future"):
        ladder.move_stage(ws, exec_id=eid, to_stage=LadderStage.LIKE, reason="x", on=today + dt.timedelta(days=1),
                          today=today)
    with pytest.raises(ValidationError, match="cannot be dated earlier"):
        ladder.move_stage(ws, exec_id=eid, to_stage=LadderStage.LIKE, reason="x", on=START - dt.timedelta(days=1),
                          today=today)
    assert len(ladder.stage_history(ws, exec_id=eid)) == 1


def _steady_exec(ws: Workspace, days: int, done_every: int = 1) -> tuple[int, dt.date]:
    eid = execs.add_exec(ws, name="Bea", today=START)
    habits.set_commitment(ws, exec_id=eid, description="Read", schedule=HabitSchedule.DAILY, started_on=START,
                          today=START)
    today = START + dt.timedelta(days=days)
    for i in range(days):
        if i % done_every == 0:
            habits.check_in(ws, exec_id=eid, day=START + dt.timedelta(days=i), result=CheckInResult.DONE, today=today)
    return eid, today


def test_readiness_says_why_and_what_is_missing(ws: Workspace) -> None:
    eid, today = _steady_exec(ws, 45)
    r = ladder.readiness(ws, exec_id=eid, today=today)
    assert r.ready and r.next_stage == LadderStage.LIKE
    assert any("45 days at “Listen”" in x for x in r.reasons)
    assert any("habit strength at least 60% for 3 weeks" in x for x in r.reasons)
    assert any("45 check-ins done" in x for x in r.reasons)
    assert r.missing == ()
    assert [x.exec_id for x in ladder.suggestions(ws, today=today)] == [eid]

    # Thresholds are workspace settings, not magic numbers.
    settings.put(ws, ladder.MIN_CHECKINS, 60)
    r = ladder.readiness(ws, exec_id=eid, today=today)
    assert not r.ready and r.missing == ("45 check-ins done since reaching the stage (at least 60)",)
    settings.put(ws, ladder.MIN_CHECKINS, 10)
    settings.put(ws, ladder.STRENGTH_WEEKS, 8)  # the habit is younger than the window
    assert not ladder.readiness(ws, exec_id=eid, today=today).ready


def test_weak_habit_is_not_ready(ws: Workspace) -> None:
    eid, today = _steady_exec(ws, 60, done_every=3)
    r = ladder.readiness(ws, exec_id=eid, today=today)
    assert not r.ready
    assert any("habit strength" in x for x in r.missing)


def test_posts_are_required_from_the_writing_stages(ws: Workspace) -> None:
    eid = execs.add_exec(ws, name="Cy", stage=LadderStage.COMMENT, today=START)
    r = ladder.readiness(ws, exec_id=eid, today=START + dt.timedelta(days=30))
    assert any("practice posts reviewed" in x or "practice post reviewed" in x for x in r.missing)
    settings.put(ws, ladder.POSTS_FROM_STAGE, LadderStage.SHORT_UPDATES.value)
    r = ladder.readiness(ws, exec_id=eid, today=START + dt.timedelta(days=30))
    assert not any("post" in x for x in r.missing + r.reasons)


def test_demo_suggests_someone_with_reasons(demo_ws: Workspace) -> None:
    ready = ladder.suggestions(demo_ws)
    assert ready, "the demo should show at least one readiness suggestion"
    assert all(r.reasons and not r.missing for r in ready)
    top = execs.find_exec(demo_ws, "Amelia Hart")
    assert ladder.readiness(demo_ws, exec_id=top.id).next_stage is None
