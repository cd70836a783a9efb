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


def prepare(metric: str, values: Mapping[dt.date, float], join: dt.date, start: dt.date, end: dt.date,
            *, days: int) -> PreparedSeries:
    """Turn a daily series (missing days absent) over [start, end] into model input, or a reason not to."""
    window = {d: float(v) for d, v in values.items() if start <= d <= end}
    notes: list[str] = []
    cleaned, dropped, median = zero_runs_as_missing(window)
    if dropped:
        notes.append(f"{dropped} day{'s' if dropped != 1 else ''} with 0 {_label(metric)} in a series that is "
                     f"otherwise around {median:,.0f} a day {'were' if dropped != 1 else 'was'} treated as missing "
                     "(an export that wrote gaps as zeros?).")
    before = sum(1 for d in cleaned if d < join)
    after = sum(1 for d in cleaned if (d - join).days >= SETTLE_DAYS)
    empty = np.zeros(0)
    if before < MIN_DAYS_BEFORE:
        return PreparedSeries(empty, empty, empty, tuple(notes), (
            f"No adjusted estimate: only {before} day{'s' if before != 1 else ''} with figures before the join "
            f"date; at least {MIN_DAYS_BEFORE} are needed to see the trend and the weekly pattern."))
    if after < MIN_DAYS_AFTER:
        return PreparedSeries(empty, empty, empty, tuple(notes), (
            f"No adjusted estimate: only {after} day{'s' if after != 1 else ''} with figures after the first week "
            f"from the join date; at least {MIN_DAYS_AFTER} are needed."))
    ev_before = sum(v for d, v in cleaned.items() if d < join)
    ev_after = sum(v for d, v in cleaned.items() if d >= join)
    if min(ev_before, ev_after) < MIN_EVENTS:
        return PreparedSeries(empty, empty, empty, tuple(notes), (
            f"Too few events to estimate: {ev_before:,.0f} {_label(metric)} before the join date and "
            f"{ev_after:,.0f} from it (at least {MIN_EVENTS} on each side are needed)."))
    if any(v < 0 for v in cleaned.values()):
        return PreparedSeries(empty, empty, empty, tuple(notes), "No adjusted estimate: the series has negative figures.")
    days_sorted = sorted(cleaned)
    t = np.array([(d - join).days for d in days_sorted], dtype=float)
    dow = np.array([d.weekday() for d in days_sorted], dtype=int)
    y = np.array([cleaned[d] for d in days_sorted], dtype=float)
    span = (end - start).days + 1
    if len(y) < 0.8 * min(span, 2 * days):
        notes.append(f"Only {len(y)} of the {min(span, 2 * days)} days have figures; the estimate treats the "
                     "others as missing.")
    return PreparedSeries(t, dow, y, tuple(notes))
