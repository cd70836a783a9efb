"""Demo sessions of every kind, with agendas, notes, outcomes and action items, and agenda templates."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from esncoach.demo import DemoContext
from esncoach.models import (
    ActionItem,
    ActionOwner,
    AgendaTemplate,
    CoachingSession,
    Exec,
    ExecSupport,
    LadderStage,
    SessionKind,
    SessionStatus,
    SupportRole,
)

TEMPLATES = {
    LadderStage.LISTEN: "- Tour of the activity stream on phone and laptop\n- Follow 5 communities that matter to the business\n- Agree: 5 minutes each morning reading the stream",
    LadderStage.LIKE: "- Review what caught their eye this week\n- Practise liking and praising (it costs nothing, it means a lot)\n- Agree: like 3 posts a week",
    LadderStage.COMMENT: "- Read a thread together; draft one reply\n- @mention someone to thank them\n- Agree: one comment a week",
    LadderStage.SHORT_UPDATES: "- Review the private-space drafts\n- Short update: what I read / saw / decided this week\n- Agree: one short update every two weeks",
    LadderStage.LONG_FORM: "- Review the long-form draft and feedback\n- Why the exec team decided as it did: structure the story\n- Plan the publication date",
    LadderStage.DIALOGUE: "- Rehearse answers to tough questions\n- Plan an open Q&A (AMA) in the all-company community\n- Agree how the assistant flags discussions to join",
}

TOPICS = [
    ("First tour of the stream", "Found the CEO's town-hall thread; surprised by the number of questions."),
    ("Liking and praising", "Liked three posts during the session; felt easy."),
    ("First comment", "Wrote a first comment thanking the Lyon plant team."),
    ("Private-space draft review", "Draft is warm but long; agreed to cut to 80 words."),
    ("Reverse mentoring: hashtags and mentions", "Mentor showed how #topics gather conversations."),
    ("Assistant briefing", "Assistant will flag unanswered questions addressed to the exec."),
    ("Tough questions rehearsal", "Practised answering a question about the reorganisation honestly."),
]

ACTIONS = [
    (ActionOwner.EXEC, "Read the stream for 5 minutes each morning"),
    (ActionOwner.EXEC, "Like three posts from the operations community"),
    (ActionOwner.ASSISTANT, "Flag two discussions worth joining each week"),
    (ActionOwner.MENTOR, "Share a short guide to @mentions"),
    (ActionOwner.CM, "Send feedback on the draft by Thursday"),
    (ActionOwner.EXEC, "Revise the draft: cut jargon, end with a question"),
]

KIND_CYCLE = [SessionKind.ONE_ON_ONE, SessionKind.REVERSE_MENTORING, SessionKind.ONE_ON_ONE,
              SessionKind.PRIVATE_SPACE_REVIEW, SessionKind.ASSISTANT_BRIEFING]


def build(s: Session, ctx: DemoContext) -> None:
    for stage, text in TEMPLATES.items():
        s.add(AgendaTemplate(stage=stage, text=text))
    for ex in s.scalars(select(Exec).order_by(Exec.id)):
        mentor_id = s.scalar(
            select(ExecSupport.person_id).where(ExecSupport.exec_id == ex.id, ExecSupport.role == SupportRole.REVERSE_MENTOR)
        )
        count = 3 + ex.stage.rank * 2
        first = ctx.today - dt.timedelta(days=min(175, 20 + ex.stage.rank * 30))
        gap = max(7, (ctx.today - first).days // count)
        for n in range(count):
            day = first + dt.timedelta(days=n * gap + ctx.rng.randint(0, 2))
            if day >= ctx.today:
                break
            kind = KIND_CYCLE[n % len(KIND_CYCLE)]
            title, outcome = TOPICS[(n + ex.id) % len(TOPICS)]
            session = CoachingSession(
                exec_id=ex.id, kind=kind, status=SessionStatus.HELD, title=f"Session {n + 1} — {title.lower()}",
                starts_at=dt.datetime.combine(day, dt.time(8 + ctx.rng.randint(0, 8), 0)),
                duration_min=ctx.rng.choice([30, 45, 60]),
                mentor_id=mentor_id if kind == SessionKind.REVERSE_MENTORING else None,
                agenda=TEMPLATES[ex.stage if n == count - 1 else list(LadderStage)[min(ex.stage.rank, n // 2)]],
                notes=f"{ex.name.split()[0]} was {ctx.rng.choice(['curious', 'hesitant', 'energised', 'short of time'])}. {outcome}",
                outcomes=outcome,
            )
            s.add(session)
            s.flush()
            owner, text = ACTIONS[(n + ex.id) % len(ACTIONS)]
            due = day + dt.timedelta(days=7)
            done = due < ctx.today - dt.timedelta(days=5) and ctx.rng.random() < 0.8
            s.add(ActionItem(exec_id=ex.id, session_id=session.id, text=text, owner=owner, due=due,
                             done=done, done_on=due - dt.timedelta(days=1) if done else None))
        planned = dt.datetime.combine(ctx.today + dt.timedelta(days=3 + ex.id % 7), dt.time(9, 30))
        s.add(CoachingSession(exec_id=ex.id, kind=SessionKind.ONE_ON_ONE, status=SessionStatus.PLANNED,
                              title="Next coaching session", starts_at=planned, duration_min=45,
                              agenda=TEMPLATES[ex.stage]))
