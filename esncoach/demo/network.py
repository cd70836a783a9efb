"""What a Messages.csv-level import would have left in the demo: network distributions, asks to each exec,
delegated posts, and a listening brief (terms per day and busy threads), so the Leadership tab, the
reports and ``esncoach leaders`` / ``listening`` show real content on first run.

Nothing here names anyone but the roster's execs: distributions are histograms of made-up people,
asks and threads are links.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter

from sqlalchemy import select
from sqlalchemy.orm import Session

from esncoach.demo import DemoContext
from esncoach.models import Exec, ImportBatch, MetricSample
from esncoach.models.network import LeaderAsk, ListeningTerm, ListeningThread, NetworkDistribution
from esncoach.services.leaders_percentile import Sketch

MONTHS = 12
PEOPLE = 2400
LISTENING_DAYS = 90
LINK = "https://www.yammer.com/api/v1/messages/{}"
DELEGATED = (0.45, 0.1, 0.25, 0.0, 0.3, 0.05)
"""Share of each exec's network posts a delegate writes, by roster order."""
VOCABULARY = ("customer", "team", "plan", "quarter", "launch", "training", "feedback", "wellbeing", "security",
              "travel", "hiring", "roadmap", "support", "survey", "strategy", "learning", "partner", "release",
              "sales update", "team offsite", "customer feedback", "quarterly results", "product launch")
RISING = (("hybrid office", 9.0), ("pay review", 6.0), ("new canteen", 4.0), ("quiet rooms", 3.0))
THREADS = (
    ("All Company", "Hybrid office: what would you change?"), ("People & Culture", "Pay review timeline"),
    ("Facilities", "New canteen menu vote"), ("Engineering", "Release train for the spring launch"),
    ("Sales", "Quarterly results: questions for the leadership team"), ("All Company", "Volunteering day photos"),
    ("Facilities", "Quiet rooms on every floor?"), ("Customer Success", "Customer feedback from the roadshow"),
)


def build(s: Session, ctx: DemoContext) -> None:
    """Add the Messages.csv-level history (run after ``metrics``, whose exec figures it reads)."""
    end = ctx.today - dt.timedelta(days=1)
    first = (end.replace(day=1) - dt.timedelta(days=31 * (MONTHS - 1))).replace(day=1)
    batch = ImportBatch(source="demo", file_name="demo network export (Messages.csv)", period_start=first,
                        period_end=end)
    s.add(batch)
    s.flush()
    execs = list(s.scalars(select(Exec).where(Exec.joined_network.is_not(None)).order_by(Exec.id)))
    _distributions(s, ctx, batch.id, first, end)
    _delegated(s, batch.id, execs)
    _asks(s, ctx, batch.id, execs, end)
    _listening(s, ctx, batch.id, execs, end)


def _distributions(s: Session, ctx: DemoContext, batch_id: int, first: dt.date, end: dt.date) -> None:
    month = first
    while month <= end:
        last = (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        for metric, scale in (("messages", 1.0), ("replies", 0.6)):
            sketch = Sketch()
            for _ in range(PEOPLE):
                sketch.add(1 + int(scale * (ctx.rng.paretovariate(1.3) - 1) * 2))  # everyone counted posted
            s.add(NetworkDistribution(batch_id=batch_id, source="demo", metric=metric, period_start=month,
                                      period_end=last, people=sketch.people, sketch_json=sketch.to_json()))
        month = last + dt.timedelta(days=1)


def _delegated(s: Session, batch_id: int, execs: list[Exec]) -> None:
    for n, ex in enumerate(execs):
        share = DELEGATED[n % len(DELEGATED)]
        rows = s.execute(select(MetricSample.period_start, MetricSample.period_end, MetricSample.value).where(
            MetricSample.exec_id == ex.id, MetricSample.metric == "messages", MetricSample.source == "demo")).all()
        s.add_all(MetricSample(exec_id=ex.id, metric="delegated_messages", period_start=lo, period_end=hi,
                               value=round(value * share), source="demo", batch_id=batch_id) for lo, hi, value in rows)


def _asks(s: Session, ctx: DemoContext, batch_id: int, execs: list[Exec], end: dt.date) -> None:
    msg = 880_000
    for ex in execs:
        answer_rate = 0.35 + 0.1 * ex.stage.rank
        for _ in range(6 + 2 * ex.stage.rank):
            msg += ctx.rng.randint(3, 400)
            asked = dt.datetime.combine(end - dt.timedelta(days=ctx.rng.randint(0, 75)),
                                        dt.time(ctx.rng.randint(7, 18), ctx.rng.choice((0, 15, 30, 45))))
            answered = (asked + dt.timedelta(hours=round(ctx.rng.lognormvariate(1.8, 0.9), 1))
                        if ctx.rng.random() < answer_rate else None)
            s.add(LeaderAsk(batch_id=batch_id, exec_id=ex.id, thread=LINK.format(msg),
                            kind=ctx.rng.choice(("reply", "reply", "mention")), asked_at=asked, answered_at=answered))


def _listening(s: Session, ctx: DemoContext, batch_id: int, execs: list[Exec], end: dt.date) -> None:
    rows = []
    for back in range(LISTENING_DAYS):
        day = end - dt.timedelta(days=back)
        weekday = 0.4 if day.weekday() >= 5 else 1.0
        counts: Counter = Counter()
        for term in VOCABULARY:
            counts[term] = round(ctx.rng.uniform(2, 9) * weekday)
        for term, lift in RISING:
            counts[term] = round((lift * ctx.rng.uniform(0.7, 1.3) if back < 14 else ctx.rng.uniform(0.3, 1.8)) * weekday)
        rows += [{"batch_id": batch_id, "day": day, "term": t, "count": n} for t, n in counts.items() if n >= 1]
    s.execute(ListeningTerm.__table__.insert(), rows)
    for n, (community, title) in enumerate(THREADS):
        days = {}
        for back in range(ctx.rng.randint(3, 25)):
            day = end - dt.timedelta(days=back)
            days[day.isoformat()] = ctx.rng.randint(1, 9 - n // 2)
        joined = sorted({ex.id for ex in execs if ctx.rng.random() < 0.25})
        s.add(ListeningThread(batch_id=batch_id, thread=LINK.format(900_000 + 37 * n), title=f"{community}: {title}",
                              last_activity=max(dt.date.fromisoformat(d) for d in days),
                              days_json=json.dumps(days, sort_keys=True), joined_json=json.dumps(joined)))

