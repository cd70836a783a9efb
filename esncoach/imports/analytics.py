"""What an import learns about the network besides figures, collected while reading and stored with the batch.

Readers feed a ``NetworkAnalytics`` (``ReadContext.analytics``): per-person values go straight into
histogram sketches (``Sketch``), so no identity outlives the read; community figures, exec asks,
listening terms and thread references are kept as they are. ``store`` writes them in the import's
transaction, replacing what an earlier import said about the same periods.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from esncoach.models.network import (
    TERM_MAX,
    THREAD_MAX,
    TITLE_MAX,
    CommunityFigure,
    LeaderAsk,
    ListeningTerm,
    ListeningThread,
    NetworkDistribution,
)
from esncoach.services.leaders_percentile import Sketch, sketch_bin


@dataclass(frozen=True)
class Ask:
    """A message addressed to an exec (a reply in their thread or an @-mention) and when they answered."""

    exec_id: int
    thread: str
    kind: str
    asked_at: dt.datetime
    answered_at: dt.datetime | None


@dataclass(frozen=True)
class ThreadRef:
    """One of the busiest recent threads: reference, title (never a body), replies per day, execs who joined."""

    thread: str
    title: str
    last_activity: dt.date
    days: dict[str, int]
    joined: tuple[int, ...]


@dataclass
class NetworkAnalytics:
    """Everything an import collects for leader analytics (see the module docstring)."""

    source: str = ""
    sketches: dict[tuple[str, dt.date, dt.date], Sketch] = field(default_factory=dict)
    communities: dict[tuple[str, str, dt.date, dt.date], float] = field(default_factory=dict)
    asks: list[Ask] = field(default_factory=list)
    asks_span: tuple[dt.date, dt.date] | None = None
    terms: dict[dt.date, Counter] = field(default_factory=dict)
    threads: list[ThreadRef] = field(default_factory=list)

    def add_person(self, start: dt.date, end: dt.date, values: dict[str, float]) -> None:
        """One person's totals over a period (from a user-detail report), into the period's sketches."""
        for metric, value in values.items():
            key = (metric, start, end)
            sketch = self.sketches.get(key)
            if sketch is None:
                sketch = self.sketches[key] = Sketch()
            sketch.add(value)

    def add_counts(self, metric: str, start: dt.date, end: dt.date, people: Counter) -> None:
        """Many people's totals of one metric over a period at once: value -> how many people had it."""
        key = (metric, start, end)
        sketch = self.sketches.get(key)
        if sketch is None:
            sketch = self.sketches[key] = Sketch()
        bins = sketch.bins
        for value, count in people.items():
            bins[sketch_bin(value)] += count

    def add_community(self, name: str, start: dt.date, end: dt.date, values: dict[str, float]) -> None:
        """A community's figures over a period."""
        for metric, value in values.items():
            self.communities[(name, metric, start, end)] = value

    @property
    def empty(self) -> bool:
        return not (self.sketches or self.communities or self.asks or self.terms or self.threads)

    def store(self, s: Session, *, batch_id: int) -> None:
        """Write everything collected inside the import's transaction, replacing earlier imports' rows."""
        if self.empty:
            return
        for (metric, start, end), sketch in self.sketches.items():
            s.execute(delete(NetworkDistribution).where(
                NetworkDistribution.metric == metric, NetworkDistribution.period_start == start,
                NetworkDistribution.period_end == end, NetworkDistribution.batch_id != batch_id))
            s.add(NetworkDistribution(batch_id=batch_id, source=self.source, metric=metric, period_start=start,
                                      period_end=end, people=sketch.people, sketch_json=sketch.to_json()))
        for (name, metric, start, end), value in self.communities.items():
            s.execute(delete(CommunityFigure).where(
                CommunityFigure.community == name, CommunityFigure.metric == metric,
                CommunityFigure.period_start == start, CommunityFigure.period_end == end,
                CommunityFigure.batch_id != batch_id))
            s.add(CommunityFigure(batch_id=batch_id, community=name, metric=metric, period_start=start,
                                  period_end=end, value=value))
        if self.asks_span is not None:
            lo = dt.datetime.combine(self.asks_span[0], dt.time())
            hi = dt.datetime.combine(self.asks_span[1] + dt.timedelta(days=1), dt.time())
            s.execute(delete(LeaderAsk).where(LeaderAsk.asked_at >= lo, LeaderAsk.asked_at < hi,
                                              LeaderAsk.batch_id != batch_id))
        if self.asks:
            s.execute(LeaderAsk.__table__.insert(), [
                {"batch_id": batch_id, "exec_id": a.exec_id, "thread": a.thread[:THREAD_MAX], "kind": a.kind,
                 "asked_at": a.asked_at, "answered_at": a.answered_at} for a in self.asks])
        if self.terms:
            days = sorted(self.terms)
            s.execute(delete(ListeningTerm).where(ListeningTerm.day >= days[0], ListeningTerm.day <= days[-1],
                                                  ListeningTerm.batch_id != batch_id))
            rows = [{"batch_id": batch_id, "day": day, "term": term[:TERM_MAX], "count": count}
                    for day in days for term, count in self.terms[day].items()]
            if rows:
                s.execute(ListeningTerm.__table__.insert(), rows)
        if self.threads:
            older = select(ListeningThread.id).where(ListeningThread.batch_id != batch_id)
            s.execute(delete(ListeningThread).where(ListeningThread.id.in_(older)))
            s.add_all(ListeningThread(batch_id=batch_id, thread=t.thread[:THREAD_MAX], title=t.title[:TITLE_MAX],
                                      last_activity=t.last_activity, days_json=json.dumps(t.days, sort_keys=True),
                                      joined_json=json.dumps(sorted(t.joined))) for t in self.threads)
