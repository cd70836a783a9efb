"""Demo practice posts at every status, with revision rounds, anchored feedback and improving rubric scores.

Each story is a post as it really goes: a stiff first draft, the CM's comments on passages, a better
second (and sometimes third) round. Execs get stories that fit their ladder stage, at statuses that
show the whole workflow; one comment's passage is cut in a later round, so it shows as detached.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from esncoach.demo import DemoContext
from esncoach.models import (
    DraftedBy,
    Exec,
    Feedback,
    PostKind,
    PostPrompt,
    PostStatus,
    PracticePost,
    Revision,
    RubricScore,
)
from esncoach.services.feedback import DEFAULT_CRITERIA
from esncoach.services.prompts import DEFAULT_PROMPTS


@dataclass(frozen=True)
class Story:
    """A post's rounds of text, the CM's comments per round (quoted passage or "" for the whole post) and scores."""

    key: str
    kind: PostKind
    title: str
    community: str
    texts: tuple[str, ...]
    comments: tuple[tuple[int, str, str], ...]
    scores: tuple[tuple[int, ...], ...]
    notes: dict[tuple[int, str], str] = field(default_factory=dict)


STORIES = {s.key: s for s in [
    Story(
        "lyon", PostKind.SHORT_UPDATE, "Visiting the Lyon plant", "Plant Operations",
        ("Spent the morning with the team at our Lyon plant. Their idea to reuse packaging saved 12 tonnes of "
         "cardboard this quarter, leveraging synergies across the value chain going forward.",
         "Spent the morning with the packaging team at our Lyon plant. Their idea to reuse inbound boxes saved "
         "12 tonnes of cardboard this quarter. @marie.dupont, what would it take to do the same in Turin? "
         "#sustainability"),
        ((0, "Spent the morning with the team at our Lyon plant",
          "Lovely concrete opening. Which team? Naming them is the whole point of the post."),
         (0, "leveraging synergies across the value chain going forward",
          "This is where people stop reading. What did it actually change? Then end with a question.")),
        ((3, 3, 2, 1, 4, 3), (4, 4, 4, 5, 4, 4)),
        {(1, "Invites a response"): "The question to Marie by name is perfect."},
    ),
    Story(
        "reading", PostKind.SHORT_UPDATE, "What I read this week", "Leadership Corner",
        ("I read the customer survey results. Interesting.",
         "I read all 400 comments in the customer survey this week. The one that stayed with me: \"you make it "
         "easy to buy and hard to get help\". What would you change first? #customerfirst"),
        ((0, "Interesting.", "Interesting how? One sentence on what struck you makes this yours."),
         (0, "", "Short is good; this is too short to start a conversation.")),
        ((2, 2, 4, 1, 2, 3), (4, 4, 4, 5, 4, 4)),
        {(1, "Authentic voice"): "Sounds like you in the corridor.", (0, "Invites a response"): "No hook yet."},
    ),
    Story(
        "planning", PostKind.LONG_FORM, "Why we are changing how we plan", "All Company",
        ("As you know, the executive committee has decided to move to quarterly planning. This decision was "
         "taken after careful consideration of all relevant factors and stakeholders were consulted. Further "
         "information will be communicated by Finance in due course.",
         "Last month the executive team decided to plan quarterly instead of yearly. I want to explain why.\n\n"
         "Our markets now move faster than our budget cycle. Twice this year teams waited months for money "
         "they needed in weeks. Quarterly planning lets us fund what works sooner and stop what doesn't.\n\n"
         "It will be messy at first. Finance will share the new calendar next week.",
         "Last month the executive team decided to plan quarterly instead of yearly. I want to explain why.\n\n"
         "Our markets now move faster than our budget cycle. Twice this year teams waited months for money "
         "they needed in weeks: the Porto service desk waited until July for two people it needed in March. "
         "Quarterly planning lets us fund what works sooner and stop what doesn't.\n\n"
         "It will be messy at first. Tell me where it hurts, in the comments or on #planning, and I will "
         "answer every question here by Friday."),
        ((0, "As you know, the executive committee has decided",
          "Say \"we decided\". It was your decision too, and people want to hear it from you."),
         (0, "stakeholders were consulted", "Passive, and vague: who did you talk to? One name makes it real."),
         (0, "Further information will be communicated by Finance in due course",
          "This closes the door. Invite questions instead."),
         (1, "Twice this year teams waited months for money",
          "Good. Can you give one example people will recognise?"),
         (1, "Finance will share the new calendar next week.",
          "Fine, but end with what you want from readers.")),
        ((2, 2, 3, 1, 4, 2), (4, 4, 3, 2, 4, 4), (5, 4, 4, 5, 5, 4)),
        {(2, "Strategic alignment"): "Clear line from the decision to the why."},
    ),
    Story(
        "reorg", PostKind.TOUGH_QUESTION_REPLY, "Reply: will the reorganisation mean job cuts?", "Ask the Leadership",
        ("We cannot comment on speculation regarding organisational matters.",
         "It's a fair question and you deserve a straight answer. The reorganisation is about how teams work "
         "together, not about reducing headcount. If that changes, you will hear it from me first, here."),
        ((0, "We cannot comment on speculation",
          "This will read as a yes. Say what you can say, and when you will say more."),),
        ((1, 3, 5, 1, 2, 1), (4, 5, 5, 3, 4, 4)),
        {(1, "Tone"): "Warm and direct. Exactly right for a tough question."},
    ),
    Story(
        "thanks", PostKind.SHORT_UPDATE, "Thank you, night shift", "Customer Service",
        ("A big thank you to all our colleagues for their hard work during the recent outage.",
         "A big thank you to the Customer Service night shift, who answered 1,200 calls during Tuesday's "
         "outage, and to Joao, who wrote the workaround at 3am. @liam.oconnor, please pass this on."),
        ((0, "A big thank you to all our colleagues",
          "Name one person or one moment: it makes thanks real."),),
        ((3, 3, 5, 2, 3, 4), (5, 4, 5, 3, 3, 5)),
    ),
    Story(
        "world", PostKind.LONG_FORM, "What is happening in my world this month", "Leadership Corner",
        ("This month I am spending most of my time on three things: the Porto service centre opening, our "
         "supplier review, and hiring a new head of data.\n\nPorto first. We chose it because",),
        ((0, "three things", "Good structure. One short paragraph each is plenty."),),
        (),
    ),
]}

# Per ladder stage: (story, status, rounds) oldest first; rounds = how many revisions exist.
PLANS = {
    "dialogue": [("lyon", PostStatus.PUBLISHED, 2), ("planning", PostStatus.PUBLISHED, 3),
                 ("reorg", PostStatus.PUBLISHED, 2), ("reading", PostStatus.READY, 2),
                 ("world", PostStatus.IN_REVIEW, 1)],
    "long_form_a": [("lyon", PostStatus.PUBLISHED, 2), ("thanks", PostStatus.READY, 2),
                    ("planning", PostStatus.CHANGES_REQUESTED, 2)],
    "long_form_b": [("reading", PostStatus.PUBLISHED, 2), ("planning", PostStatus.IN_REVIEW, 2),
                    ("world", PostStatus.DRAFT, 1)],
    "short_updates_a": [("reading", PostStatus.PUBLISHED, 2), ("lyon", PostStatus.CHANGES_REQUESTED, 1),
                        ("thanks", PostStatus.DRAFT, 1)],
    "short_updates_b": [("thanks", PostStatus.PUBLISHED, 2), ("reading", PostStatus.IN_REVIEW, 1)],
    "comment": [("thanks", PostStatus.DRAFT, 1)],
}
ROUND_DAYS = 4
POST_SPACING_DAYS = 17


def _plan_for(ex: Exec, index_at_stage: int) -> list[tuple[str, PostStatus, int]]:
    stage = ex.stage.value
    if stage in ("long_form", "short_updates"):
        return PLANS[f"{stage}_{'ab'[index_at_stage % 2]}"]
    return PLANS.get(stage, [])


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour))


def _build_post(s: Session, ctx: DemoContext, ex: Exec, story: Story, status: PostStatus, rounds: int,
                base: dt.date, drafted_by: DraftedBy, serial: int, practice: int) -> None:
    rounds = min(rounds, len(story.texts))
    last_day = base + dt.timedelta(days=ROUND_DAYS * (rounds - 1))
    post = PracticePost(
        exec_id=ex.id, kind=story.kind, title=story.title, community=story.community, status=status,
        drafted_by=drafted_by, stage=ex.stage, created_at=_at(base, 9), updated_at=_at(last_day, 17),
    )
    if status == PostStatus.PUBLISHED:
        post.published_on = last_day + dt.timedelta(days=2)
        post.published_url = f"https://engage.example.com/threads/{480000 + serial * 37}"
    s.add(post)
    s.flush()
    # Which rounds the CM has finished reviewing (scored, comments dealt with or open for the exec).
    reviewed = {
        PostStatus.DRAFT: 0, PostStatus.IN_REVIEW: rounds - 1, PostStatus.CHANGES_REQUESTED: rounds,
        PostStatus.READY: rounds, PostStatus.PUBLISHED: rounds,
    }[status]
    texts = list(story.texts[:rounds])
    if status == PostStatus.CHANGES_REQUESTED:
        # The working copy: the exec has begun revising the round the CM returned.
        texts.append(story.texts[rounds] if rounds < len(story.texts) else story.texts[rounds - 1])
    for number, text in enumerate(texts, start=1):
        day = base + dt.timedelta(days=ROUND_DAYS * (number - 1))
        rev = Revision(post_id=post.id, number=number, text=text, created_at=_at(day, 10 + number),
                       updated_at=_at(day, 16))
        s.add(rev)
        s.flush()
        i = number - 1
        commented = i < reviewed or (status in (PostStatus.DRAFT, PostStatus.IN_REVIEW) and i == len(texts) - 1)
        for c_round, quote, comment in story.comments:
            if c_round != i or not commented:
                continue
            start = text.find(quote) if quote else -1
            still_open = (status == PostStatus.CHANGES_REQUESTED and i == reviewed - 1) or i >= reviewed
            s.add(Feedback(
                revision_id=rev.id, author="CM", comment=comment, resolved=not still_open,
                anchor_start=start if start >= 0 else None, anchor_end=start + len(quote) if start >= 0 else None,
                quoted_text=quote if start >= 0 else "", created_at=_at(day + dt.timedelta(days=1), 9),
            ))
        if i < reviewed and i < len(story.scores):
            for criterion, score in zip(DEFAULT_CRITERIA, story.scores[i], strict=True):
                # Later first drafts start better: the exec has practised ``practice`` posts already.
                lifted = min(5, score + (min(practice, 2) if i == 0 else 0))
                jitter = ctx.rng.choice((0, 0, 0, -1, 1)) if 1 < lifted < 5 else 0
                s.add(RubricScore(revision_id=rev.id, criterion=criterion, score=lifted + jitter,
                                  note=story.notes.get((i, criterion), ""),
                                  created_at=_at(day + dt.timedelta(days=1), 9)))


def build(s: Session, ctx: DemoContext) -> None:
    for stage, texts in DEFAULT_PROMPTS.items():
        s.add_all(PostPrompt(stage=stage, text=t) for t in texts)
    seen_at_stage: dict[str, int] = {}
    serial = 0
    for ex in s.scalars(select(Exec).order_by(Exec.id)):
        index = seen_at_stage.get(ex.stage.value, 0)
        seen_at_stage[ex.stage.value] = index + 1
        plan = _plan_for(ex, index)
        for j, (key, status, rounds) in enumerate(plan):
            story = STORIES[key]
            span = ROUND_DAYS * (rounds - (0 if status == PostStatus.CHANGES_REQUESTED else 1)) + 3
            base = ctx.today - dt.timedelta(days=(len(plan) - j - 1) * POST_SPACING_DAYS + span + ctx.rng.randint(0, 2))
            drafted_by = DraftedBy.ASSISTANT if key == "world" else DraftedBy.CM if (key == "thanks" and index) \
                else DraftedBy.EXEC
            serial += 1
            _build_post(s, ctx, ex, story, status, rounds, base, drafted_by, serial, j)
