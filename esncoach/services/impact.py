"""Before/after impact of an exec joining the network, with a bootstrap interval and coverage warnings.

For each metric: the mean per day over the N days before the join date (the join date excluded) and
over the N days from the join date on, the change in percent, and a 95% interval for that change from
a bootstrap over days (days resampled with replacement within each window, seeded so the same data
always gives the same figures). Means are over the days that have figures; a window with under 80% of
its days covered is flagged. This raw change is the figure people quote, and it credits the network's
own growth to the exec; ``exec_impact`` therefore also gives each metric an ``adjusted`` effect from
``impact_adjusted`` (weekday, trend and a step at each join date, with a placebo check), which is the
figure to lead with.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
from sqlalchemy import select

from esncoach.models import Exec
from esncoach.services import impact_adjusted
from esncoach.services import metrics as metrics_service
from esncoach.services import settings
from esncoach.services.impact_model import AdjustedEffect
from esncoach.store.errors import ValidationError
from esncoach.store.workspace import Workspace

WINDOW_DAYS = settings.declare("impact.window_days", 30)
COVERAGE_WARNING = 0.8
BOOTSTRAP_RESAMPLES = 4000
BOOTSTRAP_SEED = 20260216
MAX_DAYS = 366
NETWORK_METRICS = impact_adjusted.NETWORK_METRICS
EXEC_METRICS = ("messages", "replies", "likes", "reads", "replies_received")
YEAR = dt.timedelta(days=365)


@dataclass(frozen=True)
class MetricImpact:
    """One metric's before/after comparison; None where a window has no figures (or before is zero)."""

    metric: str
    before: float | None
    after: float | None
    change_pct: float | None
    ci95: tuple[float, float] | None
    coverage: tuple[float, float]
    adjusted: AdjustedEffect | None = None

    @property
    def well_covered(self) -> bool:
        return min(self.coverage) >= COVERAGE_WARNING

    def as_json(self) -> dict[str, object]:
        """The per-metric shape of ``esncoach impact --json`` (``adjusted`` only where it was estimated)."""
        out: dict[str, object] = {
            "before": _round(self.before),
            "after": _round(self.after),
            "change_pct": _round(self.change_pct),
            "ci95": [_round(self.ci95[0]), _round(self.ci95[1])] if self.ci95 else None,
            "coverage": [round(self.coverage[0], 3), round(self.coverage[1], 3)],
        }
        if self.adjusted is not None:
            out["adjusted"] = self.adjusted.as_json()
        return out


@dataclass(frozen=True)
class ImpactReport:
    """The impact of one exec joining: network metrics, the exec's own activity and responses received."""

    exec_id: int
    exec_name: str
    join_date: dt.date
    days: int
    network: dict[str, MetricImpact]
    own: dict[str, MetricImpact]
    year_earlier: dict[str, MetricImpact] | None
    warnings: tuple[str, ...]

    def as_json(self) -> dict[str, object]:
        """``{"exec", "join_date", "days", "metrics": {...}}`` plus the exec's own figures and warnings."""
        return {
            "exec": self.exec_name,
            "join_date": self.join_date.isoformat(),
            "days": self.days,
            "metrics": {name: m.as_json() for name, m in self.network.items()},
            "exec_metrics": {name: m.as_json() for name, m in self.own.items()},
            "year_earlier": ({"join_date": (self.join_date - YEAR).isoformat(),
                              "metrics": {n: m.as_json() for n, m in self.year_earlier.items()}}
                             if self.year_earlier is not None else None),
            "warnings": list(self.warnings),
        }


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(float(value), digits)


def compare_windows(metric: str, before: Sequence[float], after: Sequence[float], days: int, *,
                    resamples: int = BOOTSTRAP_RESAMPLES, seed: int = BOOTSTRAP_SEED) -> MetricImpact:
    """Compare the daily values of two windows of ``days`` days each (missing days simply absent)."""
    b = np.asarray(before, dtype=float)
    a = np.asarray(after, dtype=float)
    coverage = (min(1.0, len(b) / days), min(1.0, len(a) / days))
    mean_b = float(b.mean()) if len(b) else None
    mean_a = float(a.mean()) if len(a) else None
    if mean_b is None or mean_a is None or mean_b == 0:
        return MetricImpact(metric, mean_b, mean_a, None, None, coverage)
    change = (mean_a - mean_b) / mean_b * 100.0
    draw_b, draw_a = _bootstrap_draws(seed, resamples, len(b), len(a))
    boot_b = _resampled_means(b, draw_b)
    boot_a = _resampled_means(a, draw_a)
    ok = boot_b > 0
    changes = (boot_a[ok] - boot_b[ok]) / boot_b[ok] * 100.0
    ci = tuple(float(q) for q in np.percentile(changes, (2.5, 97.5))) if len(changes) else None
    return MetricImpact(metric, mean_b, mean_a, change, ci, coverage)  # type: ignore[arg-type]


_DRAWS_CACHE_MAX_CELLS = BOOTSTRAP_RESAMPLES * 200
_CHUNK_CELLS = 12_000  # 96 kB of float64 per chunk: below malloc's mmap threshold, so no fresh pages per call


def _resampled_means(values: np.ndarray, draws: np.ndarray) -> np.ndarray:
    """``values[draws].mean(axis=1)``, row for row the same figures, a few hundred rows at a time: one
    (resamples x days) temporary is a fresh megabyte per call, and faulting its pages in cost more than the
    arithmetic."""
    out = np.empty(len(draws))
    step = max(1, _CHUNK_CELLS // max(draws.shape[1], 1))
    for i in range(0, len(draws), step):
        out[i:i + step] = values.take(draws[i:i + step]).mean(axis=1)
    return out


@functools.lru_cache(maxsize=4)
def _cached_draws(seed: int, resamples: int, n_before: int, n_after: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    draw_b = rng.integers(0, n_before, size=(resamples, n_before))
    draw_a = rng.integers(0, n_after, size=(resamples, n_after))
    draw_b.flags.writeable = False
    draw_a.flags.writeable = False
    return draw_b, draw_a


def _bootstrap_draws(seed: int, resamples: int, n_before: int, n_after: int) -> tuple[np.ndarray, np.ndarray]:
    """The resampled day indices of both windows: the seeded generator's draws depend only on the seed and the
    window sizes, so they are drawn once per size and reused (the same draws, hence the same figures; every
    comparison of an exec's report has the same two sizes, and drawing cost more than the rest of it)."""
    if resamples * (n_before + n_after) > _DRAWS_CACHE_MAX_CELLS:  # long windows: a few MB each, not kept
        return _cached_draws.__wrapped__(seed, resamples, n_before, n_after)
    return _cached_draws(seed, resamples, n_before, n_after)


def windows(join: dt.date, days: int) -> tuple[tuple[dt.date, dt.date], tuple[dt.date, dt.date]]:
    """(before, after) as inclusive date ranges: N days ending the day before joining; N days from joining."""
    span = dt.timedelta(days=days - 1)
    return (join - dt.timedelta(days=days), join - dt.timedelta(days=1)), (join, join + span)


def _series_span(join: dt.date, days: int, *, adjusted: bool) -> tuple[dt.date, dt.date]:
    """The days a comparison reads: both windows, and the placebo check's history before them if adjusted."""
    (b0, _b1), (_a0, a1) = windows(join, days)
    return (impact_adjusted.history_start(join, days) if adjusted else b0), a1


def _read(ws: Workspace, exec_id: int | None, names: Sequence[str], join: dt.date, days: int, *,
          adjusted: bool) -> dict[str, dict[dt.date, float]]:
    first, last = _series_span(join, days, adjusted=adjusted)
    return metrics_service.daily_series_by_metric(ws, exec_id=exec_id, metrics=names, start=first, end=last)


def _impact_for(ws: Workspace, exec_id: int | None, metric: str, join: dt.date, days: int, *,
                me: impact_adjusted.JoinDate | None = None,
                joins: Sequence[impact_adjusted.JoinDate] = (),
                series: Mapping[dt.date, float] | None = None) -> MetricImpact:
    (b0, b1), (a0, a1) = windows(join, days)
    if series is None:
        first, _last = _series_span(join, days, adjusted=me is not None)
        series = metrics_service.daily_series(ws, exec_id=exec_id, metric=metric, start=first, end=a1)
    before = [v for d, v in series.items() if b0 <= d <= b1]
    after = [v for d, v in series.items() if a0 <= d <= a1]
    raw = compare_windows(metric, before, after, days)
    if me is None:
        return raw
    adjusted = impact_adjusted.adjusted_effect(metric, series, me=me, days=days, joins=joins, raw=raw.change_pct,
                                               placebos=exec_id is None)
    return replace(raw, adjusted=adjusted)


def exec_impact(ws: Workspace, *, exec_id: int, days: int | None = None) -> ImpactReport:
    """The before/after report for one exec around their network join date."""
    days = int(days if days is not None else settings.get(ws, WINDOW_DAYS))
    if not 1 <= days <= MAX_DAYS:
        raise ValidationError("days", f"The window must be between 1 and {MAX_DAYS} days.")
    with ws.session() as s:  # the name and join date only (get_exec's supporters and actions cost 3 queries)
        ex = s.execute(select(Exec.id, Exec.name, Exec.joined_network.label("joined"))
                       .where(Exec.id == exec_id)).first()
    if ex is None:
        raise ValidationError("exec", "That executive no longer exists.")
    if ex.joined is None:
        raise ValidationError("joined", f"{ex.name} has no network join date yet: set it on their page first.")
    join = ex.joined
    network_names = [m for m in metrics_service.available_metrics(ws, exec_id=None) if m in NETWORK_METRICS]
    own_names = [m for m in metrics_service.available_metrics(ws, exec_id=exec_id) if m in EXEC_METRICS]
    me = impact_adjusted.JoinDate(ex.id, ex.name, join)
    joins = impact_adjusted.join_dates(ws)
    # One query per group of series (the network's, the exec's own, the network's a year earlier).
    net_series = _read(ws, None, network_names, join, days, adjusted=True)
    own_series = _read(ws, exec_id, own_names, join, days, adjusted=True)
    earlier_series = _read(ws, None, network_names, join - YEAR, days, adjusted=False)
    network = {m: _impact_for(ws, None, m, join, days, me=me, joins=joins, series=net_series[m])
               for m in network_names}
    # The exec's own activity has no other execs' joins in it: no joint steps for it.
    own = {m: _impact_for(ws, exec_id, m, join, days, me=me, series=own_series[m]) for m in own_names}
    earlier = {m: _impact_for(ws, None, m, join - YEAR, days, series=earlier_series[m]) for m in network_names}
    year_earlier = earlier if earlier and any(min(i.coverage) > 0 for i in earlier.values()) else None
    warnings: list[str] = []
    if not network_names:
        warnings.append("There are no network figures yet: import an export or type figures in.")
    for label, group in (("Network", network), (ex.name, own)):
        for m in group.values():
            for side, frac in zip(("before", "from"), m.coverage, strict=True):
                # An exec usually has no figures before joining: that is the point, not a gap to flag.
                if frac < COVERAGE_WARNING and not (group is own and side == "before"):
                    warnings.append(f"{label} {m.metric.replace('_', ' ')}: only {round(frac * days)} of the {days} "
                                    f"days {side} the join date have figures.")
    return ImpactReport(ex.id, ex.name, join, days, network, own, year_earlier, tuple(warnings))


def adjusted_sentences(report: ImpactReport, label: Callable[[str], str] | None = None) -> tuple[str, ...]:
    """One plain sentence per network metric on the adjusted effect of joining, for reports and pages."""
    name = label or (lambda m: m.replace("_", " ").capitalize())
    return tuple(m.adjusted.sentence(name(m.metric)) for m in report.network.values() if m.adjusted is not None)


def adjusted_notes(report: ImpactReport) -> tuple[str, ...]:
    """The notes that qualify the network's adjusted effects, once each (reasons are in the sentences)."""
    out: list[str] = []
    for m in report.network.values():
        if m.adjusted is None:
            continue
        for note in m.adjusted.notes[0 if m.adjusted.effect_pct is not None else 1:]:
            if note not in out:
                out.append(note)
    return tuple(out)
