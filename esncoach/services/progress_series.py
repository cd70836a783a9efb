"""The data behind one exec's progress charts, as plain numpy arrays on a shared date axis.

Every x value is seconds since 1970-01-01 at UTC midnight of the day (what pyqtgraph's date axis reads),
so the charts, the hover read-outs and the PDF report agree on where a day is. Nothing here imports Qt:
the app's charts, the report and the tests all read the same series.

The habit strength comes from ``services.habits`` (the Loop Habit Tracker score), the rubric trends from
``services.feedback`` and the impact figures from ``services.impact``; this module only shapes them.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import case, func, select

from esncoach.models import (
    CheckInResult,
    CoachingSession,
    Exec,
    Habit,
    LadderStage,
    MetricSample,
    PracticePost,
    Revision,
    RubricScore,
    SessionStatus,
    StageChange,
)
from esncoach.services import feedback, habits, impact, metrics
from esncoach.store.errors import StoreError, ValidationError
from esncoach.store.sql_dates import MONDAY_BEFORE_EPOCH, week_number
from esncoach.store.workspace import Workspace

EPOCH = dt.date(1970, 1, 1)
DAY_S = 86_400.0
ACTIVITY_METRICS: tuple[tuple[str, str], ...] = (
    ("messages", "Messages"), ("replies", "Replies"), ("likes", "Likes"), ("replies_received", "Replies received"),
)
NETWORK_METRICS: tuple[tuple[str, str], ...] = (("messages", "Messages"), ("replies", "Replies"), ("likes", "Likes"))
MIN_STREAK = 3
"""Done check-ins in a row before a run is shaded as a streak."""

CHART_KEYS = ("stage", "habit", "rubric", "activity", "network")
"""The progress page's charts, top to bottom (ladder, habit, rubric, own activity, network)."""

RANGE_PRESETS: tuple[tuple[str, int | None], ...] = (("4 weeks", 28), ("Quarter", 91), ("Year", 365), ("All", None))
"""(label, days back from today, or None for everything the exec has), in toolbar order."""


def epoch(day: dt.date) -> float:
    """Seconds since 1970-01-01 at UTC midnight of ``day``: the x coordinate of that day on every chart."""
    return (day - EPOCH).days * DAY_S


def day_of(x: float) -> dt.date:
    """The day an x coordinate falls in (the inverse of ``epoch``)."""
    return EPOCH + dt.timedelta(days=math.floor(x / DAY_S))


def _xs(days: Iterable[dt.date]) -> np.ndarray:
    return np.array([epoch(d) for d in days], dtype=float)


# ----- records ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Series:
    """One named line: x in epoch seconds, y in the chart's unit; ``step`` lines hold each value for a week."""

    key: str
    label: str
    x: np.ndarray
    y: np.ndarray
    unit: str = ""
    step_days: int = 0
    hold_until: float | None = None
    """If set, each value holds from its x to the next one (and the last until this x): a step line."""

    def __len__(self) -> int:
        return len(self.x)

    def value_at(self, x: float, *, tolerance_s: float = DAY_S / 2) -> float | None:
        """The value shown at ``x``: a step's value, or the nearest point within ``tolerance_s``."""
        if not len(self.x):
            return None
        if self.hold_until is not None:
            i = int(np.searchsorted(self.x, x, side="right")) - 1
            return float(self.y[i]) if 0 <= i and x < self.hold_until else None
        if self.step_days:
            i = int(np.searchsorted(self.x, x, side="right")) - 1
            if i < 0 or x >= self.x[i] + self.step_days * DAY_S:
                return None
            return float(self.y[i])
        i = int(np.searchsorted(self.x, x))
        best = min((j for j in (i - 1, i) if 0 <= j < len(self.x)), key=lambda j: abs(self.x[j] - x))
        return float(self.y[best]) if abs(self.x[best] - x) <= tolerance_s else None


@dataclass(frozen=True)
class StageSeries:
    """The ladder stage as steps: ``edges`` has one more value than ``ranks`` (the last edge is the range end)."""

    edges: np.ndarray
    ranks: np.ndarray
    changes: tuple[tuple[dt.date, LadderStage, str], ...] = ()

    @property
    def as_series(self) -> Series:
        """The stage as a held step series (the read-out's view of it)."""
        end = float(self.edges[-1]) if len(self.edges) else None
        return Series("stage", "Stage", self.edges[:-1], self.ranks, hold_until=end)

    def rank_at(self, x: float) -> int | None:
        """The stage rank held on the day at ``x``, or None outside the range."""
        i = int(np.searchsorted(self.edges, x, side="right")) - 1
        if i < 0 or i >= len(self.ranks):
            return None
        return int(self.ranks[i])


@dataclass(frozen=True)
class HabitSeries:
    """Daily habit strength in percent, the check-ins as marks by result, and the streaks as [x0, x1) spans."""

    x: np.ndarray
    strength: np.ndarray
    done_x: np.ndarray
    skipped_x: np.ndarray
    missed_x: np.ndarray
    streaks: tuple[tuple[float, float], ...]
    habit_changes: tuple[tuple[dt.date, str], ...] = ()

    @property
    def as_series(self) -> Series:
        return Series("strength", "Habit strength", self.x, self.strength, "%")


@dataclass(frozen=True)
class SessionMark:
    """A coaching session drawn as a vertical marker, with the text shown when hovering it."""

    session_id: int
    day: dt.date
    x: float
    number: int | None
    title: str
    status: SessionStatus

    @property
    def text(self) -> str:
        """"Session 3 — first comment" (held), "Planned — …" otherwise."""
        head = f"Session {self.number}" if self.number is not None else "Planned"
        return f"{head} — {self.title}" if self.title else head


@dataclass(frozen=True)
class ImpactLine:
    """One before/after figure as the panel beside the network chart shows it."""

    metric: str
    before: float | None
    after: float | None
    change_pct: float | None
    ci95: tuple[float, float] | None
    well_covered: bool
    adjusted: impact.AdjustedEffect | None = None

    @property
    def text(self) -> str:
        """"Likes +45.2% (95% +27.0 to +65.9); raw +39.1%": the effect of joining first, or why there is none."""
        name = self.metric.replace("_", " ").capitalize()
        flag = "" if self.well_covered else " *"
        raw = "" if self.change_pct is None else f"raw {self.change_pct:+.1f}%"
        if self.adjusted is not None and self.adjusted.effect_pct is not None and self.adjusted.ci95 is not None:
            lo, hi = self.adjusted.ci95
            return (f"{name} {self.adjusted.effect_pct:+.1f}% (95% {lo:+.1f} to {hi:+.1f})"
                    + (f"; {raw}" if raw else "") + flag)
        if self.change_pct is None:
            return f"{name}: not enough figures"
        ci = f" (95% CI {self.ci95[0]:+.1f}% to {self.ci95[1]:+.1f}%)" if self.ci95 else ""
        return f"{name}: no adjusted estimate; {raw}{ci}{flag}"

    @property
    def sentence(self) -> str:
        """The adjusted effect in one plain sentence (empty without one)."""
        label = self.metric.replace("_", " ").capitalize()
        return self.adjusted.sentence(label) if self.adjusted is not None else ""


@dataclass(frozen=True)
class ImpactSummary:
    """The network's before/after figures around the exec's join date, ready to print."""

    join_date: dt.date
    days: int
    network: tuple[ImpactLine, ...]
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class ProgressData:
    """Everything one exec's progress page draws, for the days from ``start`` to ``end``."""

    exec_id: int
    start: dt.date
    end: dt.date
    today: dt.date
    joined: dt.date | None
    stage: StageSeries
    habit: HabitSeries
    rubric: dict[str, Series]
    activity: tuple[Series, ...]
    network: tuple[Series, ...]
    sessions: tuple[SessionMark, ...]
    impact: ImpactSummary | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def x_range(self) -> tuple[float, float]:
        """The whole range in x, ending at the end of the last day."""
        return epoch(self.start), epoch(self.end) + DAY_S


# ----- ranges -------------------------------------------------------------------------------------

def preset_range(days: int | None, *, today: dt.date, first: dt.date) -> tuple[dt.date, dt.date]:
    """The (start, end) days a range preset shows: ``days`` back from today, or from ``first`` for "All"."""
    if days is None:
        return min(first, today), today
    return today - dt.timedelta(days=days - 1), today


def exec_span(ws: Workspace, *, exec_id: int, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The first day anything about the exec happened (stage, habit, session, post, figure, join) and today."""
    today = today or dt.date.today()
    with ws.session() as s:
        ex = s.get(Exec, exec_id)
        if ex is None:
            raise ValidationError("exec", "That executive no longer exists.")
        firsts = [
            s.scalar(select(func.min(StageChange.changed_on)).where(StageChange.exec_id == exec_id)),
            s.scalar(select(func.min(Habit.started_on)).where(Habit.exec_id == exec_id)),
            s.scalar(select(func.min(MetricSample.period_start)).where(MetricSample.exec_id == exec_id)),
        ]
        first_session = s.scalar(select(func.min(CoachingSession.starts_at)).where(CoachingSession.exec_id == exec_id))
        first_score = s.scalar(
            select(func.min(Revision.created_at)).join(RubricScore, RubricScore.revision_id == Revision.id)
            .join(PracticePost, Revision.post_id == PracticePost.id).where(PracticePost.exec_id == exec_id))
        firsts += [first_session.date() if first_session else None, first_score.date() if first_score else None]
        if ex.joined_network:
            firsts.append(ex.joined_network - dt.timedelta(days=30))  # show the "before" the impact compares
        days = [d for d in firsts if d is not None and d <= today]
    return (min(days) if days else today - dt.timedelta(days=27)), today


# ----- series -------------------------------------------------------------------------------------

def stage_series(ws: Workspace, *, exec_id: int, start: dt.date, end: dt.date) -> StageSeries:
    """The exec's ladder stage over [start, end] as steps, from the stage history (or today's stage if none)."""
    with ws.session() as s:
        ex = s.get(Exec, exec_id)
        if ex is None:
            raise ValidationError("exec", "That executive no longer exists.")
        rows = s.execute(
            select(StageChange.changed_on, StageChange.stage, StageChange.from_stage, StageChange.reason)
            .where(StageChange.exec_id == exec_id).order_by(StageChange.changed_on, StageChange.id)
        ).all()
        current = ex.stage
    if not rows:
        return StageSeries(_xs([start, end + dt.timedelta(days=1)]), np.array([current.rank], dtype=float))
    # Before the first recorded move the exec was at its "from" stage (if known); not drawn before coaching began.
    held: list[tuple[dt.date, LadderStage]] = []
    for day, stage, _frm, _reason in rows:
        if held and held[-1][0] == day:
            held[-1] = (day, stage)  # several moves on one day: the last one holds
        else:
            held.append((day, stage))
    first_day = held[0][0]
    if rows[0][2] is not None and start < first_day:
        held.insert(0, (start, rows[0][2]))
    in_range = [(max(d, start), st) for i, (d, st) in enumerate(held)
                if d <= end and (i + 1 == len(held) or held[i + 1][0] > start)]
    edges = [d for d, _ in in_range] + [end + dt.timedelta(days=1)]
    changes = tuple((d, st, reason) for d, st, _f, reason in rows if start <= d <= end)
    return StageSeries(_xs(edges), np.array([st.rank for _, st in in_range], dtype=float), changes)


def _gap_limit(habit: Habit) -> int:
    """The longest gap between done check-ins that still keeps a streak going, for this schedule."""
    sched = habits.Schedule.of(habit)
    if sched.kind.value == "daily":
        return 1
    if sched.kind.value == "weekdays":
        return 3  # Friday to Monday
    return max(1, math.ceil(2 / sched.frequency) - 1)


def streak_spans(marks: Iterable[tuple[dt.date, CheckInResult]], *, gap_limit: int = 1,
                 min_run: int = MIN_STREAK) -> list[tuple[dt.date, dt.date]]:
    """Runs of at least ``min_run`` done check-ins (missed breaks a run, skipped neither breaks nor counts),
    as (first day, day after the last), with at most ``gap_limit`` days between consecutive done days."""
    spans: list[tuple[dt.date, dt.date]] = []
    run: list[dt.date] = []

    def close() -> None:
        if len(run) >= min_run:
            spans.append((run[0], run[-1] + dt.timedelta(days=1)))
        run.clear()

    for day, result in sorted(marks):
        if result == CheckInResult.DONE:
            if run and (day - run[-1]).days > gap_limit:
                close()
            run.append(day)
        elif result == CheckInResult.MISSED:
            close()
    close()
    return spans


def habit_series(ws: Workspace, *, exec_id: int, start: dt.date, end: dt.date) -> HabitSeries:
    """Strength (0–100%) day by day across the exec's habits, with check-ins by result and shaded streaks."""
    strength = habits.strength_series(ws, exec_id=exec_id, start=start, end=end)
    points = strength.points
    x = _xs(d for d, _ in points)
    y = np.array([v * 100.0 for _, v in points], dtype=float)
    by_result: dict[CheckInResult, list[dt.date]] = {r: [] for r in CheckInResult}
    for m in strength.marks:
        by_result[m.result].append(m.day)
    with ws.session() as s:
        hs = s.scalars(select(Habit).where(Habit.exec_id == exec_id).order_by(Habit.started_on)).all()
        limits = [(h.started_on, h.ended_on, _gap_limit(h)) for h in hs]
    spans: list[tuple[float, float]] = []
    for h_start, h_end, limit in limits:
        own = [(m.day, m.result) for m in strength.marks if h_start <= m.day and (h_end is None or m.day <= h_end)]
        spans += [(epoch(a), epoch(b)) for a, b in streak_spans(own, gap_limit=limit)]
    return HabitSeries(x, y, _xs(by_result[CheckInResult.DONE]), _xs(by_result[CheckInResult.SKIPPED]),
                       _xs(by_result[CheckInResult.MISSED]), tuple(spans), strength.habit_changes)


def rubric_series(ws: Workspace, *, exec_id: int, start: dt.date, end: dt.date) -> dict[str, Series]:
    """Per rubric criterion, the exec's scores (1–5) of scored revisions within [start, end]."""
    out: dict[str, Series] = {}
    for criterion, points in feedback.rubric_trends(ws, exec_id=exec_id).items():
        kept = [p for p in points if start <= p.date <= end]
        out[criterion] = Series(criterion, criterion, _xs(p.date for p in kept),
                                np.array([p.score for p in kept], dtype=float), "/5")
    return out


def weekly_totals(daily: Mapping[dt.date, float], start: dt.date, end: dt.date) -> tuple[np.ndarray, np.ndarray]:
    """Sum daily figures into Monday-to-Sunday weeks overlapping [start, end]; weeks with no figure are left out."""
    weeks: dict[dt.date, float] = {}
    for day, value in daily.items():
        if start <= day <= end:
            monday = day - dt.timedelta(days=day.weekday())
            weeks[monday] = weeks.get(monday, 0.0) + value
    keys = sorted(weeks)
    return _xs(keys), np.array([round(weeks[k], 1) for k in keys], dtype=float)


def weekly_series(ws: Workspace, *, exec_id: int | None, metric: str, start: dt.date,
                  end: dt.date) -> tuple[np.ndarray, np.ndarray]:
    """``weekly_totals(metrics.daily_series(...))``, summed by the database when every figure in range is daily.

    One grouped query over the series index replaces reading every day's figure into Python (five years of
    a daily metric is 1,800 rows per chart line); a figure over a longer period in range (spread over its
    days by ``metrics.daily_series``) sends the whole series down the day-by-day path instead.
    """
    exec_is = MetricSample.exec_id.is_(None) if exec_id is None else MetricSample.exec_id == exec_id
    week = week_number(MetricSample.period_start)
    with ws.session() as s:
        rows = s.connection().execute(
            select(week, func.sum(MetricSample.value),
                   func.sum(case((MetricSample.period_start != MetricSample.period_end, 1), else_=0)))
            .where(exec_is, MetricSample.metric == metric,
                   MetricSample.period_start <= end, MetricSample.period_end >= start)
            .group_by(week).order_by(week)
        ).all()
    if any(spread for _w, _v, spread in rows):
        return weekly_totals(metrics.daily_series(ws, exec_id=exec_id, metric=metric, start=start, end=end), start, end)
    x = np.array([(MONDAY_BEFORE_EPOCH + 7 * w) * DAY_S for w, _v, _n in rows], dtype=float)
    return x, np.array([round(float(v), 1) for _w, v, _n in rows], dtype=float)


def activity_series(ws: Workspace, *, exec_id: int, start: dt.date, end: dt.date) -> tuple[Series, ...]:
    """The exec's own weekly activity (and replies received) from imported figures, one series per metric held."""
    have = set(metrics.available_metrics(ws, exec_id=exec_id))
    out = []
    for key, label in ACTIVITY_METRICS:
        if key in have:
            x, y = weekly_series(ws, exec_id=exec_id, metric=key, start=start, end=end)
            out.append(Series(key, label, x, y, "per week", step_days=7))
    return tuple(out)


def trailing_mean(daily: Mapping[dt.date, float], start: dt.date, end: dt.date, *,
                  days: int = 7) -> tuple[np.ndarray, np.ndarray]:
    """For each day in [start, end] that has a figure, the mean of the figures over it and the ``days - 1``
    days before (missing days left out), so weekday/weekend swings do not hide the trend.

    A sparse series (figures on fewer than half of its days, e.g. weekly totals each stored on one day)
    is not a daily one: there a window's sum is divided by all its ``days``, so the points stay per-day
    values instead of repeating each row's total."""
    n = (end - start).days + 1
    if n <= 0 or not daily:
        return np.array([], dtype=float), np.array([], dtype=float)
    values = np.full(n, np.nan)
    for day, value in daily.items():
        if start <= day <= end:
            values[(day - start).days] = value
    present = ~np.isnan(values)
    kernel = np.ones(days)
    sums = np.convolve(np.where(present, values, 0.0), kernel)[:n]
    counts = np.convolve(present.astype(float), kernel)[:n]
    idx = np.flatnonzero(present)
    x = epoch(start) + idx * DAY_S
    sparse = len(idx) > 1 and len(idx) < 0.5 * (idx[-1] - idx[0] + 1)
    return x, np.round(sums[idx] / (days if sparse else counts[idx]), 1)


def network_series(ws: Workspace, *, start: dt.date, end: dt.date) -> tuple[Series, ...]:
    """The whole network's messages, replies and likes per day over [start, end], as 7-day trailing means."""
    have = set(metrics.available_metrics(ws, exec_id=None))
    out = []
    for key, label in NETWORK_METRICS:
        if key in have:
            lead_in = start - dt.timedelta(days=6)
            daily = metrics.daily_series(ws, exec_id=None, metric=key, start=lead_in, end=end)
            x, y = trailing_mean(daily, lead_in, end)
            keep = x >= epoch(start)
            out.append(Series(key, label, x[keep], y[keep], "per day (7-day mean)"))
    return tuple(out)


def session_marks(ws: Workspace, *, exec_id: int, start: dt.date, end: dt.date) -> tuple[SessionMark, ...]:
    """Held and planned sessions within [start, end]; held ones numbered from the exec's first session."""
    with ws.session() as s:
        rows = s.execute(
            select(CoachingSession.id, CoachingSession.starts_at, CoachingSession.title, CoachingSession.status)
            .where(CoachingSession.exec_id == exec_id, CoachingSession.status != SessionStatus.CANCELLED)
            .order_by(CoachingSession.starts_at, CoachingSession.id)
        ).all()
    out, held = [], 0
    for sid, starts, title, status in rows:
        if status == SessionStatus.HELD:
            held += 1
        day = starts.date()
        if start <= day <= end:
            out.append(SessionMark(sid, day, epoch(day) + DAY_S / 2, held if status == SessionStatus.HELD else None,
                                   title, status))
    return tuple(out)


def impact_summary(ws: Workspace, *, exec_id: int) -> ImpactSummary | None:
    """The network's before/after figures around the exec's join date; None without a join date or figures."""
    try:
        report = impact.exec_impact(ws, exec_id=exec_id)
    except (ValidationError, StoreError):
        return None
    if not report.network:
        return None
    lines = tuple(ImpactLine(m.metric, m.before, m.after, m.change_pct, m.ci95, m.well_covered, m.adjusted)
                  for m in report.network.values())
    return ImpactSummary(report.join_date, report.days, lines, report.warnings)


def progress_data(ws: Workspace, *, exec_id: int, start: dt.date | None = None, end: dt.date | None = None,
                  today: dt.date | None = None, with_impact: bool = True) -> ProgressData:
    """Every series of the exec's progress page; by default the exec's whole history up to today.
    ``with_impact=False`` leaves out the effect of joining (the charts do not draw it; it is the slow part)."""
    today = today or dt.date.today()
    first, last = exec_span(ws, exec_id=exec_id, today=today)
    start = start or first
    end = end or last
    if end < start:
        raise ValidationError("end", "The end of the range is before its start.")
    with ws.session() as s:
        joined = s.scalar(select(Exec.joined_network).where(Exec.id == exec_id))
    return ProgressData(
        exec_id=exec_id, start=start, end=end, today=today, joined=joined,
        stage=stage_series(ws, exec_id=exec_id, start=start, end=end),
        habit=habit_series(ws, exec_id=exec_id, start=start, end=end),
        rubric=rubric_series(ws, exec_id=exec_id, start=start, end=end),
        activity=activity_series(ws, exec_id=exec_id, start=start, end=end),
        network=network_series(ws, start=start, end=end),
        sessions=session_marks(ws, exec_id=exec_id, start=start, end=end),
        impact=impact_summary(ws, exec_id=exec_id) if with_impact else None,
    )
