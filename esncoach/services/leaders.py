"""What an exec's network activity says about them as a leader: persona over time, peer percentile,
responsiveness, and how much of their voice is delegated (Qt-free).

Personas (per calendar month; thresholds are the module constants below, quoted in the user guide text
``PERSONA_GUIDE``). From what the exec *gives* — threads started ``P`` (messages minus replies), replies
``R``, likes given ``L`` — and *receives* — replies to their messages ``Rc`` (Messages.csv):

1. **Observer**: ``P + R + L/LIKE_WEIGHT < OBSERVER_BELOW`` (reads, barely interacts).
2. **Responder**: ``R + L/LIKE_WEIGHT >= RESPONDER_RATIO × P`` (answers and reacts more than they post).
3. **Catalyst**: ``P >= 1`` and ``Rc >= CATALYST_RESPONSES × P`` (their posts draw many responses).
4. **Broadcaster**: ``R <= BROADCASTER_REPLY_SHARE × (P + R)`` (posts, is answered, rarely replies).
5. **Engager**: everything else (balanced give and take).

The rules are tried in that order. Without Messages.csv-level data for a month (only a report's totals),
replies received are unknown: Catalyst cannot be told from Broadcaster or Engager, and without replies
counted apart from posts neither can Responder; the persona is then ``None`` with a note saying which
personas cannot be told apart, unless the exec is plainly an Observer.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import case, func, select

from esncoach.models import DraftedBy, Exec, ImportBatch, MetricSample, PracticePost
from esncoach.models.network import LeaderAsk, NetworkDistribution
from esncoach.services.leaders_percentile import Sketch, percentile_of, top_share
from esncoach.store.errors import ValidationError
from esncoach.store.workspace import Workspace

LIKE_WEIGHT = 5.0
"""Likes given or received that count as one message."""
OBSERVER_BELOW = 2.0
RESPONDER_RATIO = 2.0
CATALYST_RESPONSES = 3.0
BROADCASTER_REPLY_SHARE = 0.2
HISTORY_MONTHS = 12
MAX_UNANSWERED = 20
MESSAGE_LEVEL_SOURCES = ("yammer_messages", "demo")
"""Imports that count every message (so replies received and a quiet month's zeros are known)."""
PERSONAS = ("Observer", "Broadcaster", "Responder", "Catalyst", "Engager")
PERSONA_DESCRIPTIONS = {
    "Observer": "reads, barely interacts",
    "Broadcaster": "posts and is answered, rarely replies",
    "Responder": "replies to others more than posting",
    "Catalyst": "posts that draw many responses",
    "Engager": "balanced give and take",
}
PERSONA_GUIDE = (
    "Personas are worked out per calendar month from Messages.csv: threads started (P), replies (R), "
    f"likes given (L, {LIKE_WEIGHT:g} likes count as one message) and replies received (Rc). "
    f"Observer: P + R + L/{LIKE_WEIGHT:g} under {OBSERVER_BELOW:g}. "
    f"Responder: R + L/{LIKE_WEIGHT:g} at least {RESPONDER_RATIO:g} × P. "
    f"Catalyst: at least one thread and Rc at least {CATALYST_RESPONSES:g} × P. "
    f"Broadcaster: replies at most {BROADCASTER_REPLY_SHARE:.0%} of what they write. "
    "Engager: the rest. The rules are tried in that order. With only a report's totals, Catalyst cannot be told "
    "from Broadcaster or Engager, and without replies counted apart from posts, neither can Responder."
)


@dataclass(frozen=True)
class MonthActivity:
    """What an exec gave and received in one month; None means the export did not say."""

    month: dt.date
    posts: float = 0.0
    replies: float | None = None
    likes: float | None = None
    replies_received: float | None = None


def persona_for(a: MonthActivity) -> tuple[str | None, str]:
    """The month's persona (or None when the data cannot tell) and a note when it is uncertain."""
    likes = (a.likes or 0.0) / LIKE_WEIGHT
    replies = a.replies or 0.0
    posts = a.posts
    if posts + replies + likes < OBSERVER_BELOW:
        return "Observer", ""
    if a.replies is None:
        return None, "Only totals: Broadcaster, Responder, Catalyst and Engager cannot be told apart."
    if replies + likes >= RESPONDER_RATIO * posts:
        return "Responder", ""
    if a.replies_received is None:
        return None, "No replies received (Messages.csv): Broadcaster, Catalyst and Engager cannot be told apart."
    if posts >= 1 and a.replies_received >= CATALYST_RESPONSES * posts:
        return "Catalyst", ""
    if replies <= BROADCASTER_REPLY_SHARE * (posts + replies):
        return "Broadcaster", ""
    return "Engager", ""


@dataclass(frozen=True)
class Unanswered:
    """An ask the exec has not answered: the thread link (``api_url`` or thread id) and the day it came."""

    thread: str
    asked_on: dt.date


@dataclass(frozen=True)
class Responsiveness:
    """How the exec answers replies in their threads and @-mentions."""

    asks: int
    answered_share: float | None
    median_hours: float | None
    unanswered: tuple[Unanswered, ...]


@dataclass(frozen=True)
class LeaderProfile:
    """Everything the exec page, the reports and ``esncoach leaders`` show about one exec as a leader."""

    exec_id: int
    name: str
    persona: str | None
    persona_note: str
    persona_history: tuple[tuple[str, str | None], ...]
    percentile: dict[str, float | None]
    percentile_period: tuple[dt.date, dt.date] | None
    responsiveness: Responsiveness
    delegated_share: float | None
    drafted_by_assistant_share: float | None
    months: tuple[MonthActivity, ...] = field(default=(), repr=False)

    def as_json(self) -> dict[str, object]:
        """The JSON ``esncoach leaders --json`` prints for one exec."""
        r = self.responsiveness
        return {
            "name": self.name,
            "persona": self.persona,
            "persona_note": self.persona_note or None,
            "persona_history": [{"month": m, "persona": p} for m, p in self.persona_history],
            "percentile": dict(self.percentile),
            "percentile_period": [d.isoformat() for d in self.percentile_period] if self.percentile_period else None,
            "responsiveness": {
                "asks": r.asks, "answered_share": r.answered_share, "median_hours": r.median_hours,
                "unanswered": [{"thread": u.thread, "asked_on": u.asked_on.isoformat()} for u in r.unanswered],
            },
            "delegated_share": self.delegated_share,
            "drafted_by_assistant_share": self.drafted_by_assistant_share,
        }

    def percentile_sentence(self, metric: str = "messages") -> str:
        """"Top 4% of posters" style sentence for a metric, or "" when unknown."""
        top = top_share(self.percentile.get(metric))
        if top is None:
            return ""
        noun = {"messages": "posters", "replies": "repliers", "likes": "likers", "reads": "readers"}.get(metric, metric)
        return f"top {max(top, 1.0):.0f}% of {noun}"


def _month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _months(s, exec_id: int) -> tuple[MonthActivity, ...]:  # noqa: ANN001 - a Session
    sums: dict[dt.date, dict[str, float]] = defaultdict(dict)
    rows = s.execute(select(MetricSample.metric, MetricSample.period_start, MetricSample.value).where(
        MetricSample.exec_id == exec_id,
        MetricSample.metric.in_(("messages", "replies", "likes", "replies_received")))).all()
    for metric, start, value in rows:
        month = sums[_month(start)]
        month[metric] = month.get(metric, 0.0) + value
    covered: set[dt.date] = set()
    for lo, hi in s.execute(select(ImportBatch.period_start, ImportBatch.period_end).where(
            ImportBatch.source.in_(MESSAGE_LEVEL_SOURCES), ImportBatch.period_start.is_not(None))).all():
        month = _month(lo)
        while month <= hi:
            covered.add(month)
            month = (month + dt.timedelta(days=32)).replace(day=1)
    months = sorted(set(sums) | covered)[-HISTORY_MONTHS:]
    out = []
    for month in months:
        got = sums.get(month, {})
        full = month in covered
        messages = got.get("messages", 0.0)
        replies = got.get("replies", 0.0 if full else None)
        out.append(MonthActivity(
            month=month, posts=max(0.0, messages - (replies or 0.0)), replies=replies,
            likes=got.get("likes"), replies_received=got.get("replies_received", 0.0 if full else None)))
    return tuple(out)


def _percentiles(s, exec_id: int) -> tuple[dict[str, float | None], tuple[dt.date, dt.date] | None]:  # noqa: ANN001
    latest: dict[str, NetworkDistribution] = {}
    for d in s.scalars(select(NetworkDistribution).order_by(NetworkDistribution.period_end)):
        latest[d.metric] = d  # the last one per metric wins
    out: dict[str, float | None] = {}
    period = None
    for metric, d in sorted(latest.items()):
        value = s.scalar(select(func.sum(MetricSample.value)).where(
            MetricSample.exec_id == exec_id, MetricSample.metric == metric, MetricSample.source == d.source,
            MetricSample.period_start >= d.period_start, MetricSample.period_start <= d.period_end))
        out[metric] = None if value is None else percentile_of(Sketch.from_json(d.sketch_json), float(value))
        if period is None or d.period_end > period[1]:
            period = (d.period_start, d.period_end)
    return out, period


def _responsiveness(s, exec_id: int) -> Responsiveness:  # noqa: ANN001
    asks = s.execute(select(LeaderAsk.thread, LeaderAsk.asked_at, LeaderAsk.answered_at)
                     .where(LeaderAsk.exec_id == exec_id).order_by(LeaderAsk.asked_at.desc())).all()
    if not asks:
        return Responsiveness(0, None, None, ())
    hours = [(answered - asked).total_seconds() / 3600 for _t, asked, answered in asks if answered is not None]
    unanswered = tuple(Unanswered(t, asked.date()) for t, asked, answered in asks if answered is None)
    return Responsiveness(len(asks), round(len(hours) / len(asks), 3),
                          round(statistics.median(hours), 1) if hours else None, unanswered[:MAX_UNANSWERED])


def _delegated_share(s, exec_id: int) -> float | None:  # noqa: ANN001
    rows = s.execute(select(MetricSample.source, func.sum(MetricSample.value)).where(
        MetricSample.exec_id == exec_id, MetricSample.metric == "delegated_messages")
        .group_by(MetricSample.source)).all()
    if not rows:
        return None
    delegated = sum(v for _src, v in rows)
    total = s.scalar(select(func.coalesce(func.sum(MetricSample.value), 0.0)).where(
        MetricSample.exec_id == exec_id, MetricSample.metric == "messages",
        MetricSample.source.in_([src for src, _v in rows])))
    return round(delegated / total, 3) if total else None


def _drafted_share(s, exec_id: int) -> float | None:  # noqa: ANN001
    total, assistant = s.execute(select(
        func.count(PracticePost.id),
        func.coalesce(func.sum(case((PracticePost.drafted_by == DraftedBy.ASSISTANT, 1), else_=0)), 0))
        .where(PracticePost.exec_id == exec_id)).one()
    return round(assistant / total, 3) if total else None


def responsiveness(ws: Workspace, *, exec_id: int) -> Responsiveness:
    """Only the exec's responsiveness (answered share, median hours, the latest unanswered asks), for screens
    such as coaching mode that show it without the rest of the profile."""
    with ws.session() as s:
        return _responsiveness(s, exec_id)


def leader_profile(ws: Workspace, *, exec_id: int) -> LeaderProfile:
    """One exec's leader profile; a ValidationError when the exec no longer exists."""
    with ws.session() as s:
        ex = s.get(Exec, exec_id)
        if ex is None:
            raise ValidationError("exec", "That executive no longer exists.")
        return _profile(s, ex.id, ex.name)


def leader_profiles(ws: Workspace, *, include_archived: bool = False) -> list[LeaderProfile]:
    """Every exec's leader profile, by name."""
    with ws.session() as s:
        q = select(Exec.id, Exec.name).order_by(Exec.name)
        if not include_archived:
            q = q.where(Exec.archived.is_(False))
        return [_profile(s, i, n) for i, n in s.execute(q).all()]


def _profile(s, exec_id: int, name: str) -> LeaderProfile:  # noqa: ANN001
    months = _months(s, exec_id)
    history = tuple((m.month.strftime("%Y-%m"), persona_for(m)[0]) for m in months)
    persona, note = persona_for(months[-1]) if months else (None, "No network activity imported yet.")
    percentile, period = _percentiles(s, exec_id)
    return LeaderProfile(exec_id, name, persona, note, history, percentile, period, _responsiveness(s, exec_id),
                         _delegated_share(s, exec_id), _drafted_share(s, exec_id), months)
