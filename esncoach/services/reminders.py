"""What to remind the CM of while the app runs: a session about to start, actions due, execs to get back to.

Qt-free: the view asks ``due_reminders`` every minute and shows each reminder once per run as a
desktop notification. Every reminder carries a ``key`` that stays the same while the reason stands
(the session, the day), so asking again a minute later never repeats a notification.

Like Today, reminders are a CM's own day: a login that reads coaching and writes none (the programme
lead, ``team.may_coach``) is reminded only of what it can act on, the execs still waiting for a CM.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from esncoach.models import CoachingSession, Exec, SessionStatus
from esncoach.services import sessions, settings, team, today

SESSION_LEAD_MINUTES = settings.declare("reminders.session_lead_minutes", 15)
"""Remind of a planned session this many minutes before it starts."""


@dataclass(frozen=True)
class Reminder:
    """One notification: a title, a sentence, what it is about, and a key that identifies it for the day."""

    key: str
    kind: str
    """"session", "actions", "touch" or (for the programme lead) "unassigned"."""
    title: str
    text: str
    exec_id: int | None = None
    session_id: int | None = None


def _upcoming_sessions(ws, now: dt.datetime, lead: int) -> list[Reminder]:  # type: ignore[no-untyped-def]
    with ws.session() as s:
        rows = s.execute(
            select(CoachingSession.id, CoachingSession.exec_id, Exec.name, CoachingSession.title,
                   CoachingSession.starts_at)
            .join(Exec, Exec.id == CoachingSession.exec_id)
            .where(CoachingSession.status == SessionStatus.PLANNED, Exec.archived.is_(False),
                   CoachingSession.starts_at > now - dt.timedelta(minutes=5),
                   CoachingSession.starts_at <= now + dt.timedelta(minutes=lead))
            .order_by(CoachingSession.starts_at)
        ).all()
    out = []
    for sid, eid, name, title, starts in rows:
        minutes = max(0, round((starts - now).total_seconds() / 60))
        when = "now" if minutes == 0 else ("in 1 minute" if minutes == 1 else f"in {minutes} minutes")
        out.append(Reminder(f"session:{sid}:{starts.isoformat()}", "session", f"Session with {name} {when}",
                            f"{starts:%H:%M} {title}", eid, sid))
    return out


def _due_actions(ws, day: dt.date) -> list[Reminder]:  # type: ignore[no-untyped-def]
    items = [i for i in sessions.open_action_items(ws, exec_id=None) if i.due is not None and i.due <= day]
    with ws.session() as s:
        active = set(s.scalars(select(Exec.id).where(Exec.archived.is_(False))))
    items = [i for i in items if i.exec_id in active]
    if not items:
        return []
    overdue = sum(1 for i in items if i.due is not None and i.due < day)
    n = len(items)
    title = "1 action item due" if n == 1 else f"{n} action items due"
    first = items[0]
    text = f"{first.exec_name or 'An executive'}: {first.text}"
    if n > 1:
        text += f" (and {n - 1} more" + (f"; {overdue} overdue)" if overdue else ")")
    return [Reminder(f"actions:{day.isoformat()}:{n}", "actions", title, text, first.exec_id, first.session_id)]


def _unassigned(ws, day: dt.date) -> list[Reminder]:  # type: ignore[no-untyped-def]
    waiting = today.unassigned(ws)
    if not waiting:
        return []
    n = len(waiting)
    names = ", ".join(w.exec_name for w in waiting[:3]) + ("…" if n > 3 else "")
    title = "1 executive has no CM yet" if n == 1 else f"{n} executives have no CM yet"
    return [Reminder(f"unassigned:{day.isoformat()}:{n}", "unassigned", title,
                     f"{names} — assign them in Team ▸ Members…", waiting[0].exec_id)]


def due_reminders(ws, *, now: dt.datetime | None = None,  # type: ignore[no-untyped-def]
                  coaches: bool | None = None) -> list[Reminder]:
    """Every reminder that stands at ``now``: sessions starting soon, actions due today, stay-in-touch nudges.

    ``coaches`` as in ``today.overview``: a login that writes no coaching gets only the execs without a CM.
    """
    now = now or dt.datetime.now()
    if coaches is None:
        coaches = team.may_coach(ws)
    if not coaches:
        return _unassigned(ws, now.date())
    lead = int(settings.get(ws, SESSION_LEAD_MINUTES))
    out = _upcoming_sessions(ws, now, lead) if lead > 0 else []
    out += _due_actions(ws, now.date())
    nudges = today.stay_in_touch(ws, today=now.date())
    if nudges:
        names = ", ".join(n.exec_name for n in nudges[:3]) + ("…" if len(nudges) > 3 else "")
        gap = int(settings.get(ws, today.STAY_IN_TOUCH_DAYS))
        title = "Stay in touch" if len(nudges) == 1 else f"Stay in touch with {len(nudges)} executives"
        out.append(Reminder(f"touch:{now.date().isoformat()}:{len(nudges)}", "touch", title,
                            f"No session for {gap}+ days: {names}", nudges[0].exec_id))
    return out
