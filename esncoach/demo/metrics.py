"""Daily network figures over a year and a half in which joining execs visibly lift the curves, plus
weekly per-exec activity.

The CEO's arrival lifts the network by the figures one vendor reported for its customers (+27.93%
messages, +28.37% replies, +49.60% likes), so the impact view shows the story the programme promises;
other execs add smaller lifts that grow with how far up the ladder they have climbed. The history goes
back far enough for the "same window a year earlier" comparison to have data.
"""

from __future__ import annotations

import datetime as dt
import math

from sqlalchemy import select
from sqlalchemy.orm import Session

from esncoach.demo import DemoContext
from esncoach.models import Exec, ImportBatch, MetricSample

NETWORK_DAYS = 570
BASE = {"messages": 220.0, "replies": 410.0, "likes": 930.0, "reads": 5200.0}
CEO_LIFT = {"messages": 0.2793, "replies": 0.2837, "likes": 0.4960, "reads": 0.15}
EXEC_LIFT_SHAPE = {"messages": 1.0, "replies": 1.0, "likes": 1.6, "reads": 0.5}
RAMP_DAYS = 7
EXEC_SHAPES = (
    (1.2, 0.4, 3.0, 3.5),  # posts that draw many responses (a Catalyst once past the first weeks)
    (1.4, 1.1, 3.0, 1.5),  # mostly replies (a Responder)
    (1.0, 0.1, 0.5, 0.8),  # posts, rarely replies (a Broadcaster)
    (1.2, 0.5, 2.0, 1.2),  # balanced (an Engager)
)
"""Weekly messages, replies (part of the messages), likes given and replies received per unit of ramp."""
NOISE = 0.07


def _lifts(ex: Exec) -> dict[str, float]:
    if "chief executive" in ex.title.lower():
        return CEO_LIFT
    scale = 0.02 + 0.012 * ex.stage.rank
    return {m: scale * shape for m, shape in EXEC_LIFT_SHAPE.items()}


def build(s: Session, ctx: DemoContext) -> None:
    first = ctx.today - dt.timedelta(days=NETWORK_DAYS)
    batch = ImportBatch(source="demo", file_name="demo workspace", period_start=first,
                        period_end=ctx.today - dt.timedelta(days=1))
    s.add(batch)
    s.flush()
    execs = list(s.scalars(select(Exec).order_by(Exec.id)))
    joined = [(e.joined_network, _lifts(e)) for e in execs if e.joined_network]
    rows = []
    for offset in range(NETWORK_DAYS, 0, -1):
        day = ctx.today - dt.timedelta(days=offset)
        weekday = 0.35 if day.weekday() >= 5 else 1.0
        season = 1.0 + 0.04 * math.sin(2 * math.pi * day.timetuple().tm_yday / 365)
        for metric, base in BASE.items():
            lift = 1.0
            for join, lifts in joined:
                if join <= day:
                    lift *= 1 + lifts[metric] * min(1.0, ((day - join).days + 1) / RAMP_DAYS)
            value = base * weekday * season * lift * ctx.rng.uniform(1 - NOISE, 1 + NOISE)
            rows.append(MetricSample(metric=metric, period_start=day, period_end=day, value=round(value),
                                     source="demo", batch_id=batch.id))
    for n, ex in enumerate(execs):
        if not ex.joined_network:
            continue
        weeks = (ctx.today - ex.joined_network).days // 7
        shape = EXEC_SHAPES[n % len(EXEC_SHAPES)]
        for w in range(weeks):
            start = ex.joined_network + dt.timedelta(days=7 * w)
            ramp = min(1.0, (w + 1) / 8) * (1 + ex.stage.rank)
            for metric, scale in zip(("messages", "replies", "likes", "replies_received"), shape, strict=True):
                rows.append(MetricSample(exec_id=ex.id, metric=metric, period_start=start,
                                         period_end=start + dt.timedelta(days=6),
                                         value=round(scale * ramp * ctx.rng.uniform(0.5, 1.5)), source="demo",
                                         batch_id=batch.id))
    s.add_all(rows)
    batch.rows_imported = len(rows)
