"""Habit rules: Loop's strength score, streaks, check-ins and commitments, on a real encrypted workspace."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from esncoach.models import CheckInResult, HabitSchedule
from esncoach.services import execs, habits
from esncoach.store.errors import ValidationError
from esncoach.store.workspace import Workspace

D = CheckInResult.DONE
S = CheckInResult.SKIPPED
M = CheckInResult.MISSED
START = dt.date(2026, 3, 2)  # a Monday


def days(n: int, start: dt.date = START) -> list[dt.date]:
    return [start + dt.timedelta(days=i) for i in range(n)]


def test_daily_perfect_reaches_080_after_30_days_and_096_after_60() -> None:
    schedule = habits.Schedule(HabitSchedule.DAILY)
    results = {d: D for d in days(60)}
    scores = habits.compute_scores(schedule, results, START, START + dt.timedelta(days=59))
    assert round(scores[29][1], 2) == 0.80
    assert round(scores[59][1], 2) == 0.96


def test_multiplier_matches_loop_formula() -> None:
    assert habits.loop_multiplier(1.0) == pytest.approx(0.5 ** (1 / 13))
    assert habits.loop_multiplier(3 / 7) == pytest.approx(0.5 ** ((3 / 7) ** 0.5 / 13))
    assert habits.Schedule(HabitSchedule.TIMES_PER_PERIOD, 3, 7).frequency == pytest.approx(3 / 7)
    assert habits.Schedule(HabitSchedule.WEEKDAYS).frequency == pytest.approx(5 / 7)


def test_skipped_day_leaves_score_unchanged_and_missed_lowers_it() -> None:
    schedule = habits.Schedule(HabitSchedule.DAILY)
    base = {d: D for d in days(10)}
    end = START + dt.timedelta(days=10)
    skipped = habits.compute_scores(schedule, {**base, end: S}, START, end)
    missed = habits.compute_scores(schedule, {**base, end: M}, START, end)
    assert skipped[-1][1] == skipped[-2][1]
    assert missed[-1][1] < missed[-2][1]
    mult = habits.loop_multiplier(1.0)
    assert missed[-1][1] == pytest.approx(missed[-2][1] * mult)


def test_weekly_schedule_uses_rolling_window_value() -> None:
    schedule = habits.Schedule(HabitSchedule.TIMES_PER_PERIOD, 3, 7)
    # Three repetitions every week on Mon/Wed/Fri for 12 weeks: the value saturates at 1 once the window fills.
    results = {d: D for d in days(84) if d.weekday() in (0, 2, 4)}
    scores = habits.compute_scores(schedule, results, START, START + dt.timedelta(days=83))
    mult = habits.loop_multiplier(3 / 7)
    assert scores[-1][1] == pytest.approx(scores[-2][1] * mult + 1 * (1 - mult))
    assert 0.9 < scores[-1][1] < 1.0
    # Half the repetitions: the score heads for about one half, not one.
    half = {d: D for d in days(200) if d.weekday() == 0 or (d.weekday() == 3 and d.isocalendar()[1] % 2)}
    s_half = habits.compute_scores(schedule, half, START, START + dt.timedelta(days=199))
    assert 0.35 < s_half[-1][1] < 0.65


def test_today_without_check_in_does_not_lower_score() -> None:
    schedule = habits.Schedule(HabitSchedule.DAILY)
    today = START + dt.timedelta(days=10)
    scores = habits.compute_scores(schedule, {d: D for d in days(10)}, START, today, today=today)
    assert scores[-1][1] == scores[-2][1]


def test_streaks_daily_weekdays_and_weekly() -> None:
    daily = habits.Schedule(HabitSchedule.DAILY)
    results = {d: D for d in days(10)}
    results[START + dt.timedelta(days=3)] = M
    results[START + dt.timedelta(days=6)] = S  # excused: neither breaks nor counts
    st = habits.compute_streaks(daily, results, START, START + dt.timedelta(days=10))
    assert (st.current, st.best, st.unit) == (5, 5, "days")  # days 4,5,7,8,9 done; today (10) still open

    weekdays = habits.Schedule(HabitSchedule.WEEKDAYS)
    wd = {d: D for d in days(14) if d.weekday() < 5}
    st = habits.compute_streaks(weekdays, wd, START, START + dt.timedelta(days=13))
    assert (st.current, st.unit) == (10, "weekdays")

    weekly = habits.Schedule(HabitSchedule.TIMES_PER_PERIOD, 2, 7)
    wk = {d: D for d in days(35) if d.weekday() in (1, 3)}
    del wk[START + dt.timedelta(days=8)]  # week 2 has only one repetition: the run restarts
    st = habits.compute_streaks(weekly, wk, START, START + dt.timedelta(days=34))
    assert (st.current, st.best, st.unit) == (3, 3, "weeks")


def test_schedule_texts() -> None:
    assert habits.Schedule(HabitSchedule.DAILY).text() == "Every day"
    assert habits.Schedule(HabitSchedule.WEEKDAYS).text() == "Every weekday"
    assert habits.Schedule(HabitSchedule.TIMES_PER_PERIOD, 3, 7).text() == "3 times a week"
    assert habits.Schedule(HabitSchedule.TIMES_PER_PERIOD, 1, 14).text() == "Once every two weeks"


def _exec(ws: Workspace, name: str = "Ada Lovelace") -> int:
    return execs.add_exec(ws, name=name, today=START)


def test_commitment_check_ins_and_status_round_trip(ws: Workspace) -> None:
    eid = _exec(ws)
    assert habits.habit_status(ws, exec_id=eid, today=START) is None
    habits.set_commitment(ws, exec_id=eid, description="Read the stream 5 minutes", schedule=HabitSchedule.DAILY,
                          started_on=START, today=START)
    today = START + dt.timedelta(days=30)
    for d in days(30):
        habits.check_in(ws, exec_id=eid, day=d, result=D, today=today)
    habits.check_in(ws, exec_id=eid, day=today, result=D, note="from the train", today=today)
    st = habits.habit_status(ws, exec_id=eid, today=today)
    assert st is not None
    assert st.description == "Read the stream 5 minutes"
    assert st.schedule_text == "Every day"
    assert st.streak == 31 and st.streak_unit == "days"
    assert st.strength == pytest.approx(1 - 0.5 ** (31 / 13))
    assert st.today_result == D and st.today_note == "from the train"
    assert len(st.last_check_ins) == 14 and st.last_check_ins[-1].day == today

    habits.check_in(ws, exec_id=eid, day=today, result=None, today=today)  # clear
    assert habits.habit_status(ws, exec_id=eid, today=today).today_result is None

    series = habits.strength_series(ws, exec_id=eid, start=START, end=today)
    assert len(series) == 31
    assert series.points[29][1] == pytest.approx(0.80, abs=0.005)
    assert [m.day for m in series.marks] == days(30)


def test_new_commitment_keeps_history(ws: Workspace) -> None:
    eid = _exec(ws)
    first = habits.set_commitment(ws, exec_id=eid, description="Read", schedule=HabitSchedule.WEEKDAYS,
                                  started_on=START, today=START)
    habits.check_in(ws, exec_id=eid, day=START, result=D, today=START)
    later = START + dt.timedelta(days=20)
    second = habits.set_commitment(ws, exec_id=eid, description="Like 3 posts", schedule=HabitSchedule.TIMES_PER_PERIOD,
                                   times=3, period_days=7, started_on=later, today=later)
    history = habits.habit_history(ws, exec_id=eid)
    assert [h.id for h in history] == [second, first]
    assert history[1].ended_on == later - dt.timedelta(days=1) and history[1].done_count == 1
    st = habits.habit_status(ws, exec_id=eid, today=later)
    assert st.habit_id == second and st.schedule_text == "3 times a week" and st.strength == 0


def test_bad_habit_input_is_refused_with_clear_messages(ws: Workspace) -> None:
    eid = _exec(ws)
    with pytest.raises(ValidationError, match="Commitment is required"):
        habits.set_commitment(ws, exec_id=eid, description="  ", schedule=HabitSchedule.DAILY, today=START)
    with pytest.raises(ValidationError, match="repetitions"):
        habits.set_commitment(ws, exec_id=eid, description="x", schedule=HabitSchedule.TIMES_PER_PERIOD,
                              times=9, period_days=7, today=START)
    with pytest.raises(ValidationError, match="no current habit"):
        habits.check_in(ws, exec_id=eid, day=START, result=D, today=START)
    habits.set_commitment(ws, exec_id=eid, description="x", schedule=HabitSchedule.DAILY, started_on=START, today=START)
    with pytest.raises(ValidationError, match="not come yet"):
        habits.check_in(ws, exec_id=eid, day=START + dt.timedelta(days=1), result=D, today=START)
    with pytest.raises(ValidationError, match="started on"):
        habits.check_in(ws, exec_id=eid, day=START - dt.timedelta(days=1), result=D, today=START)
    with pytest.raises(ValidationError, match="limit"):
        habits.check_in(ws, exec_id=eid, day=START, result=D, note="n" * 5000, today=START)


def test_demo_has_six_months_of_check_ins_with_streaks_and_lapses(demo_ws: Workspace) -> None:
    rows = habits.all_statuses(demo_ws)
    assert len(rows) == 12 and all(st is not None for _e, _n, st in rows)
    strengths = [st.strength for _e, _n, st in rows]
    assert max(strengths) > 0.8 and min(strengths) < 0.4
    amelia = next(r for r in rows if r[1] == "Amelia Hart")
    today = dt.date.today()
    series = habits.strength_series(demo_ws, exec_id=amelia[0], start=today - dt.timedelta(days=182), end=today)
    assert series.marks[0].day <= today - dt.timedelta(days=150)
    assert len(series.habit_changes) >= 2
    all_marks = []
    for eid, _n, _st in rows:
        all_marks += habits.strength_series(demo_ws, exec_id=eid, start=today - dt.timedelta(days=182), end=today).marks
    assert {m.result for m in all_marks} == {D, S, M}
    # Lapses: somewhere an exec missed several due days in a row.
    runs, best = 0, 0
    for m in all_marks:
        runs = runs + 1 if m.result == M else 0
        best = max(best, runs)
    assert best >= 3


def test_cli_habits_json_and_text(tmp_path: Path) -> None:
    # The CLI unlocks with a passphrase file, so it gets its own demo workspace.
    db = tmp_path / "cli.db"
    phrase = tmp_path / "pass.txt"
    phrase.write_text("cli test phrase\n", encoding="utf-8")
    exe = [sys.executable, "-m", "esncoach"]
    subprocess.run([*exe, "demo", "--db", str(db), "--passphrase-file", str(phrase)], check=True, capture_output=True)
    out = subprocess.run([*exe, "habits", "--db", str(db), "--passphrase-file", str(phrase), "--json"],
                         check=True, capture_output=True, text=True).stdout
    data = json.loads(out)
    assert data["as_of"] == dt.date.today().isoformat()
    assert len(data["execs"]) == 12
    amelia = next(e for e in data["execs"] if e["name"] == "Amelia Hart")
    assert set(amelia["habit"]) >= {"description", "streak", "strength", "schedule_text", "streak_unit"}
    assert 0 <= amelia["habit"]["strength"] <= 1
    text = subprocess.run([*exe, "habits", "--db", str(db), "--passphrase-file", str(phrase)],
                          check=True, capture_output=True, text=True).stdout
    assert "Amelia Hart" in text and "%" in text
    bad = subprocess.run([*exe, "habits", "--db", str(db), "--passphrase-file", str(phrase), "--today", "soon"],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "not a date" in bad.stderr
