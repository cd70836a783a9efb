"""The "needs attention" list: execs whose habit is fading, whose last session is long ago, or whose
action items are overdue. Thresholds are workspace settings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from esncoach.models import CoachingSession, Exec, SessionStatus
from esncoach.services import habit_strength, habits, sessions, settings
from esncoach.services.ladder import read_settings
from esncoach.store.workspace import Workspace

STRENGTH_DROP = settings.declare("attention.strength_drop", 0.05)
STRENGTH_DROP_DAYS = settings.declare("attention.strength_drop_days", 14)
SESSION_GAP_DAYS = settings.declare("attention.session_gap_days", 30)
LOW_STRENGTH = settings.declare("attention.low_strength", 0.25)


@dataclass(frozen=True)
class AttentionReason:
    """One reason an exec is on the list: a kind ("habit", "session", "overdue"), a sentence, a weight."""

    kind: str
    text: str
    severity: int


@dataclass(frozen=True)
class AttentionItem:
    """An exec who needs the CM's attention, and why."""

    exec_id: int
    exec_name: str
    reasons: tuple[AttentionReason, ...]

    @property
    def severity(self) -> int:
        """How urgent, for sorting: the sum of the reasons' weights."""
        return sum(r.severity for r in self.reasons)

    def summary(self) -> str:
        """The reasons on one line."""
        return " · ".join(r.text for r in self.reasons)


def _days(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"


def needs_attention(ws: Workspace, *, today: dt.date | None = None) -> list[AttentionItem]:
    """Active execs needing attention, most urgent first, each with the sentences that say why."""
    today = today or dt.date.today()
    values = read_settings(ws, (STRENGTH_DROP, STRENGTH_DROP_DAYS, SESSION_GAP_DAYS, LOW_STRENGTH))
    drop = float(values[STRENGTH_DROP])
    drop_days = int(values[STRENGTH_DROP_DAYS])
    gap = int(values[SESSION_GAP_DAYS])
    low = float(values[LOW_STRENGTH])
    with ws.session() as s:
        execs = sorted(s.execute(select(Exec.id, Exec.name).where(Exec.archived.is_(False))).all(),
                       key=lambda r: habits.sort_key(r[1]))
        last = dict(s.execute(
            select(CoachingSession.exec_id, func.max(CoachingSession.starts_at))
            .where(CoachingSession.status == SessionStatus.HELD,
                   CoachingSession.starts_at < dt.datetime.combine(today + dt.timedelta(days=1), dt.time()))
            .group_by(CoachingSession.exec_id)
        ).all())
        planned = dict(s.execute(
            select(CoachingSession.exec_id, func.min(CoachingSession.starts_at))
            .where(CoachingSession.status == SessionStatus.PLANNED,
                   CoachingSession.starts_at >= dt.datetime.combine(today, dt.time()))
            .group_by(CoachingSession.exec_id)
        ).all())
    statuses = habit_strength.current_strengths(ws, today=today)  # not all_statuses: that scores every day of every habit
    overdue: dict[int, list[sessions.ActionItemRow]] = {}
    for item in sessions.open_action_items(ws, exec_id=None):
        if item.is_overdue(today):
            overdue.setdefault(item.exec_id, []).append(item)

    out: list[AttentionItem] = []
    for exec_id, name in execs:
        reasons: list[AttentionReason] = []
        st = statuses.get(exec_id)
        if st is not None and (today - st.started_on).days >= drop_days:
            fall = st.strength_two_weeks_ago - st.strength
            if fall >= drop:
                reasons.append(AttentionReason(
                    "habit", f"Habit strength falling: {st.strength_two_weeks_ago:.0%} → {st.strength:.0%} "
                             f"in {drop_days} days", 3))
            elif st.strength < low and (today - st.started_on).days >= 28:
                reasons.append(AttentionReason("habit", f"Habit strength low: {st.strength:.0%}", 2))
        when = last.get(exec_id)
        if when is None:
            reasons.append(AttentionReason("session", "No session held yet", 2))
        else:
            days = (today - when.date()).days
            if days > gap:
                nxt = planned.get(exec_id)
                tail = f" (next planned {nxt.day} {nxt:%b})" if nxt else " and none planned"
                reasons.append(AttentionReason("session", f"Last session {_days(days)} ago{tail}", 2 if nxt else 3))
        items = overdue.get(exec_id, [])
        if items:
            oldest = min(i.due for i in items if i.due is not None)
            n = len(items)
            reasons.append(AttentionReason(
                "overdue", f"{n} action item{'s' if n > 1 else ''} overdue "
                            f"({_days((today - oldest).days)} late)",
                min(4, 1 + n)))
        if reasons:
            out.append(AttentionItem(exec_id, name, tuple(reasons)))
    out.sort(key=lambda a: (-a.severity, habits.sort_key(a.exec_name)))
    return out
