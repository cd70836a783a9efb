"""Which execs' posts draw the most engagement, to pick the early adopters worth training first."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from esncoach.models import Exec, MetricSample
from esncoach.store.workspace import Workspace

BASIS_RESPONSES = "replies received"
BASIS_ACTIVITY = "messages, replies and likes"


@dataclass(frozen=True)
class InfluencerRow:
    """One exec's rank and the figures behind it."""

    rank: int
    exec_id: int
    name: str
    score: float
    messages: float
    replies_received: float
    per_message: float | None
    """Replies received per message posted, when both are known."""
    basis: str


def rank_influencers(ws: Workspace, *, start: dt.date | None = None, end: dt.date | None = None,
                     include_archived: bool = False) -> list[InfluencerRow]:
    """Execs ranked by replies their messages received (Messages.csv) or, without such data, by activity."""
    with ws.session() as s:
        q = (select(MetricSample.exec_id, MetricSample.metric, func.sum(MetricSample.value))
             .where(MetricSample.exec_id.is_not(None))
             .group_by(MetricSample.exec_id, MetricSample.metric))
        if start is not None:
            q = q.where(MetricSample.period_end >= start)
        if end is not None:
            q = q.where(MetricSample.period_start <= end)
        totals: dict[int, dict[str, float]] = {}
        for exec_id, metric, total in s.execute(q):
            totals.setdefault(exec_id, {})[metric] = float(total or 0)
        eq = select(Exec.id, Exec.name)
        if not include_archived:
            eq = eq.where(Exec.archived.is_(False))
        names = dict(s.execute(eq).all())
    responses = any(t.get("replies_received", 0) > 0 for i, t in totals.items() if i in names)
    basis = BASIS_RESPONSES if responses else BASIS_ACTIVITY
    rows = []
    for exec_id, t in totals.items():
        if exec_id not in names:
            continue
        messages, received = t.get("messages", 0.0), t.get("replies_received", 0.0)
        score = received if responses else messages + t.get("replies", 0.0) + t.get("likes", 0.0)
        if score <= 0:
            continue
        per = received / messages if responses and messages > 0 else None
        rows.append((score, per or 0.0, names[exec_id], exec_id, messages, received, per))
    rows.sort(key=lambda r: (-r[0], -r[1], r[2]))
    return [InfluencerRow(i, exec_id, name, score, messages, received, per, basis)
            for i, (score, _p, name, exec_id, messages, received, per) in enumerate(rows, start=1)]
