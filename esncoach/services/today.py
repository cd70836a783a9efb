"""The CM's day on one page: sessions today and this week, actions due, check-ins missing, execs to look at.

Qt-free so the Today screen, the reminders and a script share one reading of "what needs me today".
Each section is a tuple of ``TodayItem``; an item names the exec and, for a session, the session, so a
view can open it. The rules are borrowed, not restated: "needs attention" is ``attention.needs_attention``
and "ready for the next stage" is ``ladder.suggestions``. The stay-in-touch nudge is the one rule of its
own: an active exec with no session (held or planned) within ``STAY_IN_TOUCH_DAYS`` days.

On a team server Today is a CM's own day: the server's policies show a CM only the execs assigned to them.
A login that reads every exec's coaching and writes none (the programme lead; the server's grants say so,
``team.may_coach``) has no to-dos of that kind: they get the programme view (``PROGRAMME_TITLES``), the
execs still waiting for a CM and each CM's overdue action items.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import func, select

from esncoach.models import CheckIn, CoachingSession, Exec, Habit, LadderStage, SessionStatus
from esncoach.services import attention, habits, ladder, sessions, settings, team
from esncoach.services.habits import Schedule
from esncoach.store.workspace import Workspace

STAY_IN_TOUCH_DAYS = settings.declare("reminders.stay_in_touch_days", 21)
"""Nudge when an exec has had no session for this many days (0 turns the nudge off)."""

UPCOMING_DAYS = 7

SECTION_TITLES = {
    "today": "Sessions today",
    "week": "Sessions in the next 7 days",
    "actions": "Action items due or overdue",
    "checkins": "Check-ins not yet recorded",
    "attention": "Needs attention",
    "touch": "Stay in touch",
    "ready": "Looks ready for the next stage",
}
"""Section keys in display order, with their headings (translated by the view)."""

PROGRAMME_TITLES = {
    "unassigned": "Executives with no CM yet",
    "overdue": "CMs with overdue action items",
}
"""The programme lead's sections, in display order: what the lead can act on (assign) or ask a CM about."""


@dataclass(frozen=True)
class TodayItem:
    """One line of the day: what it is about, for whom, and what opening it should show."""

    kind: str
    """"session", "action", "checkin", "attention", "touch" or "ready"."""
    exec_id: int
    exec_name: str
    text: str
    when: dt.datetime | dt.date | None = None
    session_id: int | None = None
    item_id: int | None = None
    urgent: bool = False
    subject: str | None = None
    """A session's title alone, so a view can write the date its own way around it."""
    who: str | None = None
    """Whom the line is about when it is not the exec: a CM's role in the programme view."""


@dataclass(frozen=True)
class TodayOverview:
    """The whole day, section by section (keys of ``SECTION_TITLES``)."""

    day: dt.date
    sections: dict[str, tuple[TodayItem, ...]] = field(default_factory=dict)
    programme: bool = False
    """The programme view of a login that coaches nobody (sections of ``PROGRAMME_TITLES``)."""

    @property
    def titles(self) -> dict[str, str]:
        """This overview's section keys in display order, with their headings."""
        return PROGRAMME_TITLES if self.programme else SECTION_TITLES

    def items(self) -> list[TodayItem]:
        """Every item in display order."""
        return [item for key in self.titles for item in self.sections.get(key, ())]

    @property
    def is_empty(self) -> bool:
        """Nothing at all to do today."""
        return not any(self.sections.values())


def _owner(item: sessions.ActionItemRow) -> str:
    return item.owner_name or sessions.OWNER_LABELS[item.owner]


def _session_items(ws: Workspace, day: dt.date) -> tuple[list[TodayItem], list[TodayItem]]:
    start = dt.datetime.combine(day, dt.time())
    end = start + dt.timedelta(days=UPCOMING_DAYS + 1)
    with ws.session() as s:
        rows = s.execute(
            select(CoachingSession.id, CoachingSession.exec_id, Exec.name, CoachingSession.title,
                   CoachingSession.starts_at, CoachingSession.duration_min)
            .join(Exec, Exec.id == CoachingSession.exec_id)
            .where(CoachingSession.status == SessionStatus.PLANNED, Exec.archived.is_(False),
                   CoachingSession.starts_at >= start, CoachingSession.starts_at < end)
            .order_by(CoachingSession.starts_at, CoachingSession.id)
        ).all()
    today: list[TodayItem] = []
    week: list[TodayItem] = []
    for sid, eid, name, title, starts, minutes in rows:
        ends = starts + dt.timedelta(minutes=minutes)
        if starts.date() == day:
            today.append(TodayItem("session", eid, name, f"{starts:%H:%M}–{ends:%H:%M} {title}", starts, sid,
                                   subject=title))
        else:
            week.append(TodayItem("session", eid, name, f"{starts:%a} {starts.day} {starts:%b %H:%M} {title}", starts, sid,
                                  subject=title))
    return today, week


def _action_items(ws: Workspace, day: dt.date) -> list[TodayItem]:
    names = _active_names(ws)
    out = []
    for item in sessions.open_action_items(ws, exec_id=None):
        if item.due is None or item.due > day or item.exec_id not in names:
            continue
        out.append(TodayItem("action", item.exec_id, names[item.exec_id],
                             f"{item.text} — {_owner(item)}, {_late(day, item.due)}",
                             item.due, item.session_id, item.id, urgent=item.due < day))
    return out


def _active_names(ws: Workspace) -> dict[int, str]:
    with ws.session() as s:
        return dict(s.execute(select(Exec.id, Exec.name).where(Exec.archived.is_(False))).all())


def _missing_checkins(ws: Workspace, day: dt.date) -> list[TodayItem]:
    """Yesterday's and today's check-ins the CM has not recorded, for habits due on those days."""
    days = (day - dt.timedelta(days=1), day)
    with ws.session() as s:
        current = s.execute(
            select(Habit, Exec.name).join(Exec, Exec.id == Habit.exec_id)
            .where(Habit.ended_on.is_(None), Exec.archived.is_(False))
            .order_by(Habit.started_on, Habit.id)
        ).all()
        latest = {h.exec_id: (h, name) for h, name in current}  # the latest started wins, as habits does
        ids = [h.id for h, _n in latest.values()]
        recorded = set(s.execute(
            select(CheckIn.habit_id, CheckIn.day).where(CheckIn.habit_id.in_(ids), CheckIn.day.in_(days))
        ).all()) if ids else set()
        rows = [(h.id, h.exec_id, name, h.description, Schedule.of(h), h.started_on) for h, name in latest.values()]
    out = []
    for habit_id, exec_id, name, description, schedule, started in sorted(rows, key=lambda r: habits.sort_key(r[2])):
        missing = [d for d in days if d >= started and (habit_id, d) not in recorded
                   and habits._is_due_day(schedule, d)]  # noqa: SLF001 - the same rule the scores use
        if missing:
            which = " and ".join("today" if d == day else "yesterday" for d in missing)
            out.append(TodayItem("checkin", exec_id, name, f"{description} — {which} not recorded", missing[0],
                                 urgent=missing[0] < day))
    return out


def _stay_in_touch(ws: Workspace, day: dt.date, gap_days: int) -> list[TodayItem]:
    if gap_days <= 0:
        return []
    with ws.session() as s:
        execs = s.execute(select(Exec.id, Exec.name, Exec.created_at).where(Exec.archived.is_(False))).all()
        last = dict(s.execute(
            select(CoachingSession.exec_id, func.max(CoachingSession.starts_at))
            .where(CoachingSession.status == SessionStatus.HELD)
            .group_by(CoachingSession.exec_id)).all())
        planned = set(s.scalars(
            select(CoachingSession.exec_id).where(CoachingSession.status == SessionStatus.PLANNED,
                                                  CoachingSession.starts_at >= dt.datetime.combine(day, dt.time()))))
    out = []
    for exec_id, name, created in sorted(execs, key=lambda r: habits.sort_key(r[1])):
        if exec_id in planned:
            continue
        since = last.get(exec_id) or created
        if since is None:
            continue
        days = (day - since.date()).days
        if days >= gap_days:
            text = (f"No session for {days} days and none planned" if exec_id in last
                    else f"No session yet, added {days} days ago")
            out.append(TodayItem("touch", exec_id, name, text, since.date(), urgent=days >= 2 * gap_days))
    return out


def stay_in_touch(ws: Workspace, *, today: dt.date | None = None) -> list[TodayItem]:
    """Execs with no session for the workspace's stay-in-touch number of days and none planned."""
    day = today or dt.date.today()
    return _stay_in_touch(ws, day, int(settings.get(ws, STAY_IN_TOUCH_DAYS)))


def _late(day: dt.date, due: dt.date) -> str:
    late = (day - due).days
    return "due today" if late == 0 else ("1 day late" if late == 1 else f"{late} days late")


def unassigned(ws: Workspace) -> list[TodayItem]:
    """Active execs of a team workspace with no CM yet (none on a file: its CM coaches every exec)."""
    if not getattr(ws, "is_server", False):
        return []
    active = _active_names(ws)
    out = []
    for row in sorted(team.directory(ws), key=lambda r: habits.sort_key(r.name)):
        if row.cms or row.exec_id not in active:
            continue
        try:
            stage = LadderStage(row.stage).label
        except ValueError:
            stage = row.stage
        out.append(TodayItem("unassigned", row.exec_id, row.name, f"No CM yet · {stage}"))
    return out


def _cms_overdue(ws: Workspace, day: dt.date) -> list[TodayItem]:
    """One line per CM with overdue action items on their execs: how many, and the oldest (Enter opens it)."""
    active = _active_names(ws)
    cms_of = {row.exec_id: row.cms for row in team.directory(ws)}
    late: dict[str, list[sessions.ActionItemRow]] = {}
    for item in sessions.open_action_items(ws, exec_id=None):  # soonest due first: the oldest leads
        if item.due is None or item.due >= day or item.exec_id not in active:
            continue
        for cm in cms_of.get(item.exec_id, ()):
            late.setdefault(cm, []).append(item)
    out = []
    for cm, items in sorted(late.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        oldest, n, execs = items[0], len(items), len({i.exec_id for i in items})
        count = "1 overdue action item" if n == 1 else f"{n} overdue action items"
        across = "" if execs == 1 else f" across {execs} executives"
        out.append(TodayItem("cm", oldest.exec_id, active[oldest.exec_id],
                             f"{count}{across}; oldest: {active[oldest.exec_id]}, {_late(day, oldest.due)} — "
                             f"{oldest.text}", oldest.due, oldest.session_id, oldest.id, urgent=True, who=cm))
    return out


def programme_overview(ws: Workspace, *, today: dt.date | None = None) -> TodayOverview:
    """The programme lead's Today: execs waiting for a CM and each CM's overdue action items."""
    day = today or dt.date.today()
    return TodayOverview(day, {"unassigned": tuple(unassigned(ws)), "overdue": tuple(_cms_overdue(ws, day))},
                         programme=True)


def overview(ws: Workspace, *, today: dt.date | None = None, coaches: bool | None = None) -> TodayOverview:
    """Everything the Today screen shows, computed in a handful of queries.

    ``coaches`` says whether this login writes coaching; ``None`` asks the server (always yes on a file).
    A login that does not gets ``programme_overview`` instead of a CM's to-dos it could not act on.
    """
    if coaches is None:
        coaches = team.may_coach(ws)
    if not coaches:
        return programme_overview(ws, today=today)
    day = today or dt.date.today()
    sessions_today, sessions_week = _session_items(ws, day)
    attention_items = tuple(
        TodayItem("attention", a.exec_id, a.exec_name, a.summary(), urgent=a.severity >= 4)
        for a in attention.needs_attention(ws, today=day)
    )
    ready = tuple(
        TodayItem("ready", r.exec_id, r.exec_name,
                  f"{r.stage.label} → {r.next_stage.label if r.next_stage else ''}: {r.summary()}")
        for r in ladder.suggestions(ws, today=day)
    )
    return TodayOverview(day, {
        "today": tuple(sessions_today),
        "week": tuple(sessions_week),
        "actions": tuple(_action_items(ws, day)),
        "checkins": tuple(_missing_checkins(ws, day)),
        "attention": attention_items,
        "touch": tuple(stay_in_touch(ws, today=day)),
        "ready": ready,
    })
