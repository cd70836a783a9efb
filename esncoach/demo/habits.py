"""Demo habits with six months of check-ins: streaks, lapses and one renewed commitment."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from esncoach.demo import DemoContext
from esncoach.models import CheckIn, CheckInResult, Exec, Habit, HabitSchedule, LadderStage

HABITS = {
    LadderStage.LISTEN: ("5 minutes each morning reading the activity stream", HabitSchedule.WEEKDAYS, 5, 7),
    LadderStage.LIKE: ("Like 3 posts a week", HabitSchedule.TIMES_PER_PERIOD, 3, 7),
    LadderStage.COMMENT: ("Comment on one discussion a week", HabitSchedule.TIMES_PER_PERIOD, 1, 7),
    LadderStage.SHORT_UPDATES: ("Post a short update every two weeks", HabitSchedule.TIMES_PER_PERIOD, 1, 14),
    LadderStage.LONG_FORM: ("Draft one long-form post a month", HabitSchedule.TIMES_PER_PERIOD, 1, 30),
    LadderStage.DIALOGUE: ("Answer one open question a week", HabitSchedule.TIMES_PER_PERIOD, 1, 7),
}


def _due_days(habit: Habit, start: dt.date, end: dt.date) -> list[dt.date]:
    """The days a check-in is expected, spreading N-per-period repetitions over the period."""
    days, day = [], start
    while day <= end:
        if habit.schedule == HabitSchedule.DAILY or (habit.schedule == HabitSchedule.WEEKDAYS and day.weekday() < 5):
            days.append(day)
        elif habit.schedule == HabitSchedule.TIMES_PER_PERIOD:
            offset = (day - start).days % habit.period_days
            if offset in {round(i * habit.period_days / habit.times) for i in range(habit.times)}:
                days.append(day)
        day += dt.timedelta(days=1)
    return days


def build(s: Session, ctx: DemoContext) -> None:
    for ex in s.scalars(select(Exec).order_by(Exec.id)):
        reliability = 0.55 + 0.07 * ex.stage.rank + ctx.rng.uniform(-0.05, 0.05)
        habit_start = ctx.today - dt.timedelta(days=min(180, 25 + ex.stage.rank * 30))
        if ex.stage.rank >= 1:
            old_desc, old_sched, old_times, old_period = HABITS[list(LadderStage)[ex.stage.rank - 1]]
            switch = ctx.today - dt.timedelta(days=28 + ex.id % 10)
            old = Habit(exec_id=ex.id, description=old_desc, schedule=old_sched, times=old_times,
                        period_days=old_period, started_on=habit_start, ended_on=switch - dt.timedelta(days=1))
            s.add(old)
            _check_ins(s, ctx, old, habit_start, switch - dt.timedelta(days=1), reliability - 0.05)
            habit_start = switch
        desc, sched, times, period = HABITS[ex.stage]
        current = Habit(exec_id=ex.id, description=desc, schedule=sched, times=times, period_days=period,
                        started_on=habit_start)
        s.add(current)
        _check_ins(s, ctx, current, habit_start, ctx.today - dt.timedelta(days=1), reliability)


def _check_ins(s: Session, ctx: DemoContext, habit: Habit, start: dt.date, end: dt.date, reliability: float) -> None:
    s.flush()
    lapse_start = start + dt.timedelta(days=ctx.rng.randint(10, 40))
    for day in _due_days(habit, start, end):
        lapsing = lapse_start <= day < lapse_start + dt.timedelta(days=8)
        roll = ctx.rng.random()
        if lapsing or roll > reliability + 0.1:
            result, note = CheckInResult.MISSED, "Travelling" if lapsing else ""
        elif roll > reliability:
            result, note = CheckInResult.SKIPPED, "Board day"
        else:
            result, note = CheckInResult.DONE, ""
        s.add(CheckIn(habit_id=habit.id, day=day, result=result, note=note))
