"""The exec's story in one chronological list: sessions, ladder moves, habit milestones and practice posts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from esncoach.models import CoachingSession, Habit, PostStatus, PracticePost, SessionStatus, StageChange
from esncoach.services import habits
from esncoach.services.sessions import KIND_LABELS
from esncoach.store.workspace import Workspace

KINDS = ("session", "stage", "habit", "post")
STREAK_MILESTONES = (10, 25, 50, 100)


@dataclass(frozen=True)
class TimelineEvent:
    """Something that happened (or is planned) for an exec, with what to open when it is activated."""

    when: dt.datetime
    kind: str
    title: str
    detail: str = ""
    ref_id: int | None = None
    planned: bool = False


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0, 0))


def _habit_events(habit: Habit, today: dt.date) -> list[TimelineEvent]:
    schedule = habits.Schedule.of(habit)
    end = min(today, habit.ended_on or today)
    events = [TimelineEvent(_at(habit.started_on), "habit", f"New commitment: {habit.description}",
                            schedule.text(), habit.id)]
    if habit.ended_on is not None:
        events.append(TimelineEvent(_at(habit.ended_on), "habit", f"Commitment ended: {habit.description}", "",
                                    habit.id))
    results = {c.day: c.result for c in habit.check_ins}
    scores = habits.compute_scores(schedule, results, habit.started_on, end, today=today)
    for day, threshold in habits.milestones(scores):
        events.append(TimelineEvent(_at(day), "habit", f"Habit strength reached {threshold:.0%}",
                                    habit.description, habit.id))
    pending = list(STREAK_MILESTONES)
    for day, run in habits.streak_steps(schedule, results, habit.started_on, end):
        while pending and run >= pending[0]:
            n = pending.pop(0)
            events.append(TimelineEvent(_at(day), "habit", f"Streak of {n} {schedule.unit_for(n)}",
                                        habit.description, habit.id))
    return events


def timeline(ws: Workspace, *, exec_id: int, today: dt.date | None = None,
             kinds: tuple[str, ...] = KINDS) -> list[TimelineEvent]:
    """Every event of the exec, newest first; planned sessions appear at their future date."""
    today = today or dt.date.today()
    events: list[TimelineEvent] = []
    with ws.session() as s:
        if "session" in kinds:
            for cs in s.scalars(select(CoachingSession).where(CoachingSession.exec_id == exec_id)):
                status = {SessionStatus.PLANNED: "planned", SessionStatus.HELD: "held",
                          SessionStatus.CANCELLED: "cancelled"}[cs.status]
                detail = f"{KIND_LABELS[cs.kind]} · {cs.duration_min} min · {status}"
                if cs.outcomes:
                    detail += f" — {cs.outcomes[:160]}"
                events.append(TimelineEvent(cs.starts_at, "session", cs.title or KIND_LABELS[cs.kind], detail, cs.id,
                                            planned=cs.status == SessionStatus.PLANNED))
        if "stage" in kinds:
            for sc in s.scalars(select(StageChange).where(StageChange.exec_id == exec_id)):
                if sc.from_stage is None:
                    title = f"Coaching started at “{sc.stage.label}”"
                elif sc.stage.rank > sc.from_stage.rank:
                    title = f"Moved up to “{sc.stage.label}”"
                else:
                    title = f"Moved back to “{sc.stage.label}”"
                events.append(TimelineEvent(_at(sc.changed_on), "stage", title, sc.reason, sc.id))
        if "habit" in kinds:
            for habit in s.scalars(select(Habit).options(selectinload(Habit.check_ins)).where(Habit.exec_id == exec_id)):
                events.extend(_habit_events(habit, today))
        if "post" in kinds:
            for post in s.scalars(select(PracticePost).where(PracticePost.exec_id == exec_id)):
                title = post.title or "Untitled post"
                events.append(TimelineEvent(post.created_at, "post", f"Draft started: {title}",
                                            post.community, post.id))
                if post.status == PostStatus.PUBLISHED and post.published_on:
                    events.append(TimelineEvent(_at(post.published_on), "post", f"Published: {title}",
                                                post.community, post.id))
    events.sort(key=lambda e: (e.when, KINDS.index(e.kind)), reverse=True)
    return events
