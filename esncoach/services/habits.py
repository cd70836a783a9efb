"""The exec's one small regular commitment: check-ins, streaks and the Loop Habit Tracker strength score.

The score follows uhabits ``Score.kt``/``ScoreList.kt`` for boolean habits: day by day,
``multiplier = 0.5 ** (sqrt(freq) / 13)`` and ``score = prev * multiplier + value * (1 - multiplier)``,
where ``freq`` is repetitions per day of the schedule and ``value`` is the share of the required
repetitions done in the schedule's rolling window (numerator and denominator doubled when freq < 1, as
Loop does, to smooth irregular weekly rhythms). A skipped day leaves the score unchanged. Today counts
only once it has a check-in, so the score does not dip every morning before the CM has entered it.
"""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from esncoach.models import CheckIn, CheckInResult, Exec, Habit, HabitSchedule
from esncoach.services import validation
from esncoach.store.errors import ValidationError
from esncoach.store.workspace import Workspace

DESCRIPTION_MAX = 300
CHECKIN_NOTE_MAX = 2_000
MAX_PERIOD_DAYS = 366


def sort_key(name: str) -> str:
    """Sort people the way a reader expects: "Élodie" next to "Elena", case ignored."""
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()


# ----- pure rules ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Schedule:
    """How often a habit is due: ``times`` repetitions every ``period_days`` days."""

    kind: HabitSchedule
    times: int = 1
    period_days: int = 1

    @classmethod
    def of(cls, habit: Habit) -> Schedule:
        """The schedule of a stored habit."""
        return cls(habit.schedule, habit.times, habit.period_days)

    @property
    def numerator(self) -> int:
        """Repetitions required per window (Loop's frequency numerator)."""
        if self.kind == HabitSchedule.DAILY:
            return 1
        if self.kind == HabitSchedule.WEEKDAYS:
            return 5
        return self.times

    @property
    def denominator(self) -> int:
        """Days in the window (Loop's frequency denominator)."""
        if self.kind == HabitSchedule.DAILY:
            return 1
        if self.kind == HabitSchedule.WEEKDAYS:
            return 7
        return self.period_days

    @property
    def frequency(self) -> float:
        """Repetitions per day (three a week = 3/7)."""
        return self.numerator / self.denominator

    def unit_for(self, n: int) -> str:
        """The streak unit, singular for one ("1 week", "3 weeks")."""
        return self.unit[:-1] if n == 1 else self.unit

    @property
    def unit(self) -> str:
        """What a streak counts: days, weekdays, weeks or periods."""
        if self.kind == HabitSchedule.DAILY:
            return "days"
        if self.kind == HabitSchedule.WEEKDAYS:
            return "weekdays"
        if self.period_days == 7:
            return "weeks"
        if self.period_days in (28, 30, 31):
            return "months"
        return "periods"

    def text(self) -> str:
        """The schedule in words ("3 times a week")."""
        if self.kind == HabitSchedule.DAILY:
            return "Every day"
        if self.kind == HabitSchedule.WEEKDAYS:
            return "Every weekday"
        times = "once" if self.times == 1 else "twice" if self.times == 2 else f"{self.times} times"
        period = {1: "a day", 7: "a week", 14: "every two weeks", 30: "a month", 31: "a month", 28: "every four weeks"}
        return f"{times} {period.get(self.period_days, f'every {self.period_days} days')}".capitalize()


def loop_multiplier(frequency: float) -> float:
    """How much of yesterday's score survives a day, for a habit due ``frequency`` times a day."""
    return 0.5 ** (math.sqrt(frequency) / 13.0)


def compute_scores(
    schedule: Schedule,
    results: dict[dt.date, CheckInResult],
    start: dt.date,
    end: dt.date,
    *,
    today: dt.date | None = None,
) -> list[tuple[dt.date, float]]:
    """Loop's strength score for every day from ``start`` to ``end`` (inclusive), starting from zero."""
    numerator, denominator = schedule.numerator, schedule.denominator
    freq = schedule.frequency
    if freq < 1.0:
        numerator, denominator = numerator * 2, denominator * 2
    multiplier = loop_multiplier(freq)
    scores: list[tuple[dt.date, float]] = []
    score = 0.0
    window: deque[bool] = deque()
    done_in_window = 0  # sum(window), kept as the window moves: a page reads years of days
    one_day = dt.timedelta(days=1)
    day = start
    while day <= end:
        result = results.get(day)
        done = result == CheckInResult.DONE
        window.append(done)
        done_in_window += done
        if len(window) > denominator:
            done_in_window -= window.popleft()
        pending = today is not None and day == today and result is None
        if result != CheckInResult.SKIPPED and not pending:
            value = min(1.0, done_in_window / numerator)
            score = score * multiplier + value * (1 - multiplier)
        scores.append((day, score))
        day += one_day
    return scores


def _is_due_day(schedule: Schedule, day: dt.date) -> bool:
    return schedule.kind != HabitSchedule.WEEKDAYS or day.weekday() < 5


def period_start(schedule: Schedule, started_on: dt.date, day: dt.date) -> dt.date:
    """The first day of the period containing ``day``; weekly periods start on Monday, others at the habit's start."""
    if schedule.kind != HabitSchedule.TIMES_PER_PERIOD or schedule.period_days == 1:
        return day
    if schedule.period_days == 7:
        return day - dt.timedelta(days=day.weekday())
    offset = (day - started_on).days % schedule.period_days
    return day - dt.timedelta(days=offset)


@dataclass(frozen=True)
class Streaks:
    """The current and best run of kept commitments, counted in the schedule's unit."""

    current: int
    best: int
    unit: str


def compute_streaks(
    schedule: Schedule, results: dict[dt.date, CheckInResult], started_on: dt.date, today: dt.date
) -> Streaks:
    """Runs of done days (daily/weekdays) or of periods with enough repetitions (N per period).

    Skipped days neither break nor extend a run; today, or the current period, breaks nothing while it
    is still open.
    """
    steps = streak_steps(schedule, results, started_on, today)
    run = steps[-1][1] if steps else 0
    best = max((n for _d, n in steps), default=0)
    return Streaks(run, best, schedule.unit_for(run))


def streak_steps(
    schedule: Schedule, results: dict[dt.date, CheckInResult], started_on: dt.date, today: dt.date
) -> list[tuple[dt.date, int]]:
    """The running streak after each due day (or each completed/broken period), in one pass: what
    ``compute_streaks`` summarises and the timeline reads milestones from."""
    if schedule.kind == HabitSchedule.TIMES_PER_PERIOD and schedule.period_days > 1:
        return _period_steps(schedule, results, started_on, today)
    steps: list[tuple[dt.date, int]] = []
    run = 0
    day = started_on
    while day <= today:
        if _is_due_day(schedule, day):
            result = results.get(day)
            if result == CheckInResult.DONE:
                run += 1
            elif result == CheckInResult.SKIPPED or (day == today and result is None):
                pass
            else:
                run = 0
            steps.append((day, run))
        day += dt.timedelta(days=1)
    return steps


def _period_steps(
    schedule: Schedule, results: dict[dt.date, CheckInResult], started_on: dt.date, today: dt.date
) -> list[tuple[dt.date, int]]:
    by_day = sorted((d, r) for d, r in results.items() if started_on <= d <= today)
    steps: list[tuple[dt.date, int]] = []
    run = 0
    i = 0
    start = period_start(schedule, started_on, started_on)
    while start <= today:
        end = start + dt.timedelta(days=schedule.period_days - 1)
        in_period = []
        while i < len(by_day) and by_day[i][0] <= end:
            in_period.append(by_day[i])
            i += 1
        dones = [d for d, r in in_period if r == CheckInResult.DONE]
        skipped_all = bool(in_period) and all(r == CheckInResult.SKIPPED for _d, r in in_period)
        if len(dones) >= schedule.times:
            run += 1
            steps.append((dones[schedule.times - 1], run))
        elif end >= today or skipped_all or start < started_on:
            steps.append((min(end, today), run))  # still open, excused, or only partly covered
        else:
            run = 0
            steps.append((end, run))
        start = end + dt.timedelta(days=1)
    return steps


# ----- results ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CheckInMark:
    """One recorded check-in, as charts and lists show it."""

    day: dt.date
    result: CheckInResult
    note: str = ""


@dataclass(frozen=True)
class HabitStatus:
    """Where an exec's current commitment stands today: what it is, the streak and the strength."""

    exec_id: int
    habit_id: int
    description: str
    schedule: HabitSchedule
    times: int
    period_days: int
    schedule_text: str
    started_on: dt.date
    streak: int
    best_streak: int
    streak_unit: str
    strength: float
    strength_two_weeks_ago: float
    last_check_ins: tuple[CheckInMark, ...]
    today_result: CheckInResult | None = None
    today_note: str = ""
    period_done: int = 0
    period_target: int = 1
    period_label: str = "today"
    version: int = 0
    """The commitment's version when read: hand it back to ``update_commitment`` as ``expected_version``."""

    def as_json(self) -> dict[str, object]:
        """The public JSON shape of ``esncoach habits --json`` (per exec, under "habit")."""
        return {
            "description": self.description,
            "schedule": self.schedule.value,
            "times": self.times,
            "period_days": self.period_days,
            "schedule_text": self.schedule_text,
            "started_on": self.started_on.isoformat(),
            "streak": self.streak,
            "best_streak": self.best_streak,
            "streak_unit": self.streak_unit if self.streak_unit.endswith("s") else self.streak_unit + "s",
            "strength": round(self.strength, 4),
        }


@dataclass(frozen=True)
class StrengthSeries:
    """Daily strength of one habit (or the exec's successive habits) and the check-ins behind it."""

    points: tuple[tuple[dt.date, float], ...]
    marks: tuple[CheckInMark, ...]
    habit_changes: tuple[tuple[dt.date, str], ...] = field(default_factory=tuple)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.points)

    def __len__(self) -> int:
        return len(self.points)


@dataclass(frozen=True)
class HabitRow:
    """One commitment, current or past, for the habit history."""

    id: int
    exec_id: int
    description: str
    schedule: HabitSchedule
    times: int
    period_days: int
    schedule_text: str
    started_on: dt.date
    ended_on: dt.date | None
    done_count: int


def _results(habit: Habit) -> dict[dt.date, CheckInResult]:
    return {c.day: c.result for c in habit.check_ins}


def _status(habit: Habit, today: dt.date) -> HabitStatus:
    schedule = Schedule.of(habit)
    results = _results(habit)
    scores = compute_scores(schedule, results, habit.started_on, today, today=today) if habit.started_on <= today else []
    strength = scores[-1][1] if scores else 0.0
    two_weeks_ago = today - dt.timedelta(days=14)
    earlier = [s for d, s in scores if d <= two_weeks_ago]
    streaks = compute_streaks(schedule, results, habit.started_on, today)
    marks = tuple(CheckInMark(c.day, c.result, c.note) for c in habit.check_ins if c.day <= today)[-14:]
    todays = next((c for c in habit.check_ins if c.day == today), None)
    p_start = period_start(schedule, habit.started_on, today)
    p_end = p_start + dt.timedelta(days=max(1, schedule.period_days if schedule.kind == HabitSchedule.TIMES_PER_PERIOD else 1) - 1)
    done = sum(1 for d, r in results.items() if p_start <= d <= p_end and r == CheckInResult.DONE)
    if schedule.kind == HabitSchedule.TIMES_PER_PERIOD and schedule.period_days > 1:
        target, label = schedule.times, "this week" if schedule.period_days == 7 else "this period"
    else:
        target, label = 1, "today"
    return HabitStatus(
        exec_id=habit.exec_id, habit_id=habit.id, description=habit.description, schedule=habit.schedule,
        times=habit.times, period_days=habit.period_days, schedule_text=schedule.text(), started_on=habit.started_on,
        streak=streaks.current, best_streak=streaks.best, streak_unit=streaks.unit, strength=strength,
        strength_two_weeks_ago=earlier[-1] if earlier else 0.0, last_check_ins=marks,
        today_result=todays.result if todays else None, today_note=todays.note if todays else "",
        period_done=done, period_target=target, period_label=label, version=habit.version,
    )


def _current(s, exec_id: int, *, with_check_ins: bool = True) -> Habit | None:  # type: ignore[no-untyped-def]
    """The exec's current habit (LIMIT 1: the check-ins of no other habit are read); its check-ins only when asked."""
    q = (select(Habit).where(Habit.exec_id == exec_id, Habit.ended_on.is_(None))
         .order_by(Habit.started_on.desc(), Habit.id.desc()).limit(1))
    return s.scalar(q.options(selectinload(Habit.check_ins)) if with_check_ins else q)


# ----- queries ------------------------------------------------------------------------------------

def habit_status(ws: Workspace, *, exec_id: int, today: dt.date | None = None) -> HabitStatus | None:
    """The exec's current commitment with streak, strength (0..1) and last check-ins; None if they have none."""
    today = today or dt.date.today()
    with ws.session() as s:
        habit = _current(s, exec_id)
        return _status(habit, today) if habit is not None else None


def all_statuses(ws: Workspace, *, today: dt.date | None = None, include_archived: bool = False) -> list[tuple[int, str, HabitStatus | None]]:
    """(exec id, exec name, current habit status or None) for every exec, by name: the check-in list and CLI."""
    today = today or dt.date.today()
    with ws.session() as s:
        q = select(Exec).order_by(Exec.name)
        if not include_archived:
            q = q.where(Exec.archived.is_(False))
        execs = s.scalars(q).all()
        habits = s.scalars(
            select(Habit).options(selectinload(Habit.check_ins)).where(Habit.ended_on.is_(None))
            .order_by(Habit.started_on, Habit.id)
        ).all()
        current = {h.exec_id: h for h in habits}  # the latest started wins
        rows = [(e.id, e.name, _status(current[e.id], today) if e.id in current else None) for e in execs]
        return sorted(rows, key=lambda r: sort_key(r[1]))


def strength_series(ws: Workspace, *, exec_id: int, start: dt.date, end: dt.date) -> StrengthSeries:
    """Daily strength from ``start`` to ``end`` across the exec's habits (a new commitment starts at zero),
    with the check-in marks; iterate it for (date, strength) pairs, read ``.marks`` for the check-ins."""
    if end < start:
        raise ValidationError("end", "The end of the range is before its start.")
    today = dt.date.today()
    with ws.session() as s:
        habits = s.scalars(
            select(Habit).options(selectinload(Habit.check_ins)).where(Habit.exec_id == exec_id)
            .order_by(Habit.started_on, Habit.id)
        ).all()
        points: dict[dt.date, float] = {}
        marks: list[CheckInMark] = []
        changes: list[tuple[dt.date, str]] = []
        for habit in habits:
            h_end = min(end, habit.ended_on or end)
            if habit.started_on > end or h_end < start:
                continue
            changes.append((habit.started_on, habit.description))
            for day, score in compute_scores(Schedule.of(habit), _results(habit), habit.started_on, h_end, today=today):
                if day >= start:
                    points[day] = score
            marks.extend(CheckInMark(c.day, c.result, c.note) for c in habit.check_ins if start <= c.day <= h_end)
        return StrengthSeries(tuple(sorted(points.items())), tuple(sorted(marks, key=lambda m: m.day)), tuple(changes))


def habit_history(ws: Workspace, *, exec_id: int) -> list[HabitRow]:
    """Every commitment the exec has had, newest first."""
    with ws.session() as s:
        habits = s.scalars(
            select(Habit).options(selectinload(Habit.check_ins)).where(Habit.exec_id == exec_id)
            .order_by(Habit.started_on.desc(), Habit.id.desc())
        ).all()
        return [
            HabitRow(h.id, h.exec_id, h.description, h.schedule, h.times, h.period_days, Schedule.of(h).text(),
                     h.started_on, h.ended_on, sum(1 for c in h.check_ins if c.result == CheckInResult.DONE))
            for h in habits
        ]


def check_ins(ws: Workspace, *, habit_id: int, start: dt.date, end: dt.date) -> list[CheckInMark]:
    """A habit's check-ins between two days, oldest first."""
    with ws.session() as s:
        rows = s.scalars(
            select(CheckIn).where(CheckIn.habit_id == habit_id, CheckIn.day >= start, CheckIn.day <= end)
            .order_by(CheckIn.day)
        ).all()
        return [CheckInMark(c.day, c.result, c.note) for c in rows]


# ----- changes ------------------------------------------------------------------------------------

def _clean_schedule(schedule: HabitSchedule, times: int, period_days: int) -> tuple[int, int]:
    if schedule == HabitSchedule.DAILY:
        return 1, 1
    if schedule == HabitSchedule.WEEKDAYS:
        return 5, 7
    if not 1 <= period_days <= MAX_PERIOD_DAYS:
        raise ValidationError("period_days", f"The period must be between 1 and {MAX_PERIOD_DAYS} days.")
    if not 1 <= times <= period_days:
        raise ValidationError("times", f"Choose between 1 and {period_days} repetitions per period.")
    return times, period_days


def set_commitment(
    ws: Workspace,
    *,
    exec_id: int,
    description: str,
    schedule: HabitSchedule,
    times: int = 1,
    period_days: int = 1,
    started_on: dt.date | None = None,
    today: dt.date | None = None,
) -> int:
    """Give the exec a new current commitment; the previous one ends the day before and stays as history."""
    today = today or dt.date.today()
    started_on = started_on or today
    text = validation.text(description, "commitment", max_len=DESCRIPTION_MAX, required=True)
    times, period_days = _clean_schedule(schedule, times, period_days)
    validation.date(started_on, "start date", today=today)
    if started_on > today + dt.timedelta(days=366):
        raise ValidationError("started_on", "The start date is more than a year away.")
    with ws.session() as s:
        if s.get(Exec, exec_id) is None:
            raise ValidationError("exec", "That executive no longer exists.")
        current = _current(s, exec_id)
        if current is not None:
            if started_on <= current.started_on:
                raise ValidationError(
                    "started_on",
                    f"The new commitment must start after the current one (started {current.started_on.isoformat()}).",
                )
            current.ended_on = started_on - dt.timedelta(days=1)
            for c in list(current.check_ins):
                if c.day > current.ended_on:  # check-ins after the switch belong to no habit: drop them
                    s.delete(c)
        habit = Habit(exec_id=exec_id, description=text, schedule=schedule, times=times,
                      period_days=period_days, started_on=started_on)
        s.add(habit)
        s.flush()
        return habit.id


def update_commitment(
    ws: Workspace, *, habit_id: int, description: str, schedule: HabitSchedule, times: int = 1, period_days: int = 1,
    expected_version: int | None = None,
) -> int:
    """Correct the wording or schedule of a commitment (history keeps its check-ins); returns its new version.

    With ``expected_version`` (``HabitStatus.version``) a correction over a colleague's newer one is refused
    with a ConflictError holding both (wording and schedule).
    """
    from esncoach.services.team_conflicts import expect_version

    text = validation.text(description, "commitment", max_len=DESCRIPTION_MAX, required=True)
    times, period_days = _clean_schedule(schedule, times, period_days)
    with ws.session() as s:
        habit = s.get(Habit, habit_id)
        if habit is None:
            raise ValidationError("habit", "That habit no longer exists.")
        yours = Schedule(schedule, times, period_days).text()
        expect_version(habit, expected_version, what="this commitment",
                       theirs=f"{habit.description}\n({Schedule.of(habit).text()})", yours=f"{text}\n({yours})")
        habit.description, habit.schedule, habit.times, habit.period_days = text, schedule, times, period_days
        s.flush()
        return habit.version


def check_in(
    ws: Workspace,
    *,
    exec_id: int,
    day: dt.date,
    result: CheckInResult | None,
    note: str | None = None,
    today: dt.date | None = None,
) -> None:
    """Record done/skipped/missed for the exec's current habit on a day (None clears it); ``note=None`` keeps the note."""
    today = today or dt.date.today()
    if day > today:
        raise ValidationError("day", "You cannot check in for a day that has not come yet.")
    clean_note = None if note is None else validation.text(note, "note", max_len=CHECKIN_NOTE_MAX)
    with ws.session() as s:
        habit = _current(s, exec_id, with_check_ins=False)
        if habit is None:
            raise ValidationError("habit", "This executive has no current habit; set a commitment first.")
        if day < habit.started_on:
            raise ValidationError("day", f"The habit started on {habit.started_on.isoformat()}; pick a later day.")
        row = s.scalar(select(CheckIn).where(CheckIn.habit_id == habit.id, CheckIn.day == day))
        if result is None:
            if row is not None:
                s.delete(row)
            return
        if row is None:
            s.add(CheckIn(habit_id=habit.id, day=day, result=result, note=clean_note or ""))
        else:
            row.result = result
            if clean_note is not None:
                row.note = clean_note


def set_check_in_note(ws: Workspace, *, exec_id: int, day: dt.date, note: str, today: dt.date | None = None) -> None:
    """Attach a note to a day's check-in, recording the day as done if nothing was entered yet."""
    with ws.session() as s:
        habit = _current(s, exec_id, with_check_ins=False)
        existing = None if habit is None else s.scalar(
            select(CheckIn.result).where(CheckIn.habit_id == habit.id, CheckIn.day == day)
        )
    check_in(ws, exec_id=exec_id, day=day, result=existing or CheckInResult.DONE, note=note, today=today)


def milestones(statuses: Iterable[tuple[dt.date, float]], thresholds: Iterable[float] = (0.5, 0.8)) -> list[tuple[dt.date, float]]:
    """The first day the strength crossed each threshold upwards (for the timeline)."""
    out: list[tuple[dt.date, float]] = []
    pending = sorted(thresholds)
    for day, score in statuses:
        while pending and score >= pending[0]:
            out.append((day, pending.pop(0)))
    return out
