"""The listening brief: what the network is talking about more than usual, and busy threads an exec has not joined.

Stored at import time from Messages.csv (``esncoach.imports.themes``): terms and two-word phrases per
day, and references to the busiest recent threads with their replies per day and the execs who posted
in them — never message bodies. A theme *rises* when its rate over the last ``days`` (ending on the
last day the export covers) beats its rate over the ``BASELINE_DAYS`` before:
``rise = (recent / days) / ((baseline + 1) / BASELINE_DAYS)`` (the +1 keeps a new term finite), among
terms used at least ``MIN_RECENT`` times recently; the brief lists the ``MAX_THEMES`` highest rises.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import func, select

from esncoach.models import Exec, ImportBatch
from esncoach.models.network import ListeningTerm, ListeningThread
from esncoach.store.errors import ValidationError
from esncoach.store.workspace import Workspace

BASELINE_DAYS = 60
MAX_DAYS = 30
"""The import keeps 90 days of terms: the longest recent window plus the baseline."""
MIN_RECENT = 3
MIN_RISE = 1.5
MAX_THEMES = 10
MAX_THREADS = 10


@dataclass(frozen=True)
class Theme:
    """A rising term or phrase: uses in the recent window and how many times its usual rate that is."""

    term: str
    count: int
    rise: float


@dataclass(frozen=True)
class ThreadItem:
    """A busy thread the exec has not joined: its link, title (or community and leading terms), replies."""

    thread: str
    title_or_start: str
    replies: int
    last_activity: dt.date


@dataclass(frozen=True)
class ListeningBrief:
    """Rising themes and busy unjoined threads for one exec over the last ``days`` of the export."""

    days: int
    ends_on: dt.date | None
    themes: tuple[Theme, ...]
    threads: tuple[ThreadItem, ...]

    def as_json(self) -> dict[str, object]:
        """The JSON ``esncoach listening --json`` prints."""
        return {
            "days": self.days,
            "ends_on": self.ends_on.isoformat() if self.ends_on else None,
            "themes": [{"term": t.term, "count": t.count, "rise": t.rise} for t in self.themes],
            "threads": [{"thread": t.thread, "title_or_start": t.title_or_start, "replies": t.replies,
                         "last_activity": t.last_activity.isoformat()} for t in self.threads],
        }


def listening_brief(ws: Workspace, *, exec_id: int, days: int = 14) -> ListeningBrief:
    """Rising themes and the busiest threads the exec has not joined; ValidationError for a bad window."""
    if not 1 <= days <= MAX_DAYS:
        raise ValidationError("days", f"The listening window is 1 to {MAX_DAYS} days (the import keeps "
                                      f"{MAX_DAYS + BASELINE_DAYS} days of themes).")
    with ws.session() as s:
        if s.get(Exec, exec_id) is None:
            raise ValidationError("exec", "That executive no longer exists.")
        end = _last_day(s)
        if end is None:
            return ListeningBrief(days, None, (), ())
        since = end - dt.timedelta(days=days - 1)
        base_from = since - dt.timedelta(days=BASELINE_DAYS)
        recent = dict(s.execute(select(ListeningTerm.term, func.sum(ListeningTerm.count)).where(
            ListeningTerm.day >= since, ListeningTerm.day <= end).group_by(ListeningTerm.term)).all())
        base = dict(s.execute(select(ListeningTerm.term, func.sum(ListeningTerm.count)).where(
            ListeningTerm.day >= base_from, ListeningTerm.day < since).group_by(ListeningTerm.term)).all())
        themes = []
        for term, count in recent.items():
            if count < MIN_RECENT:
                continue
            rise = (count / days) / ((base.get(term, 0) + 1) / BASELINE_DAYS)
            if rise >= MIN_RISE:
                themes.append(Theme(term, int(count), round(rise, 1)))
        themes.sort(key=lambda t: (-t.rise, -t.count, t.term))
        threads = []
        for t in s.scalars(select(ListeningThread)):
            if exec_id in json.loads(t.joined_json):
                continue
            replies = sum(n for day, n in json.loads(t.days_json).items() if since.isoformat() <= day <= end.isoformat())
            if replies > 0:
                threads.append(ThreadItem(t.thread, t.title, replies, t.last_activity))
        threads.sort(key=lambda t: (-t.replies, -t.last_activity.toordinal(), t.thread))
        return ListeningBrief(days, end, tuple(_drop_covered(themes)[:MAX_THEMES]), tuple(threads[:MAX_THREADS]))


def _last_day(s) -> dt.date | None:  # noqa: ANN001 - a Session
    """The last day the listening data covers: the end of the import that brought it (or its latest row)."""
    ends = []
    for model, column in ((ListeningTerm, ListeningTerm.day), (ListeningThread, ListeningThread.last_activity)):
        row = s.execute(select(ImportBatch.period_end, column).join(ImportBatch, ImportBatch.id == model.batch_id)
                        .order_by(column.desc()).limit(1)).first()
        if row is not None:
            ends.append(row[0] or row[1])
    return max(ends) if ends else None


def _drop_covered(themes: list[Theme]) -> list[Theme]:
    """Leave out a word already shown inside a listed two-word phrase used about as often."""
    phrases = [t for t in themes if " " in t.term]
    kept = []
    for t in themes:
        if " " not in t.term and any(t.term in p.term.split() and p.count >= 0.8 * t.count for p in phrases):
            continue
        kept.append(t)
    return kept
