"""Data guards in front of the adjusted impact estimate: what counts as a day of data, and when to refuse.

Exports are messy. A day with no row is missing, never zero. A run of zeros inside a series that is
otherwise well above zero is almost always an export that wrote gaps as zeros, so those days are treated
as missing too, with a note. The estimate is refused, with one sentence saying why, when there are fewer
than ``MIN_DAYS_BEFORE`` days with figures before the join date, fewer than ``MIN_DAYS_AFTER`` after the
settling-in week that follows it (see ``impact_model``),
or too few events for a count model to say anything (``MIN_EVENTS`` on each side).
Qt-free and statsmodels-free: plain numpy over day offsets from the join date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

MIN_DAYS_BEFORE = 14
MIN_DAYS_AFTER = 7
SETTLE_DAYS = 7  # the same settling-in week as impact_model.SETTLE_DAYS
MIN_EVENTS = 30
# A series whose typical day is at least this many events cannot plausibly have a real zero day.
ZERO_AS_MISSING_LEVEL = 10.0
# Below this many events on some day, logs of counts mislead: the Poisson GLM is used instead.
LOG_LINEAR_MIN_COUNT = 5.0


@dataclass(frozen=True)
class PreparedSeries:
    """Days with figures as offsets from the join date (``t``), their weekday and value, plus notes.

    ``reason`` is set (and the arrays may be empty) when no adjusted estimate should be made.
    """

    t: np.ndarray
    dow: np.ndarray
    y: np.ndarray
    notes: tuple[str, ...]
    reason: str | None = None

    @property
    def low_counts(self) -> bool:
        """Some day has so few events that a log-linear model would mislead."""
        return bool(len(self.y)) and float(self.y.min()) < LOG_LINEAR_MIN_COUNT


def _label(metric: str) -> str:
    return metric.replace("_", " ")


def zero_runs_as_missing(values: Mapping[dt.date, float]) -> tuple[dict[dt.date, float], int, float]:
    """Drop zero days from a series whose median non-missing day is well above zero.

    Returns the cleaned series, how many days were dropped and the median used.
    """
    if not values:
        return dict(values), 0, 0.0
    median = float(np.median(np.fromiter(values.values(), dtype=float)))
    if median < ZERO_AS_MISSING_LEVEL:
        return dict(values), 0, median
    kept = {d: v for d, v in values.items() if v != 0}
    return kept, len(values) - len(kept), median


@dataclass(frozen=True)
class DayValues:
    """A daily series as arrays, in the mapping's order: day ordinals and values (as ``float(v)``).

    The placebo check prepares twenty windows of one series; converting it once saves doing so each time.
    """

    ordinals: np.ndarray
    values: np.ndarray

    @classmethod
    def of(cls, values: Mapping[dt.date, float]) -> DayValues:
        n = len(values)
        return cls(np.fromiter((d.toordinal() for d in values), dtype=np.int64, count=n),
                   np.fromiter((float(v) for v in values.values()), dtype=float, count=n))


def prepare(metric: str, values: Mapping[dt.date, float] | DayValues, join: dt.date, start: dt.date, end: dt.date,
            *, days: int) -> PreparedSeries:
    """Turn a daily series (missing days absent) over [start, end] into model input, or a reason not to.

    Array arithmetic on the days in the mapping's order, the same rules as ``zero_runs_as_missing``; the
    event counts are summed in that order, as plain Python floats, so a count at a threshold stays put.
    """
    series = values if isinstance(values, DayValues) else DayValues.of(values)
    first, last, joined = start.toordinal(), end.toordinal(), join.toordinal()
    inside = (series.ordinals >= first) & (series.ordinals <= last)
    days_in, vals = series.ordinals[inside], series.values[inside]
    notes: list[str] = []
    dropped, median = 0, 0.0
    if len(vals):
        median = float(np.median(vals))
        if not median < ZERO_AS_MISSING_LEVEL:
            nonzero = vals != 0
            dropped = int(len(vals) - nonzero.sum())
            days_in, vals = days_in[nonzero], vals[nonzero]
    if dropped:
        notes.append(f"{dropped} day{'s' if dropped != 1 else ''} with 0 {_label(metric)} in a series that is "
                     f"otherwise around {median:,.0f} a day {'were' if dropped != 1 else 'was'} treated as missing "
                     "(an export that wrote gaps as zeros?).")
    is_before = days_in < joined
    before = int(is_before.sum())
    after = int((days_in - joined >= SETTLE_DAYS).sum())
    empty = np.zeros(0)
    if before < MIN_DAYS_BEFORE:
        return PreparedSeries(empty, empty, empty, tuple(notes), (
            f"No adjusted estimate: only {before} day{'s' if before != 1 else ''} with figures before the join "
            f"date; at least {MIN_DAYS_BEFORE} are needed to see the trend and the weekly pattern."))
    if after < MIN_DAYS_AFTER:
        return PreparedSeries(empty, empty, empty, tuple(notes), (
            f"No adjusted estimate: only {after} day{'s' if after != 1 else ''} with figures after the first week "
            f"from the join date; at least {MIN_DAYS_AFTER} are needed."))
    ev_before = sum(vals[is_before].tolist())
    ev_after = sum(vals[~is_before].tolist())
    if min(ev_before, ev_after) < MIN_EVENTS:
        return PreparedSeries(empty, empty, empty, tuple(notes), (
            f"Too few events to estimate: {ev_before:,.0f} {_label(metric)} before the join date and "
            f"{ev_after:,.0f} from it (at least {MIN_EVENTS} on each side are needed)."))
    if (vals < 0).any():
        return PreparedSeries(empty, empty, empty, tuple(notes), "No adjusted estimate: the series has negative figures.")
    order = np.argsort(days_in, kind="stable")  # the days are distinct
    days_sorted = days_in[order]
    t = (days_sorted - joined).astype(float)
    dow = (days_sorted - 1) % 7  # ordinal 1 (1 January of year 1) was a Monday
    y = vals[order]
    span = (end - start).days + 1
    if len(y) < 0.8 * min(span, 2 * days):
        notes.append(f"Only {len(y)} of the {min(span, 2 * days)} days have figures; the estimate treats the "
                     "others as missing.")
    return PreparedSeries(t, dow, y, tuple(notes))
