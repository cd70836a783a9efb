"""The figures of the CM's portfolio dashboard: where every exec stands, who moved, who needs attention.

Every bar or point carries the execs it stands for (``ExecRef``), so the dashboard can open the exec a
click lands on. Qt-free; x values on dates use ``progress_series.epoch`` like the exec's progress page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from sqlalchemy import select

from esncoach.models import CoachingSession, Exec, LadderStage, SessionStatus, StageChange
from esncoach.services import habit_strength, metrics
from esncoach.services.progress_series import NETWORK_METRICS, Series, epoch, weekly_series
from esncoach.store.workspace import Workspace

STRENGTH_BINS = 10
SESSION_WEEKS = 26


@dataclass(frozen=True)
class ExecRef:
    """An exec a bar segment or point stands for, with what to say when hovering it."""

    exec_id: int
    name: str
    detail: str = ""


@dataclass(frozen=True)
class Bar:
    """One bar made of one segment per exec (or per session), bottom to top."""

    label: str
    segments: tuple[ExecRef, ...]

    @property
    def count(self) -> int:
        return len(self.segments)


@dataclass(frozen=True)
class Move:
    """One move on the ladder within the month."""

    exec_id: int
    name: str
    day: dt.date
    from_stage: LadderStage | None
    stage: LadderStage

    @property
    def up(self) -> bool:
        return self.from_stage is None or self.stage.rank > self.from_stage.rank

    @property
    def text(self) -> str:
        frm = self.from_stage.label if self.from_stage else "start"
        return f"{self.name}: {frm} → {self.stage.label} ({self.day.day} {self.day:%b})"


@dataclass(frozen=True)
class JoinMark:
    """An exec's network join date, marked on the network totals."""

    exec_id: int
    name: str
    day: dt.date
    x: float


@dataclass(frozen=True)
class Portfolio:
    """Everything the dashboard draws, as of ``today``."""

    today: dt.date
    stages: tuple[Bar, ...]
    moves: tuple[Move, ...]
    strength: tuple[Bar, ...]
    no_habit: tuple[ExecRef, ...]
    sessions: tuple[Bar, ...]
    session_weeks: tuple[dt.date, ...]
    network: tuple[Series, ...]
    joins: tuple[JoinMark, ...]

    @property
    def moves_up(self) -> int:
        return sum(1 for m in self.moves if m.up)

    @property
    def moves_back(self) -> int:
        return sum(1 for m in self.moves if not m.up)


def _active(ws: Workspace) -> list[tuple[int, str, LadderStage, dt.date | None]]:
    with ws.session() as s:
        return [tuple(r) for r in s.execute(  # type: ignore[misc]
            select(Exec.id, Exec.name, Exec.stage, Exec.joined_network)
            .where(Exec.archived.is_(False)).order_by(Exec.name)
        ).all()]


def stage_bars(ws: Workspace) -> tuple[Bar, ...]:
    """Active execs per ladder stage, lowest rung first; each segment is one exec."""
    by_stage: dict[LadderStage, list[ExecRef]] = {st: [] for st in LadderStage}
    for exec_id, name, stage, _joined in _active(ws):
        by_stage[stage].append(ExecRef(exec_id, name, stage.label))
    return tuple(Bar(st.label, tuple(refs)) for st, refs in by_stage.items())


def month_moves(ws: Workspace, *, today: dt.date) -> tuple[Move, ...]:
    """Moves on the ladder from the first of ``today``'s month to today, oldest first (active execs only)."""
    first = today.replace(day=1)
    with ws.session() as s:
        rows = s.execute(
            select(StageChange.exec_id, Exec.name, StageChange.changed_on, StageChange.from_stage, StageChange.stage)
            .join(Exec, Exec.id == StageChange.exec_id)
            .where(Exec.archived.is_(False), StageChange.changed_on >= first, StageChange.changed_on <= today)
            .order_by(StageChange.changed_on, StageChange.id)
        ).all()
    return tuple(Move(*r) for r in rows)


def current_strengths(ws: Workspace, *, today: dt.date) -> dict[int, tuple[float, str]]:
    """Each active exec's current habit strength (0..1) and description, by exec id.

    ``habit_strength.current_strengths`` reads only the check-ins that can still move today's score and
    scores them with numpy (row by row, five years of daily check-ins of 200 execs took seconds).
    """
    return {exec_id: (c.strength, c.description)
            for exec_id, c in habit_strength.current_strengths(ws, today=today).items()}


def strength_bars(ws: Workspace, *, today: dt.date) -> tuple[tuple[Bar, ...], tuple[ExecRef, ...]]:
    """Current habit strength of active execs in ten 10% bins, plus the execs with no current habit."""
    bins: list[list[ExecRef]] = [[] for _ in range(STRENGTH_BINS)]
    none: list[ExecRef] = []
    strengths = current_strengths(ws, today=today)
    for exec_id, name, _stage, _joined in _active(ws):
        if exec_id not in strengths:
            none.append(ExecRef(exec_id, name, "no current habit"))
            continue
        strength, description = strengths[exec_id]
        i = min(STRENGTH_BINS - 1, int(strength * STRENGTH_BINS))
        bins[i].append(ExecRef(exec_id, name, f"{strength:.0%} — {description}"))
    step = 100 // STRENGTH_BINS
    return tuple(Bar(f"{i * step}–{(i + 1) * step}%", tuple(b)) for i, b in enumerate(bins)), tuple(none)


def session_bars(ws: Workspace, *, today: dt.date, weeks: int = SESSION_WEEKS) -> tuple[tuple[Bar, ...], tuple[dt.date, ...]]:
    """Held sessions per Monday-to-Sunday week over the last ``weeks`` weeks; each segment is one session."""
    this_monday = today - dt.timedelta(days=today.weekday())
    mondays = [this_monday - dt.timedelta(weeks=weeks - 1 - i) for i in range(weeks)]
    with ws.session() as s:
        rows = s.execute(
            select(CoachingSession.exec_id, Exec.name, CoachingSession.starts_at, CoachingSession.title)
            .join(Exec, Exec.id == CoachingSession.exec_id)
            .where(CoachingSession.status == SessionStatus.HELD,
                   CoachingSession.starts_at >= dt.datetime.combine(mondays[0], dt.time()),
                   CoachingSession.starts_at < dt.datetime.combine(today + dt.timedelta(days=1), dt.time()))
            .order_by(CoachingSession.starts_at)
        ).all()
    per_week: dict[dt.date, list[ExecRef]] = {m: [] for m in mondays}
    for exec_id, name, starts, title in rows:
        monday = starts.date() - dt.timedelta(days=starts.weekday())
        if monday in per_week:
            per_week[monday].append(ExecRef(exec_id, name, f"{starts:%a} {starts.day} {starts:%b} — {title}" if title else f"{starts:%a} {starts.day} {starts:%b}"))
    return tuple(Bar(f"{m.day} {m:%b}", tuple(per_week[m])) for m in mondays), tuple(mondays)


def network_totals(ws: Workspace) -> tuple[tuple[Series, ...], tuple[JoinMark, ...]]:
    """The network's weekly messages, replies and likes over all its figures, and every active exec's join date."""
    span = metrics.data_span(ws, exec_id=None)
    execs = _active(ws)
    joins = tuple(JoinMark(i, n, j, epoch(j)) for i, n, _st, j in sorted(execs, key=lambda r: (r[3] or dt.date.max, r[1]))
                  if j is not None)
    if span is None:
        return (), joins
    # Whole weeks only: a first or last week only partly covered would look like a sudden drop.
    start = span[0] + dt.timedelta(days=(7 - span[0].weekday()) % 7)
    end = span[1] - dt.timedelta(days=(span[1].weekday() + 1) % 7)
    if end < start:
        start, end = span
    have = set(metrics.available_metrics(ws, exec_id=None))
    out = []
    for key, label in NETWORK_METRICS:
        if key in have:
            x, y = weekly_series(ws, exec_id=None, metric=key, start=start, end=end)
            out.append(Series(key, label, x, y, "per week", step_days=7))
    return tuple(out), joins


def portfolio(ws: Workspace, *, today: dt.date | None = None) -> Portfolio:
    """All the dashboard's figures in one call."""
    today = today or dt.date.today()
    strength, no_habit = strength_bars(ws, today=today)
    sessions, weeks = session_bars(ws, today=today)
    network, joins = network_totals(ws)
    return Portfolio(today, stage_bars(ws), month_moves(ws, today=today), strength, no_habit, sessions, weeks,
                     network, joins)


def value_at_join(series: Series, join: JoinMark) -> float:
    """Where a join mark sits on a weekly series: the value of the week containing the join day (0 if none)."""
    if not len(series):
        return 0.0
    i = int(np.searchsorted(series.x, join.x, side="right")) - 1
    return float(series.y[i]) if 0 <= i < len(series) else 0.0
