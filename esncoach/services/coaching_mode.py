"""What the on-screen coaching mode shows and records — for exactly one exec, never another.

Coaching mode holds one session: it picks the exec's planned session for today (the nearest planned one
when the CM agrees, or a new one from the stage's agenda template with the open items carried over),
shows a brief built only from this exec's data, records everything typed into that session as it is
typed, and marks it held on leaving — unless nothing was noted, ticked or changed and the CM says so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select

from esncoach.models import CoachingSession, Exec, LadderStage, SessionStatus
from esncoach.services import habits, leaders, redaction, sessions, validation
from esncoach.services.habits import HabitStatus
from esncoach.services.sessions import ActionItemInput, ActionItemRow, SessionRow
from esncoach.store.errors import ValidationError
from esncoach.store.workspace import Workspace

SAME_SESSION_WINDOW = dt.timedelta(hours=12)
QUICK_NOTE_MAX = 2_000


@dataclass(frozen=True)
class CoachingBrief:
    """Everything the coaching screen may show; built from one exec's records only."""

    exec_id: int
    exec_name: str
    exec_title: str
    stage: LadderStage
    next_stage: LadderStage | None
    private_notes: str
    session: SessionRow
    previous: SessionRow | None
    commitments: tuple[ActionItemRow, ...]
    habit: HabitStatus | None
    redactor: redaction.Redactor = field(compare=False, repr=False)
    """Applied to every text the screen shows (never to what is stored)."""
    responsiveness: leaders.Responsiveness | None = None
    """Replies and @-mentions the exec answered and the ones still waiting (from Messages.csv imports)."""

    def shown(self, text: str) -> str:
        """``text`` as the shared screen may show it: other people replaced."""
        return self.redactor(text)


def _planned(s, exec_id: int) -> list[CoachingSession]:  # type: ignore[no-untyped-def]
    return list(s.scalars(select(CoachingSession).where(CoachingSession.exec_id == exec_id,
                                                        CoachingSession.status == SessionStatus.PLANNED)))


def _is_today(cs: CoachingSession, now: dt.datetime) -> bool:
    return cs.starts_at.date() == now.date() or abs(cs.starts_at - now) <= SAME_SESSION_WINDOW


def planned_session(ws: Workspace, *, exec_id: int, now: dt.datetime | None = None) -> tuple[SessionRow | None, bool]:
    """The planned session coaching mode should hold: today's (``True``), else the nearest planned one
    before or after today (``False``: the CM is asked first), else ``(None, False)``."""
    now = now or dt.datetime.now()
    with ws.session() as s:
        planned = _planned(s, exec_id)
        if not planned:
            return None, False
        nearest = min(planned, key=lambda cs: (abs(cs.starts_at - now), cs.id))
        today = _is_today(nearest, now)
        session_id = nearest.id
    return sessions.get_session(ws, session_id), today


def begin_session(ws: Workspace, *, exec_id: int, session_id: int | None = None, now: dt.datetime | None = None) -> int:
    """The session to hold now: the given one, the one planned for today, or a new one from the template."""
    now = now or dt.datetime.now()
    with ws.session() as s:
        if s.get(Exec, exec_id) is None:
            raise ValidationError("exec", "That executive no longer exists.")
        if session_id is not None:
            cs = s.get(CoachingSession, session_id)
            if cs is None or cs.exec_id != exec_id:
                raise ValidationError("session", "That session no longer exists.")
            return cs.id
        today = [cs for cs in _planned(s, exec_id) if _is_today(cs, now)]
        if today:
            return min(today, key=lambda cs: (abs(cs.starts_at - now), cs.id)).id
    draft = sessions.new_session_draft(ws, exec_id=exec_id, now=now)
    start = now.replace(second=0, microsecond=0)
    carried = [ActionItemInput(text=i.text, owner=i.owner, due=i.due, owner_person_id=i.owner_person_id,
                               carried_from_id=i.id) for i in draft.carried_items]
    return sessions.save_session(
        ws, exec_id=exec_id, starts_at=start, ends_at=start + dt.timedelta(minutes=draft.duration_min),
        title=draft.title, kind=draft.kind, status=SessionStatus.PLANNED, mentor_id=draft.mentor_id,
        agenda=draft.agenda, action_items=carried, today=now.date(),
    )


def abandon(ws: Workspace, *, session_id: int, created: bool) -> None:
    """Leave coaching mode without recording a held session: a session coaching mode made is removed
    (its carried items go back to the earlier session), a planned one stays planned, untouched."""
    if created:
        sessions.delete_session(ws, session_id=session_id)


def brief(ws: Workspace, *, exec_id: int, session_id: int, today: dt.date | None = None) -> CoachingBrief:
    """The exec, the session being held, the previous session's commitments and the current habit."""
    session = sessions.get_session(ws, session_id)
    if session.exec_id != exec_id:
        raise ValidationError("session", "That session belongs to someone else.")
    with ws.session() as s:
        ex = s.get(Exec, exec_id)
        if ex is None:
            raise ValidationError("exec", "That executive no longer exists.")
        name, title, stage, notes = ex.name, ex.title, ex.stage, ex.private_notes
    previous = sessions.last_held(ws, exec_id=exec_id, before=session.starts_at)
    if previous is None:
        held = sessions.last_held(ws, exec_id=exec_id)
        previous = held if held is not None and held.id != session.id else None
    commitments = previous.action_items if previous is not None else ()
    return CoachingBrief(
        exec_id=exec_id, exec_name=name, exec_title=title, stage=stage, next_stage=stage.next(),
        private_notes=notes, session=session, previous=previous, commitments=tuple(commitments),
        habit=habits.habit_status(ws, exec_id=exec_id, today=today),
        redactor=screen_redactor(ws, exec_id=exec_id),
        responsiveness=leaders.responsiveness(ws, exec_id=exec_id),
    )


def screen_redactor(ws: Workspace, *, exec_id: int) -> redaction.Redactor:
    """The redactor for the shared screen: every spelling of everyone else, first names alone included."""
    return redaction.for_exec(ws, exec_id=exec_id, ambiguous="replace")


def record(
    ws: Workspace, *, session_id: int, agenda: str, notes: str, outcomes: str, expected_version: int | None = None
) -> int:
    """Store what was typed so far (called by autosave every few seconds and on leaving); returns the
    session's new version. With ``expected_version`` a save over a colleague's newer one is refused with
    a ConflictError holding both notes."""
    from esncoach.services.team_conflicts import expect_version

    clean = {
        "agenda": validation.text(agenda, "agenda", max_len=sessions.TEXT_MAX),
        "outcomes": validation.text(outcomes, "outcomes", max_len=sessions.TEXT_MAX),
    }
    if len(notes) > sessions.TEXT_MAX:
        raise ValidationError("notes", f"Notes are {len(notes):,} characters; the limit is {sessions.TEXT_MAX:,}.")
    with ws.session() as s:
        cs = s.get(CoachingSession, session_id)
        if cs is None:
            raise ValidationError("session", "That session no longer exists.")
        expect_version(cs, expected_version, what="this session's notes", theirs=cs.notes, yours=notes)
        cs.agenda, cs.notes, cs.outcomes = clean["agenda"], notes, clean["outcomes"]
        s.flush()
        return cs.version


def quick_note_line(text: str, at: dt.datetime) -> str:
    """A time-stamped line for the session notes, e.g. '[10:42] Wants to post about the plant visit'."""
    cleaned = " ".join(text.split())
    if not cleaned:
        raise ValidationError("note", "The note is empty.")
    if len(cleaned) > QUICK_NOTE_MAX:
        raise ValidationError("note", f"A quick note is limited to {QUICK_NOTE_MAX:,} characters; use the notes page.")
    return f"[{at:%H:%M}] {cleaned}"


def finish(ws: Workspace, *, session_id: int, started_at: dt.datetime, ended_at: dt.datetime) -> SessionRow:
    """Mark the session held, starting when coaching mode opened and lasting until it closed."""
    minutes = max(1, round((ended_at - started_at).total_seconds() / 60))
    minutes = min(minutes, sessions.MAX_DURATION_MIN)
    with ws.session() as s:
        cs = s.get(CoachingSession, session_id)
        if cs is None:
            raise ValidationError("session", "That session no longer exists.")
        cs.status = SessionStatus.HELD
        cs.starts_at = started_at.replace(microsecond=0)
        cs.duration_min = minutes
    return sessions.get_session(ws, session_id)
