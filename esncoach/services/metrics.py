"""Engagement figures: storing a batch (replacing what it overlaps), manual entry, and daily series.

A figure covers one day (``period_start == period_end``) or a longer period (a week typed by hand, a
30-day report). A new batch replaces, for each series it brings (an exec or the network, one metric,
daily or period figures), the stored figures of that series whose period overlaps the new ones, and a
re-import of the same file replaces its earlier batch whole: importing twice never double counts.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, delete, func, insert, or_, select
from sqlalchemy.orm import Session

from esncoach.models import Exec, ImportBatch, Metric, MetricSample
from esncoach.services.progress import ProgressSink, no_progress
from esncoach.store.errors import ValidationError
from esncoach.store.workspace import Workspace

MANUAL_SOURCE = "manual"
INSERT_CHUNK = 5_000
SPANS_PER_DELETE = 200
"""Series whose overlapped figures one DELETE removes (a statement stays a reasonable size)."""
MANUAL_METRICS: tuple[str, ...] = tuple(m.value for m in Metric)
MAX_MANUAL_VALUE = 1e9

SeriesKey = tuple[int | None, str, dt.date, dt.date]
"""(exec_id or None for the network, metric, period start, period end)."""


@dataclass(frozen=True)
class StoreOutcome:
    """What storing a batch did: figures written, figures and whole batches it replaced."""

    batch_id: int
    samples_written: int
    samples_replaced: int
    batches_replaced: int


def store_batch(
    s: Session,
    *,
    source: str,
    file_name: str,
    file_sha256: str,
    samples: Mapping[SeriesKey, float],
    rows_imported: int,
    rows_rejected: int,
    progress: ProgressSink = no_progress,
) -> StoreOutcome:
    """Record a batch and its figures inside the caller's transaction, replacing what they overlap."""
    starts = [k[2] for k in samples]
    ends = [k[3] for k in samples]
    batch = ImportBatch(source=source, file_name=file_name[:500], file_sha256=file_sha256,
                        period_start=min(starts) if starts else None, period_end=max(ends) if ends else None,
                        rows_imported=rows_imported, rows_rejected=rows_rejected)
    s.add(batch)
    s.flush()
    replaced = 0
    touched: set[int] = set()
    if file_sha256:
        same_file = list(s.scalars(select(ImportBatch.id).where(ImportBatch.file_sha256 == file_sha256,
                                                                ImportBatch.id != batch.id)))
        if same_file:
            replaced += s.execute(delete(MetricSample).where(MetricSample.batch_id.in_(same_file))).rowcount or 0
            touched.update(same_file)
    replaced += _replace_overlaps(s, batch.id, samples.keys(), touched)
    table = MetricSample.__table__
    rows = [{"exec_id": k[0], "metric": k[1], "period_start": k[2], "period_end": k[3], "value": float(v),
             "source": source, "batch_id": batch.id} for k, v in samples.items()]
    for i in range(0, len(rows), INSERT_CHUNK):
        progress(i, len(rows), "Saving figures…")
        s.execute(insert(table), rows[i: i + INSERT_CHUNK])
    progress(len(rows), len(rows), "Saving figures…")
    emptied = 0
    if touched:
        still_used = set(s.scalars(select(MetricSample.batch_id).where(MetricSample.batch_id.in_(touched)).distinct()))
        gone = [b for b in touched if b not in still_used]
        if gone:
            emptied = s.execute(delete(ImportBatch).where(ImportBatch.id.in_(gone))).rowcount or 0
    return StoreOutcome(batch.id, len(rows), replaced, emptied)


def _replace_overlaps(s: Session, batch_id: int, keys: Iterable[SeriesKey], touched: set[int]) -> int:
    """Delete stored figures of the same series (and granularity) overlapping the new figures' span.

    One DELETE … RETURNING batch_id per SPANS_PER_DELETE series (their conditions ORed; each is served by
    the series index): on a team server every statement is a round trip, and a small import of a few execs'
    figures had one SELECT and one DELETE per series (24 of its 43 statements).
    """
    spans: dict[tuple[int | None, str, bool], list[dt.date]] = {}
    for exec_id, metric, start, end in keys:
        span = spans.setdefault((exec_id, metric, start == end), [start, end])
        span[0], span[1] = min(span[0], start), max(span[1], end)
    overlaps = [and_(
        MetricSample.metric == metric,
        MetricSample.exec_id.is_(None) if exec_id is None else MetricSample.exec_id == exec_id,
        MetricSample.period_start <= hi,
        MetricSample.period_end >= lo,
        (MetricSample.period_start == MetricSample.period_end) if daily
        else (MetricSample.period_start != MetricSample.period_end),
    ) for (exec_id, metric, daily), (lo, hi) in spans.items()]
    replaced = 0
    for i in range(0, len(overlaps), SPANS_PER_DELETE):
        gone = s.execute(
            delete(MetricSample.__table__)
            .where(or_(*overlaps[i: i + SPANS_PER_DELETE]),
                   or_(MetricSample.batch_id.is_(None), MetricSample.batch_id != batch_id))
            .returning(MetricSample.batch_id)
        ).scalars().all()
        touched.update(b for b in gone if b is not None)
        replaced += len(gone)
    return replaced


# -- manual entry ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class ManualPeriod:
    """Figures typed for one period (a week or a month); None removes a figure typed there before."""

    start: dt.date
    end: dt.date
    values: Mapping[str, float | None]


def save_manual_figures(ws: Workspace, *, exec_id: int | None, periods: Iterable[ManualPeriod]) -> StoreOutcome | None:
    """Store hand-typed figures for an exec (or the network, ``exec_id=None``) as one manual batch."""
    samples: dict[SeriesKey, float] = {}
    cleared: list[SeriesKey] = []
    for p in periods:
        if p.end < p.start:
            raise ValidationError("period", f"The period {p.start.isoformat()} – {p.end.isoformat()} ends before it starts.")
        for metric, value in p.values.items():
            if metric not in MANUAL_METRICS:
                raise ValidationError("metric", f"“{metric}” is not a figure esncoach knows.")
            if value is None:
                cleared.append((exec_id, metric, p.start, p.end))
                continue
            if not 0 <= value <= MAX_MANUAL_VALUE:
                raise ValidationError(metric, f"{metric.replace('_', ' ').capitalize()} must be between 0 and "
                                              f"{MAX_MANUAL_VALUE:,.0f}.")
            if metric == Metric.ACTIVE_DAYS.value and exec_id is not None and value > (p.end - p.start).days + 1:
                raise ValidationError(metric, "Active days cannot exceed the days in the period.")
            samples[(exec_id, metric, p.start, p.end)] = float(value)
    with ws.session() as s:
        if exec_id is not None and s.get(Exec, exec_id) is None:
            raise ValidationError("exec", "That executive no longer exists.")
        for ex_id, metric, start, end in cleared:  # an emptied cell removes what was typed there before
            s.execute(delete(MetricSample).where(
                MetricSample.source == MANUAL_SOURCE, _exec_is(ex_id), MetricSample.metric == metric,
                MetricSample.period_start == start, MetricSample.period_end == end))
        if not samples:
            return None
        return store_batch(s, source=MANUAL_SOURCE, file_name="typed by hand", file_sha256="", samples=samples,
                           rows_imported=len(samples), rows_rejected=0)


def manual_figures(ws: Workspace, *, exec_id: int | None, start: dt.date, end: dt.date) -> dict[tuple[dt.date, dt.date], dict[str, float]]:
    """Hand-typed figures already stored for periods within [start, end], to pre-fill the grid."""
    with ws.session() as s:
        rows = s.execute(
            select(MetricSample.period_start, MetricSample.period_end, MetricSample.metric, MetricSample.value)
            .where(MetricSample.source == MANUAL_SOURCE, _exec_is(exec_id),
                   MetricSample.period_start >= start, MetricSample.period_end <= end)
        ).all()
    out: dict[tuple[dt.date, dt.date], dict[str, float]] = defaultdict(dict)
    for ps, pe, metric, value in rows:
        out[(ps, pe)][metric] = value
    return dict(out)


# -- reading figures back -------------------------------------------------------------------------

def _exec_is(exec_id: int | None):  # noqa: ANN202 - a SQL expression
    return MetricSample.exec_id.is_(None) if exec_id is None else MetricSample.exec_id == exec_id


def daily_series(ws: Workspace, *, exec_id: int | None, metric: str, start: dt.date, end: dt.date) -> dict[dt.date, float]:
    """Per-day values of one series within [start, end]; a day missing from the dict has no data.

    Daily figures are used as they are; a figure over a longer period is spread evenly over its days,
    and only fills days that have no daily figure.
    """
    with ws.session() as s:
        rows = s.execute(
            select(MetricSample.period_start, MetricSample.period_end, MetricSample.value)
            .where(MetricSample.metric == metric, _exec_is(exec_id),
                   MetricSample.period_start <= end, MetricSample.period_end >= start)
        ).all()
    return _per_day(rows, start, end)


def daily_series_by_metric(ws: Workspace, *, exec_id: int | None, metrics: Sequence[str], start: dt.date,
                           end: dt.date) -> dict[str, dict[dt.date, float]]:
    """``daily_series`` for several metrics of one exec (or the network) in one query: the same dicts."""
    by_metric: dict[str, list[tuple[dt.date, dt.date, float]]] = {m: [] for m in metrics}
    if metrics:
        with ws.session() as s:
            rows = s.execute(
                select(MetricSample.metric, MetricSample.period_start, MetricSample.period_end, MetricSample.value)
                .where(MetricSample.metric.in_(list(metrics)), _exec_is(exec_id),
                       MetricSample.period_start <= end, MetricSample.period_end >= start)
            ).all()
        for metric, ps, pe, value in rows:
            by_metric[metric].append((ps, pe, value))
    return {m: _per_day(r, start, end) for m, r in by_metric.items()}


def _per_day(rows: Iterable[Any], start: dt.date, end: dt.date) -> dict[dt.date, float]:
    daily: dict[dt.date, float] = defaultdict(float)
    spread: dict[dt.date, float] = defaultdict(float)
    for ps, pe, value in rows:
        if ps == pe:
            daily[ps] += value
            continue
        n = (pe - ps).days + 1
        day = max(ps, start)
        while day <= min(pe, end):
            spread[day] += value / n
            day += dt.timedelta(days=1)
    out = {d: v for d, v in spread.items() if start <= d <= end}
    out.update({d: v for d, v in daily.items() if start <= d <= end})
    return out


def available_metrics(ws: Workspace, *, exec_id: int | None) -> list[str]:
    """The metric names stored for an exec (or the network), in ``Metric`` order then alphabetical."""
    with ws.session() as s:
        names = set(s.scalars(select(MetricSample.metric).where(_exec_is(exec_id)).distinct()))
    order = [m.value for m in Metric]
    return sorted(names, key=lambda n: (order.index(n) if n in order else len(order), n))


def data_span(ws: Workspace, *, exec_id: int | None = None) -> tuple[dt.date, dt.date] | None:
    """First and last day with any figure for an exec (or the network)."""
    with ws.session() as s:
        lo, hi = s.execute(select(func.min(MetricSample.period_start), func.max(MetricSample.period_end))
                           .where(_exec_is(exec_id))).one()
    return (lo, hi) if lo else None


@dataclass(frozen=True)
class BatchRow:
    """One import (or manual entry) as the data page lists it."""

    id: int
    source: str
    file_name: str
    imported_at: dt.datetime
    period_start: dt.date | None
    period_end: dt.date | None
    rows_imported: int
    rows_rejected: int
    samples: int


def list_batches(ws: Workspace) -> list[BatchRow]:
    """Every import batch, newest first, with how many figures it still holds."""
    with ws.session() as s:
        counts = dict(s.execute(select(MetricSample.batch_id, func.count()).group_by(MetricSample.batch_id)).all())
        return [BatchRow(b.id, b.source, b.file_name, b.imported_at, b.period_start, b.period_end,
                         b.rows_imported, b.rows_rejected, counts.get(b.id, 0))
                for b in s.scalars(select(ImportBatch).order_by(ImportBatch.imported_at.desc(), ImportBatch.id.desc()))]


def delete_batch(ws: Workspace, *, batch_id: int) -> None:
    """Remove an import and every figure it brought."""
    with ws.session() as s:
        batch = s.get(ImportBatch, batch_id)
        if batch is None:
            raise ValidationError("batch", "That import no longer exists.")
        s.execute(delete(MetricSample).where(MetricSample.batch_id == batch_id))
        s.delete(batch)
