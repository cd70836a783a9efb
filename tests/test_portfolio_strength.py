"""The dashboard's fast habit strength agrees with ``habits.compute_scores`` (the rule it stands for)."""

from __future__ import annotations

import datetime as dt

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from esncoach.models import CheckInResult, HabitSchedule
from esncoach.services import execs, habit_strength, habits, portfolio
from esncoach.store.workspace import Workspace

D = dt.date
TODAY = D(2026, 11, 18)
SCHEDULES = [
    habits.Schedule(HabitSchedule.DAILY, 1, 1),
    habits.Schedule(HabitSchedule.WEEKDAYS, 5, 7),
    habits.Schedule(HabitSchedule.TIMES_PER_PERIOD, 3, 7),
    habits.Schedule(HabitSchedule.TIMES_PER_PERIOD, 1, 14),
    habits.Schedule(HabitSchedule.TIMES_PER_PERIOD, 2, 30),
]
RESULTS = st.sampled_from([None, CheckInResult.DONE, CheckInResult.DONE, CheckInResult.MISSED, CheckInResult.SKIPPED])


def _numbers(days: list[D]) -> np.ndarray:
    return np.array([(d - D(1970, 1, 1)).days for d in days], dtype=np.int64)


@settings(max_examples=150, deadline=None)
@given(schedule=st.sampled_from(SCHEDULES), marks=st.lists(RESULTS, min_size=1, max_size=120))
def test_closed_form_equals_the_day_by_day_recursion(schedule: habits.Schedule, marks: list) -> None:
    start = TODAY - dt.timedelta(days=len(marks) - 1)
    results = {start + dt.timedelta(days=i): r for i, r in enumerate(marks) if r is not None}
    expected = habits.compute_scores(schedule, results, start, TODAY, today=TODAY)[-1][1]
    done = _numbers([d for d, r in results.items() if r == CheckInResult.DONE])
    skipped = _numbers([d for d, r in results.items() if r == CheckInResult.SKIPPED])
    got, _scored = habit_strength.current_score(schedule, done, skipped, _numbers([start])[0], _numbers([TODAY])[0],
                                           today_marked=TODAY in results)
    assert abs(got - expected) < 1e-12


def test_current_strengths_match_habit_status_over_years(ws: Workspace) -> None:
    # Three years of daily check-ins (more than the window read) and a weekly habit with a long skipped stretch.
    rng = np.random.default_rng(3)
    ids = []
    for name, schedule, times, period in (("Daily", HabitSchedule.DAILY, 1, 1),
                                          ("Weekly", HabitSchedule.TIMES_PER_PERIOD, 2, 7)):
        exec_id = execs.add_exec(ws, name=name, today=D(2023, 1, 2))
        start = TODAY - dt.timedelta(days=3 * 365)
        habits.set_commitment(ws, exec_id=exec_id, description=name, schedule=schedule, times=times,
                              period_days=period, started_on=start, today=start)
        with ws.session() as s:
            from esncoach.models import CheckIn, Habit

            habit_id = s.query(Habit.id).filter(Habit.exec_id == exec_id).scalar()
            for i in range(3 * 365):
                day = start + dt.timedelta(days=i)
                if name == "Weekly" and TODAY - dt.timedelta(days=400) <= day <= TODAY - dt.timedelta(days=60):
                    result = CheckInResult.SKIPPED  # a long leave: older history still counts
                else:
                    roll = rng.random()
                    result = CheckInResult.DONE if roll < 0.7 else CheckInResult.MISSED
                s.add(CheckIn(habit_id=habit_id, day=day, result=result, note=""))
        ids.append(exec_id)
    fast = habit_strength.current_strengths(ws, today=TODAY)
    dashboard = portfolio.current_strengths(ws, today=TODAY)
    for exec_id in ids:
        status = habits.habit_status(ws, exec_id=exec_id, today=TODAY)
        assert status is not None
        assert abs(fast[exec_id].strength - status.strength) < habit_strength.STRENGTH_TOLERANCE
        assert abs(fast[exec_id].strength_two_weeks_ago - status.strength_two_weeks_ago) < habit_strength.STRENGTH_TOLERANCE
        assert dashboard[exec_id] == (fast[exec_id].strength, status.description)
        assert fast[exec_id].started_on == status.started_on


def test_a_habit_started_this_week_and_one_not_yet_started(ws: Workspace) -> None:
    new = execs.add_exec(ws, name="New", today=TODAY)
    later = execs.add_exec(ws, name="Later", today=TODAY)
    habits.set_commitment(ws, exec_id=new, description="Reply", schedule=HabitSchedule.DAILY,
                          started_on=TODAY - dt.timedelta(days=3), today=TODAY)
    habits.set_commitment(ws, exec_id=later, description="Post", schedule=HabitSchedule.DAILY,
                          started_on=TODAY + dt.timedelta(days=5), today=TODAY)
    for i in range(3):
        habits.check_in(ws, exec_id=new, day=TODAY - dt.timedelta(days=3 - i), result=CheckInResult.DONE, today=TODAY)
    fast = habit_strength.current_strengths(ws, today=TODAY)
    for exec_id in (new, later):
        status = habits.habit_status(ws, exec_id=exec_id, today=TODAY)
        assert status is not None
        assert fast[exec_id].strength == status.strength
        assert fast[exec_id].strength_two_weeks_ago == status.strength_two_weeks_ago


def test_both_backends_read_the_same_strengths(any_ws: Workspace) -> None:
    exec_id = execs.add_exec(any_ws, name="Ann", today=TODAY)
    start = TODAY - dt.timedelta(days=60)
    habits.set_commitment(any_ws, exec_id=exec_id, description="Reply", schedule=HabitSchedule.DAILY,
                          started_on=start, today=start)
    for i in range(61):
        result = (CheckInResult.DONE, CheckInResult.MISSED, CheckInResult.SKIPPED, CheckInResult.DONE)[i % 4]
        habits.check_in(any_ws, exec_id=exec_id, day=start + dt.timedelta(days=i), result=result, today=TODAY)
    fast = habit_strength.current_strengths(any_ws, today=TODAY)[exec_id]
    status = habits.habit_status(any_ws, exec_id=exec_id, today=TODAY)
    assert status is not None and status.today_result == CheckInResult.DONE
    assert abs(fast.strength - status.strength) < 1e-12
    assert abs(fast.strength_two_weeks_ago - status.strength_two_weeks_ago) < 1e-12
