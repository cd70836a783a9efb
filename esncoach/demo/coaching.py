"""Demo sessions of every kind over each exec's coaching period: agendas from the stage they were at,
notes, outcomes, action items with owners (carried over while open), a few cancellations, and the
next planned session. Two execs are deliberately neglected so the "needs attention" list has a story."""

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
    StageChange,
    SupportRole,
)

TEMPLATES = {
    LadderStage.LISTEN: "- Tour of the activity stream on phone and laptop\n- Follow 5 communities that matter to the business\n- Turn notifications down to what matters\n- Agree: 5 minutes each morning reading the stream",
    LadderStage.LIKE: "- Review what caught their eye this week\n- Practise liking and praising (it costs nothing, it means a lot)\n- Agree: like 3 posts a week",
    LadderStage.COMMENT: "- Read a thread together; draft one reply\n- @mention someone to thank them\n- Agree: one comment a week",
    LadderStage.SHORT_UPDATES: "- Review the private-space drafts\n- Short update: what I read / saw / decided this week\n- Agree: one short update every two weeks",
    LadderStage.LONG_FORM: "- Review the long-form draft and feedback\n- Why the exec team decided as it did: structure the story\n- Plan the publication date",
    LadderStage.DIALOGUE: "- Rehearse answers to tough questions\n- Plan an open Q&A (AMA) in the all-company community\n- Agree how the assistant flags discussions to join",
}

# (title, how it went, outcome) per stage, used in order as sessions at that stage go by.
TOPICS = {
    LadderStage.LISTEN: [
        ("First tour of the activity stream", "Surprised by the number of questions in the town-hall thread.",
         "Installed the mobile app; follows 5 communities."),
        ("Notifications and communities", "Felt overwhelmed by notifications at first.",
         "Notifications trimmed to mentions and two communities."),
    ],
    LadderStage.LIKE: [
        ("Liking and praising", "Liked three posts during the session; felt easy.",
         "Agreed to like three posts a week, starting with the operations community."),
        ("What a like means to a team", "Read replies thanking a VP for a like — convinced.",
         "Will praise the Lyon plant team's safety record."),
    ],
    LadderStage.COMMENT: [
        ("First comment", "Drafted a reply together; worried about tone.",
         "Posted a first comment thanking the Lyon plant team."),
        ("Mentions and thanks", "Comfortable with short comments now.", "Will @mention one person a week to thank them."),
    ],
    LadderStage.SHORT_UPDATES: [
        ("Private-space draft review", "Draft is warm but long.", "Agreed to cut the update to 80 words."),
        ("Short update rhythm", "Published two updates; good response.", "One short update every two weeks."),
    ],
    LadderStage.LONG_FORM: [
        ("Long-form draft review", "Strong story, too much jargon.", "Revise: cut jargon, end with a question."),
        ("Publishing plan", "Ready to publish after legal check.", "Publication planned after the quarterly results."),
    ],
    LadderStage.DIALOGUE: [
        ("Tough questions rehearsal", "Practised answering a question about the reorganisation honestly.",
         "Will answer the hybrid-work question thread personally."),
        ("AMA planning", "Keen on an open Q&A; nervous about hostile questions.",
         "AMA booked in the all-company community; assistant collects questions."),
    ],
}

ACTIONS = {
    SessionKind.ONE_ON_ONE: [(ActionOwner.EXEC, "Read the stream for 5 minutes each morning"),
                             (ActionOwner.CM, "Send a one-page cheat sheet of the app's gestures")],
    SessionKind.REVERSE_MENTORING: [(ActionOwner.MENTOR, "Share a short guide to @mentions and #topics"),
                                    (ActionOwner.EXEC, "Try one @mention this week")],
    SessionKind.ASSISTANT_BRIEFING: [(ActionOwner.ASSISTANT, "Flag two discussions worth joining each week"),
                                     (ActionOwner.ASSISTANT, "Collect unanswered questions addressed to the exec")],
    SessionKind.PRIVATE_SPACE_REVIEW: [(ActionOwner.EXEC, "Revise the draft: cut jargon, end with a question"),
                                       (ActionOwner.CM, "Send feedback on the draft by Thursday")],
}

KIND_CYCLE = [SessionKind.ONE_ON_ONE, SessionKind.REVERSE_MENTORING, SessionKind.ONE_ON_ONE,
              SessionKind.ASSISTANT_BRIEFING, SessionKind.PRIVATE_SPACE_REVIEW]
MOODS = ["curious", "hesitant", "energised", "short of time", "relaxed", "sceptical but game"]
NEGLECTED = {"Greta Lindqvist": 41}  # days since the last session, none planned
OVERDUE = {"Bruno Castillo"}  # open items left well past their due date


def _stage_on(changes: list[StageChange], day: dt.date) -> LadderStage:
    stage = changes[0].stage
    for c in changes:
        if c.changed_on <= day:
            stage = c.stage
    return stage


def build(s: Session, ctx: DemoContext) -> None:
    for stage, text in TEMPLATES.items():
        s.add(AgendaTemplate(stage=stage, text=text))
    for ex in s.scalars(select(Exec).order_by(Exec.id)):
        support = {role: pid for role, pid in s.execute(
            select(ExecSupport.role, ExecSupport.person_id).where(ExecSupport.exec_id == ex.id))}
        changes = list(s.scalars(select(StageChange).where(StageChange.exec_id == ex.id)
                                 .order_by(StageChange.changed_on, StageChange.id)))
        _build_exec(s, ctx, ex, support, changes)


def _build_exec(s: Session, ctx: DemoContext, ex: Exec, support: dict[SupportRole, int],
                changes: list[StageChange]) -> None:
    first = changes[0].changed_on + dt.timedelta(days=2)
    last_allowed = ctx.today - dt.timedelta(days=NEGLECTED.get(ex.name, 1))
    open_items: list[ActionItem] = []
    topic_index: dict[LadderStage, int] = {}
    day, n = first, 0
    while day <= last_allowed:
        if day.weekday() >= 5:
            day += dt.timedelta(days=7 - day.weekday())
            continue
        stage = _stage_on(changes, day)
        kind = KIND_CYCLE[n % len(KIND_CYCLE)]
        if kind == SessionKind.PRIVATE_SPACE_REVIEW and stage.rank < LadderStage.SHORT_UPDATES.rank:
            kind = SessionKind.ONE_ON_ONE
        cancelled = n > 2 and ctx.rng.random() < 0.08
        topics = TOPICS[stage]
        k = topic_index.get(stage, 0)
        title, how, outcome = topics[k % len(topics)]
        if kind == SessionKind.REVERSE_MENTORING:
            title = "Reverse mentoring: " + title.lower()
        elif kind == SessionKind.PRIVATE_SPACE_REVIEW and not title.startswith("Private-space"):
            title = "Private-space review: " + title.lower()
        elif kind == SessionKind.ASSISTANT_BRIEFING:
            title, outcome = "Assistant briefing", "Assistant briefed on the themes to watch this month."
        session = CoachingSession(
            exec_id=ex.id, kind=kind, status=SessionStatus.CANCELLED if cancelled else SessionStatus.HELD,
            title=title, starts_at=dt.datetime.combine(day, dt.time(8 + ctx.rng.randint(0, 8), ctx.rng.choice([0, 30]))),
            duration_min=ctx.rng.choice([30, 30, 45, 60]),
            mentor_id=support.get(SupportRole.REVERSE_MENTOR) if kind == SessionKind.REVERSE_MENTORING else None,
            agenda=TEMPLATES[stage],
            notes="" if cancelled else f"{ex.name.split()[0]} was {ctx.rng.choice(MOODS)}. {how}",
            outcomes="" if cancelled else outcome,
        )
        s.add(session)
        s.flush()
        if cancelled:
            session.notes = ctx.rng.choice(["Board meeting overran.", "Travelling; rescheduled."])
        else:
            topic_index[stage] = k + 1
            still_open = []
            for item in open_items:  # carry over what is still open, as the app does
                if item.done:
                    continue
                copy = ActionItem(exec_id=ex.id, session_id=session.id, carried_from_id=item.id, text=item.text,
                                  owner=item.owner, owner_person_id=item.owner_person_id, due=item.due)
                s.add(copy)
                still_open.append(copy)
            open_items = still_open
            for owner, text in ACTIONS[kind][: 1 + ctx.rng.randint(0, 1)]:
                person = {ActionOwner.ASSISTANT: support.get(SupportRole.ASSISTANT),
                          ActionOwner.MENTOR: support.get(SupportRole.REVERSE_MENTOR)}.get(owner)
                item = ActionItem(exec_id=ex.id, session_id=session.id, text=text, owner=owner,
                                  owner_person_id=person, due=day + dt.timedelta(days=ctx.rng.choice([7, 10, 14])))
                s.add(item)
                open_items.append(item)
            s.flush()
            for item in open_items:
                _maybe_complete(s, ctx, ex, item)
        n += 1
        day += dt.timedelta(days=ctx.rng.choice([10, 14, 14, 17, 21]))
    if ex.name not in NEGLECTED:
        planned_day = ctx.today + dt.timedelta(days=2 + ex.id % 8)
        while planned_day.weekday() >= 5:
            planned_day += dt.timedelta(days=1)
        s.add(CoachingSession(
            exec_id=ex.id, kind=SessionKind.ONE_ON_ONE, status=SessionStatus.PLANNED,
            title=f"{ex.stage.label}: coaching session", starts_at=dt.datetime.combine(planned_day, dt.time(9, 30)),
            duration_min=45, agenda=TEMPLATES[ex.stage],
        ))


def _maybe_complete(s: Session, ctx: DemoContext, ex: Exec, item: ActionItem) -> None:
    """Most items get done a little before or after they fall due; the OVERDUE exec lets things slide."""
    if item.due is None or item.done:
        return
    finish = item.due + dt.timedelta(days=ctx.rng.randint(-4, 3))
    if finish >= ctx.today or (ex.name in OVERDUE and item.due >= ctx.today - dt.timedelta(days=40)):
        return
    if ctx.rng.random() < 0.85:
        chain: ActionItem | None = item
        while chain is not None:
            chain.done, chain.done_on = True, finish
            chain = s.get(ActionItem, chain.carried_from_id) if chain.carried_from_id else None
