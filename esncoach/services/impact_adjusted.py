"""Adjusted impact for one exec or the whole portfolio: joint steps for nearby joins, placebo dates, notes.

Builds on ``impact_guards`` (what counts as data) and ``impact_model`` (the fit). For an exec joining on
day J with windows of N days, the model sees the days [J - N, J + N - 1], with one step per exec join date
inside that window; joins closer than ``MIN_SEPARATION_DAYS`` share a step and the note says so. The
placebo check refits the same model at up to ``PLACEBO_DATES`` fake join dates whose whole window lies
before J (and away from every real join) and reports how many of those fake effects the real one exceeds
in size. The ranking compares ordinary least-squares point estimates for the real date and the fake ones
alike (one fit per fake date, shared across execs in the portfolio).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy import select

from esncoach.models import Exec
from esncoach.services import impact_guards, impact_model
from esncoach.services import metrics as metrics_service
from esncoach.services.impact_model import MIN_SEPARATION_DAYS, AdjustedEffect
from esncoach.store.workspace import Workspace

NETWORK_METRICS = ("messages", "replies", "likes", "reads")
"""The network figures an exec's joining is judged on (``impact.NETWORK_METRICS`` is this tuple)."""
PLACEBO_DATES = 20
PLACEBO_STEP_DAYS = 3
PLACEBO_ANCHOR = dt.date(2000, 1, 3)
MIN_PLACEBOS = 5
PLACEBO_SPREAD_DAYS = PLACEBO_DATES * PLACEBO_STEP_DAYS
DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class JoinDate:
    """An exec's network join date, as the joint model sees it."""

    exec_id: int
    name: str
    joined: dt.date


@dataclass(frozen=True)
class PortfolioExec:
    """One exec's adjusted effect on each network metric, from the joint model."""

    exec_id: int
    name: str
    join_date: dt.date
    metrics: dict[str, AdjustedEffect]

    def as_json(self) -> dict[str, object]:
        return {"name": self.name, "join_date": self.join_date.isoformat(),
                "metrics": {m: {"adjusted": a.as_json()} for m, a in self.metrics.items()}}


@dataclass(frozen=True)
class PortfolioImpact:
    """Every exec with a join date, in join order, and notes that concern the whole portfolio."""

    days: int
    execs: tuple[PortfolioExec, ...]
    notes: tuple[str, ...]

    def as_json(self) -> dict[str, object]:
        """``{"execs": [{"name", "join_date", "metrics": {M: {"adjusted": {...}}}}], "notes": [...]}``."""
        return {"execs": [e.as_json() for e in self.execs], "notes": list(self.notes)}


def join_dates(ws: Workspace) -> list[JoinDate]:
    """Every exec with a network join date (archived ones too: they moved the network all the same)."""
    with ws.session() as s:
        rows = s.execute(select(Exec.id, Exec.name, Exec.joined_network)
                         .where(Exec.joined_network.is_not(None)).order_by(Exec.joined_network, Exec.id)).all()
    return [JoinDate(i, n, j) for i, n, j in rows]


def history_start(join: dt.date, days: int) -> dt.date:
    """The first day the placebo check needs: room for its fake windows before the real one."""
    return join - dt.timedelta(days=2 * days + PLACEBO_SPREAD_DAYS)


def _first(name: str) -> str:
    return name.split()[0] if name.strip() else name


def _clusters(joins: Sequence[JoinDate]) -> list[list[JoinDate]]:
    """Join dates grouped where consecutive ones are closer than MIN_SEPARATION_DAYS."""
    out: list[list[JoinDate]] = []
    for j in sorted(joins, key=lambda j: (j.joined, j.exec_id)):
        if out and (j.joined - out[-1][-1].joined).days < MIN_SEPARATION_DAYS:
            out[-1].append(j)
        else:
            out.append([j])
    return out


def _steps(me: JoinDate | None, joins: Sequence[JoinDate], center: dt.date, start: dt.date,
           end: dt.date) -> tuple[list[int], int, list[JoinDate]]:
    """Step offsets (days from ``center``) for the joins in [start, end], the index of ``me``'s step (or of
    the step at ``center`` when ``me`` is None), and who shares ``me``'s step."""
    inside = [j for j in joins if start < j.joined <= end and (me is None or j.exec_id != me.exec_id)]
    if me is not None:
        inside.append(me)
    else:
        inside.append(JoinDate(-1, "", center))
    clusters = _clusters(inside)
    offsets, mine, shared = [], 0, []
    for c in clusters:
        if any(j.exec_id == (me.exec_id if me else -1) for j in c):
            mine, shared = len(offsets), [j for j in c if me is None or j.exec_id != me.exec_id]
        offsets.append((c[0].joined - center).days)
    return offsets, mine, shared


def raw_change(series: Mapping[dt.date, float], join: dt.date, days: int) -> float | None:
    """Plain before/after change of the means per day, in percent (no interval)."""
    b = [v for d, v in series.items() if join - dt.timedelta(days=days) <= d < join]
    a = [v for d, v in series.items() if join <= d < join + dt.timedelta(days=days)]
    if not b or not a or float(np.mean(b)) == 0:
        return None
    return (float(np.mean(a)) / float(np.mean(b)) - 1) * 100.0


def adjusted_effect(metric: str, series: Mapping[dt.date, float], *, me: JoinDate, days: int,
                    joins: Sequence[JoinDate] = (), raw: float | None = None,
                    placebos: bool = True, cache: dict | None = None) -> AdjustedEffect:
    """The adjusted effect of ``me`` joining on one daily series (missing days absent from ``series``)."""
    join = me.joined
    start, end = join - dt.timedelta(days=days), join + dt.timedelta(days=days - 1)
    prep = impact_guards.prepare(metric, series, join, start, end, days=days)
    if prep.reason is not None:
        return impact_model.none(prep.reason, prep.notes, raw, days)
    offsets, mine, shared = _steps(me, joins, join, start, end)
    notes = list(prep.notes)
    if shared:
        # No names: this note reaches the exec's own PDF, which must not name other execs.
        who = "Another exec" if len(shared) == 1 else f"{len(shared)} other execs"
        notes.append(f"{who} joined within {MIN_SEPARATION_DAYS} days of this join: too close to separate, so "
                     "this is their combined effect.")
    usable = set(impact_model.usable_steps(prep.t, offsets))
    keep = [i for i, o in enumerate(offsets) if o in usable or i == mine]
    others_dropped = len(offsets) - len(keep)
    mine = keep.index(mine)
    offsets = [offsets[i] for i in keep]
    if others_dropped:
        notes.append("Another exec joined at the very edge of the window; their step could not be estimated.")
    elif len(offsets) > 1:
        notes.append(f"{len(offsets) - 1} other join date{'s' if len(offsets) > 2 else ''} in the window "
                     "estimated jointly, so their effects are kept apart from this one.")
    fit = impact_model.fit_steps(prep.t, prep.dow, prep.y, offsets, focal=mine, low_counts=prep.low_counts)
    if fit is None:
        return impact_model.none("No adjusted estimate: the model could not be fitted to these figures.",
                                 notes, raw, days)
    effect = impact_model.pct(fit.steps[mine])
    lo, hi = fit.ci[mine]
    if fit.method == impact_model.METHOD_POISSON:
        notes.append("Low daily counts: a Poisson model is used; its interval is less well tested.")
    rank = None
    if placebos:
        fakes = _placebo_effects(metric, series, me=me, days=days, joins=joins, cache=cache)
        if len(fakes) >= MIN_PLACEBOS:
            rank = impact_model.placebo_rank(fit.ols_steps[mine], fakes)
        else:
            notes.append(f"Too little history for a placebo check: it needs about {2 * days + MIN_PLACEBOS} days "
                         "of figures before the join date, with no other exec joining.")
    return AdjustedEffect(effect, (impact_model.pct(lo), impact_model.pct(hi)), fit.method, rank, tuple(notes),
                          raw, days, len(offsets) - 1)


def placebo_dates(first: dt.date, join: dt.date, days: int, real_joins: Sequence[dt.date]) -> list[dt.date]:
    """The fake join dates for a join on ``join`` with data from ``first``: the last ``PLACEBO_DATES`` days
    of a fixed grid (every ``PLACEBO_STEP_DAYS`` days) whose whole window lies in [first, join), away from
    every real join. A fixed grid lets the portfolio reuse one placebo fit for many execs."""
    lo, hi = first + dt.timedelta(days=days), join - dt.timedelta(days=days)
    if hi < lo:
        return []
    p = hi - dt.timedelta(days=(hi - PLACEBO_ANCHOR).days % PLACEBO_STEP_DAYS)
    out: list[dt.date] = []
    while p >= lo and len(out) < PLACEBO_DATES:
        if all(abs((p - r).days) >= MIN_SEPARATION_DAYS for r in real_joins):
            out.append(p)
        p -= dt.timedelta(days=PLACEBO_STEP_DAYS)
    return out[::-1]


def _placebo_effects(metric: str, series: Mapping[dt.date, float], *, me: JoinDate, days: int,
                     joins: Sequence[JoinDate], cache: dict | None = None) -> list[float]:
    """Log-scale step estimates at fake join dates whose whole window lies before the real join."""
    join = me.joined
    before = {d: v for d, v in series.items() if d < join}
    if not before:
        return []
    others = [j for j in joins if j.exec_id != me.exec_id and j.joined < join]
    out = []
    history: impact_guards.DayValues | None = None  # converted once for all the fake dates
    for p in placebo_dates(min(before), join, days, [j.joined for j in others]):
        key = (metric, p, days)
        if cache is not None and key in cache:
            value = cache[key]
        else:
            if history is None:
                history = impact_guards.DayValues.of(before)
            value = _placebo_fit(metric, history, p, days, others)
            if cache is not None:
                cache[key] = value
        if value is not None:
            out.append(value)
    return out


def _placebo_fit(metric: str, before: Mapping[dt.date, float] | impact_guards.DayValues, p: dt.date, days: int,
                 others: Sequence[JoinDate]) -> float | None:
    start, end = p - dt.timedelta(days=days), p + dt.timedelta(days=days - 1)
    prep = impact_guards.prepare(metric, before, p, start, end, days=days)
    if prep.reason is not None:
        return None
    offsets, mine, _ = _steps(None, others, p, start, end)
    usable = set(impact_model.usable_steps(prep.t, offsets))
    offsets = [o for i, o in enumerate(offsets) if o in usable or i == mine]
    if 0 not in offsets:
        return None
    fit = impact_model.fit_steps(prep.t, prep.dow, prep.y, offsets, focal=offsets.index(0),
                                 low_counts=prep.low_counts, ols_only=True)
    return None if fit is None else fit.ols_steps[offsets.index(0)]


def portfolio_impact(ws: Workspace, *, days: int, placebos: bool = True) -> PortfolioImpact:
    """Every exec's adjusted effect on each network metric, from one joint model per window."""
    joins = join_dates(ws)
    notes: list[str] = []
    names = [m for m in metrics_service.available_metrics(ws, exec_id=None) if m in NETWORK_METRICS]
    if not joins:
        return PortfolioImpact(days, (), ("No executive has a network join date yet.",))
    if not names:
        notes.append("There are no network figures yet: import an export or type figures in.")
    lo = history_start(joins[0].joined, days)
    hi = joins[-1].joined + dt.timedelta(days=days - 1)
    series = {m: metrics_service.daily_series(ws, exec_id=None, metric=m, start=lo, end=hi) for m in names}
    out = []
    for c in _clusters(joins):
        if len(c) > 1:
            notes.append(f"{', '.join(j.name for j in c[:-1])} and {c[-1].name} joined within "
                         f"{MIN_SEPARATION_DAYS} days of each other: too close to separate, so each is shown "
                         "with their combined effect.")
    cache: dict = {}
    for me in joins:
        effects = {}
        for m in names:
            s = series[m]
            effects[m] = adjusted_effect(m, s, me=me, days=days, joins=joins, raw=raw_change(s, me.joined, days),
                                         placebos=placebos, cache=cache)
        out.append(PortfolioExec(me.exec_id, me.name, me.joined, effects))
    return PortfolioImpact(days, tuple(out), tuple(notes))
