"""Every exec's current habit strength at once, fast enough for a dashboard of hundreds of execs.

``habits.habit_status`` scores a habit day by day over its whole history from ORM rows: right for one exec,
seconds for 200 execs with five years of daily check-ins. Here the same Loop score (see ``habits``) is
computed in closed form with numpy, from only the check-ins that can still move it: a day's weight in
today's score is m^(scored days since), so history older than ``_scoring_days`` scored days changes the
score by less than ``STRENGTH_TOLERANCE``. Dashboards print whole percents. Where skipped stretches leave
too few scored days in that window, the habit's whole history is read instead.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import String, cast, func, or_, select, type_coerce

from esncoach.models import CheckIn, CheckInResult, Exec, Habit
from esncoach.services.habits import Schedule, loop_multiplier
from esncoach.store.workspace import Workspace

if TYPE_CHECKING:
    import numpy as np
    from sqlalchemy.orm import Session

STRENGTH_TOLERANCE = 1e-7
"""How far a strength here may sit from ``habits.compute_scores`` over the whole history."""

DROP_DAYS = 14
"""``strength_two_weeks_ago`` is the score this many days before today, as in ``HabitStatus``."""

_EPOCH = dt.date(1970, 1, 1)


@dataclass(frozen=True)
class CurrentStrength:
    """An exec's current commitment and its strength today and two weeks ago (0..1)."""

    exec_id: int
    habit_id: int
    description: str
    started_on: dt.date
    strength: float
    strength_two_weeks_ago: float


def _scoring_days(schedule: Schedule) -> int:
    """Scored days after which older history weighs less than ``STRENGTH_TOLERANCE`` in today's score."""
    return math.ceil(math.log(STRENGTH_TOLERANCE) / math.log(loop_multiplier(schedule.frequency)))


def day_number(day: dt.date) -> int:
    """Days since 1970-01-01 (numpy's datetime64[D] count)."""
    return (day - _EPOCH).days


def current_score(schedule: Schedule, done: np.ndarray, skipped: np.ndarray, first: int, today: int,
                  *, today_marked: bool) -> tuple[float, int]:
    """Loop's strength on day ``today`` from the days ``first``..``today`` (day numbers), starting from zero.

    The closed form of ``habits.compute_scores``'s recursion (score = score·m + value·(1 − m) on every day
    that is neither skipped nor today still unmarked): today's score is (1 − m)·Σ value_t·m^(later scored
    days). ``done`` and ``skipped`` are the day numbers with those results. Returns the score and how
    many days were scored, so the caller can tell whether older history could still matter.
    """
    import numpy as np  # not at import time: the Today window's module chain reaches here during start-up

    numerator, denominator = schedule.numerator, schedule.denominator
    if schedule.frequency < 1.0:
        numerator, denominator = numerator * 2, denominator * 2
    m = loop_multiplier(schedule.frequency)
    n = today - first + 1
    if n <= 0:
        return 0.0, 0
    is_done = np.zeros(n, dtype=np.int64)
    is_done[done[(done >= first) & (done <= today)] - first] = 1
    scored = np.ones(n, dtype=bool)
    scored[skipped[(skipped >= first) & (skipped <= today)] - first] = False
    if not today_marked:
        scored[-1] = False  # today counts once it is marked, as in compute_scores
    running = np.cumsum(is_done)
    in_window = running - np.concatenate((np.zeros(min(denominator, n), dtype=np.int64), running[:-denominator]))[:n]
    value = np.minimum(1.0, in_window / numerator)
    later = np.cumsum(scored[::-1])[::-1] - scored  # scored days after each day
    weights = np.where(scored, m ** later.astype(float), 0.0)
    return float((1 - m) * np.dot(weights, value)), int(scored.sum())


def current_strengths(ws: Workspace, *, today: dt.date, include_archived: bool = False) -> dict[int, CurrentStrength]:
    """Each exec's current commitment with its strength today and ``DROP_DAYS`` ago, by exec id.

    The same figures as ``habits.all_statuses`` (``strength``, ``strength_two_weeks_ago``) to within
    ``STRENGTH_TOLERANCE``; execs without a current habit are left out.
    """
    import numpy as np

    none = np.array([], dtype=np.int64)
    with ws.session() as s:
        q = (select(Habit.id, Habit.exec_id, Habit.description, Habit.schedule, Habit.times, Habit.period_days,
                    Habit.started_on)
             .join(Exec, Exec.id == Habit.exec_id).where(Habit.ended_on.is_(None))
             .order_by(Habit.started_on, Habit.id))
        if not include_archived:
            q = q.where(Exec.archived.is_(False))
        current = {r.exec_id: r for r in s.execute(q).all()}  # the latest started wins, as in habits.all_statuses
        today_n = day_number(today)
        plans: dict[int, tuple[Schedule, int]] = {}
        for h in current.values():
            sched = Schedule(h.schedule, h.times, h.period_days)
            lookback = _scoring_days(sched) * 5 // 4 + 2 * sched.denominator + DROP_DAYS  # room for skipped days
            plans[h.id] = (sched, max(day_number(h.started_on), today_n - lookback))
        marks = _marks(s, plans, today)
        out: dict[int, CurrentStrength] = {}
        for exec_id, h in current.items():
            sched, first = plans[h.id]
            start_n = day_number(h.started_on)
            done, skipped, marked = marks.get(h.id, (none, none, False))
            before = today_n - DROP_DAYS
            now, scored = current_score(sched, done, skipped, first, today_n, today_marked=marked)
            if first > start_n and scored < _scoring_days(sched) + 2 * sched.denominator + DROP_DAYS:
                # Long skipped stretches: older history still counts, so score the whole of it.
                first = start_n
                done, skipped, marked = _marks(s, {h.id: (sched, first)}, today).get(h.id, (none, none, False))
                now, _n = current_score(sched, done, skipped, first, today_n, today_marked=marked)
            earlier = current_score(sched, done, skipped, first, before, today_marked=True)[0] if before >= start_n else 0.0
            out[exec_id] = CurrentStrength(exec_id, h.id, h.description, h.started_on,
                                           now if start_n <= today_n else 0.0, earlier)
    return out


def _marks(s: Session, plans: dict[int, tuple[Schedule, int]],
           today: dt.date) -> dict[int, tuple[np.ndarray, np.ndarray, bool]]:
    """Per habit: its done and skipped day numbers from its first planned day to today, and whether today is marked.

    The database joins each habit's days of one result into one string (a row per habit and result, not per
    day); missed days are left out (they score like unmarked ones) except today's, which marks today.
    """
    import numpy as np

    by_first: dict[int, list[int]] = {}
    for habit_id, (_sched, first) in plans.items():
        by_first.setdefault(first, []).append(habit_id)
    got: dict[int, dict[str, str]] = {}
    conn = s.connection()
    result = type_coerce(CheckIn.result, String)
    for first, ids in by_first.items():
        for chunk in range(0, len(ids), 500):
            rows = conn.execute(
                select(CheckIn.habit_id, result, func.aggregate_strings(cast(CheckIn.day, String), ","))
                .where(CheckIn.habit_id.in_(ids[chunk:chunk + 500]),
                       CheckIn.day >= _EPOCH + dt.timedelta(days=first), CheckIn.day <= today,
                       or_(result != CheckInResult.MISSED.value, CheckIn.day == today))
                .group_by(CheckIn.habit_id, result)
            ).all()
            for habit_id, kind, days in rows:
                got.setdefault(habit_id, {})[kind] = days
    out = {}
    today_n = day_number(today)
    empty = np.array([], dtype=np.int64)

    def numbers(text: str | None) -> np.ndarray:
        return np.array(text.split(","), dtype="datetime64[D]").astype(np.int64) if text else empty

    for habit_id, by_kind in got.items():
        done, skipped = numbers(by_kind.get(CheckInResult.DONE.value)), numbers(by_kind.get(CheckInResult.SKIPPED.value))
        missed_today = bool(by_kind.get(CheckInResult.MISSED.value))
        out[habit_id] = (done, skipped, missed_today or bool((done == today_n).any() or (skipped == today_n).any()))
    return out


__all__ = ["DROP_DAYS", "STRENGTH_TOLERANCE", "CurrentStrength", "current_score", "current_strengths", "day_number"]
