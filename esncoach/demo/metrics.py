"""A year of daily network figures in which joining execs visibly lift the curves, plus per-exec activity."""

from __future__ import annotations

import datetime as dt
import math

from sqlalchemy import select
from sqlalchemy.orm import Session

from esncoach.demo import DemoContext
from esncoach.models import Exec, ImportBatch, MetricSample

NETWORK_DAYS = 365
BASE = {"messages": 220.0, "replies": 410.0, "likes": 930.0, "reads": 5200.0}
LIFT = {"messages": 0.05, "replies": 0.06, "likes": 0.09, "reads": 0.03}


def build(s: Session, ctx: DemoContext) -> None:
    batch = ImportBatch(source="demo", file_name="demo workspace", period_start=ctx.today - dt.timedelta(days=NETWORK_DAYS),
                        period_end=ctx.today - dt.timedelta(days=1))
    s.add(batch)
    s.flush()
    execs = list(s.scalars(select(Exec).order_by(Exec.id)))
    joins = sorted(e.joined_network for e in execs if e.joined_network)
    rows = []
    for offset in range(NETWORK_DAYS, 0, -1):
        day = ctx.today - dt.timedelta(days=offset)
        joined_before = sum(1 for j in joins if j <= day)
        weekday = 0.35 if day.weekday() >= 5 else 1.0
        season = 1.0 + 0.08 * math.sin(2 * math.pi * day.timetuple().tm_yday / 365)
        for metric, base in BASE.items():
            value = base * weekday * season * (1 + LIFT[metric] * joined_before) * ctx.rng.uniform(0.9, 1.1)
            rows.append(MetricSample(metric=metric, period_start=day, period_end=day, value=round(value),
                                     source="demo", batch_id=batch.id))
    for ex in execs:
        if not ex.joined_network:
            continue
        weeks = (ctx.today - ex.joined_network).days // 7
        for w in range(weeks):
            start = ex.joined_network + dt.timedelta(days=7 * w)
            ramp = min(1.0, (w + 1) / 8) * (1 + ex.stage.rank)
            for metric, scale in (("messages", 0.6), ("replies", 1.2), ("likes", 3.0), ("replies_received", 2.5)):
                rows.append(MetricSample(exec_id=ex.id, metric=metric, period_start=start,
                                         period_end=start + dt.timedelta(days=6),
                                         value=round(scale * ramp * ctx.rng.uniform(0.5, 1.5)), source="demo",
                                         batch_id=batch.id))
    s.add_all(rows)
    batch.rows_imported = len(rows)
