"""Demo habits: a new commitment every other ladder rung (older ones ended, kept as history) and up to six
months of check-ins with streaks, excused days, lapses while travelling, and one exec whose habit is
fading right now and an early adopter ready to climb (so the "needs attention" list shows it)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from esncoach.demo import DemoContext
from esncoach.models import CheckIn, CheckInResult, Exec, Habit, HabitSchedule, LadderStage, StageChange

# A new commitment comes every other rung: the habit that got the exec to a stage carries them through the next.
HABITS = {
    LadderStage.LISTEN: ("5 minutes each morning reading the activity stream", HabitSchedule.WEEKDAYS, 5, 7),
    LadderStage.COMMENT: ("Like or comment on 3 posts a week", HabitSchedule.TIMES_PER_PERIOD, 3, 7),
    LadderStage.LONG_FORM: ("Check the stream daily and answer one question", HabitSchedule.DAILY, 1, 1),
}
FADING = "Dana Okafor"  # fine until three weeks ago, then mostly missed
SKIP_NOTES = ["Board day", "Public holiday", "Off sick", "Annual leave"]
MISS_NOTES = ["", "", "Travelling", "Forgot — back-to-back meetings", "Busy quarter close"]


def build(s: Session, ctx: DemoContext) -> None:
    for ex in s.scalars(select(Exec).order_by(Exec.id)):
        changes = list(s.scalars(select(StageChange).where(StageChange.exec_id == ex.id)
                                 .order_by(StageChange.changed_on, StageChange.id)))
        reliability = min(0.95, 0.8 + 0.03 * ex.stage.rank + ctx.rng.uniform(-0.06, 0.06))
        if any(tag.name == "early adopter" for tag in ex.tags):
            reliability = 0.96
        starts = [c for c in changes if c.stage in HABITS]
        for i, change in enumerate(starts):
            start = max(change.changed_on, ctx.start)
            end = starts[i + 1].changed_on - dt.timedelta(days=1) if i + 1 < len(starts) else None
            if end is not None and end < start:
                continue
            desc, sched, times, period = HABITS[change.stage]
            habit = Habit(exec_id=ex.id, description=desc, schedule=sched, times=times, period_days=period,
                          started_on=start, ended_on=end)
            s.add(habit)
            s.flush()
            _check_ins(s, ctx, ex, habit, start, end or ctx.today - dt.timedelta(days=1), reliability)


def _lapses(ctx: DemoContext, start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date]]:
    """One or two stretches of 4-9 days when the exec travels or is swamped."""
    span = (end - start).days
    out = []
    for _ in range(1 if span < 60 else 2):
        if span > 20:
            first = start + dt.timedelta(days=ctx.rng.randint(10, span - 8))
            out.append((first, first + dt.timedelta(days=ctx.rng.randint(4, 9))))
    return out


def _check_ins(s: Session, ctx: DemoContext, ex: Exec, habit: Habit, start: dt.date, end: dt.date,
               reliability: float) -> None:
    lapses = _lapses(ctx, start, end)
    if reliability >= 0.96:  # early adopters travel too, but keep the habit going
        lapses = []
    fading_from = ctx.today - dt.timedelta(days=28) if ex.name == FADING else None

    def odds(day: dt.date) -> float:
        if fading_from is not None and day >= fading_from:
            return 0.1
        if any(a <= day <= b for a, b in lapses):
            return 0.1
        return reliability

    if habit.schedule == HabitSchedule.TIMES_PER_PERIOD:
        period_start = start
        while period_start <= end:
            days = [period_start + dt.timedelta(days=k) for k in range(habit.period_days)
                    if period_start + dt.timedelta(days=k) <= end]
            chosen = sorted(ctx.rng.sample(days, min(habit.times, len(days))))
            done = [d for d in chosen if ctx.rng.random() < odds(d)]
            for d in done:
                s.add(CheckIn(habit_id=habit.id, day=d, result=CheckInResult.DONE))
            if len(days) == habit.period_days and len(done) < habit.times:
                last = next(d for d in reversed(days) if d not in done)
                result = CheckInResult.SKIPPED if ctx.rng.random() < 0.25 and not fading_from else CheckInResult.MISSED
                note = ctx.rng.choice(SKIP_NOTES if result == CheckInResult.SKIPPED else MISS_NOTES)
                s.add(CheckIn(habit_id=habit.id, day=last, result=result, note=note))
            period_start += dt.timedelta(days=habit.period_days)
        return
    day = start
    while day <= end:
        if habit.schedule == HabitSchedule.DAILY or day.weekday() < 5:
            roll = ctx.rng.random()
            p = odds(day)
            if roll < p:
                s.add(CheckIn(habit_id=habit.id, day=day, result=CheckInResult.DONE,
                              note="Answered a question on the town-hall thread" if roll < 0.02 else ""))
            elif roll < p + 0.05:
                s.add(CheckIn(habit_id=habit.id, day=day, result=CheckInResult.SKIPPED, note=ctx.rng.choice(SKIP_NOTES)))
            elif roll < 0.97:
                s.add(CheckIn(habit_id=habit.id, day=day, result=CheckInResult.MISSED, note=ctx.rng.choice(MISS_NOTES)))
            # else: the CM never entered that day
        day += dt.timedelta(days=1)
