"""Demo practice posts at every status, with revisions, anchored feedback and rubric scores."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from esncoach.demo import DemoContext
from esncoach.models import (
    DraftedBy,
    Exec,
    Feedback,
    LadderStage,
    PostKind,
    PostPrompt,
    PostStatus,
    PracticePost,
    Revision,
    RubricScore,
)

RUBRIC = ["authentic voice", "clarity", "brevity for the kind", "invites a response", "strategic alignment", "tone"]

DRAFTS = [
    (PostKind.SHORT_UPDATE, "Visiting the Lyon plant",
     "Spent the morning with the team at our Lyon plant. Their idea to reuse packaging saved 12 tonnes of "
     "cardboard this quarter, leveraging synergies across the value chain going forward.",
     "Spent the morning with the team at our Lyon plant. Their idea to reuse packaging saved 12 tonnes of "
     "cardboard this quarter. @Marie Dupont, what would it take to do the same in Turin? #sustainability"),
    (PostKind.SHORT_UPDATE, "What I read this week",
     "I read the customer survey results. Interesting.",
     "I read all 400 comments in the customer survey this week. The one that stayed with me: \"you make it "
     "easy to buy and hard to get help\". What would you change first? #customerfirst"),
    (PostKind.LONG_FORM, "Why we are changing how we plan",
     "As you know, the executive committee has decided to move to quarterly planning. This decision was "
     "taken after careful consideration of all relevant factors and stakeholders were consulted.",
     "Last month the executive team decided to plan quarterly instead of yearly. I want to explain why.\n\n"
     "Our markets now move faster than our budget cycle. Twice this year teams waited months for money "
     "they needed in weeks. Quarterly planning lets us fund what works sooner and stop what doesn't.\n\n"
     "It will be messy at first. Tell me where it hurts, in the comments or on #planning."),
    (PostKind.TOUGH_QUESTION_REPLY, "Reply: will the reorganisation mean job cuts?",
     "We cannot comment on speculation.",
     "It's a fair question and you deserve a straight answer. The reorganisation is about how teams work "
     "together, not about reducing headcount. If that changes, you will hear it from me first, here."),
]

PROMPTS = {
    LadderStage.LISTEN: ["What did you read on the network this week that surprised you?"],
    LadderStage.LIKE: ["Which post would you thank someone for today?"],
    LadderStage.COMMENT: ["Thank a team by name for something specific they did."],
    LadderStage.SHORT_UPDATES: ["Share what you read this week and why it matters.", "A photo and two lines from a site visit."],
    LadderStage.LONG_FORM: ["What we decided and why.", "What is happening in my world this month."],
    LadderStage.DIALOGUE: ["Open an Ask-Me-Anything thread.", "Answer the hardest question you heard this month."],
}

STATUS_BY_STAGE = [PostStatus.DRAFT, PostStatus.IN_REVIEW, PostStatus.CHANGES_REQUESTED, PostStatus.READY, PostStatus.PUBLISHED]


def build(s: Session, ctx: DemoContext) -> None:
    for stage, texts in PROMPTS.items():
        s.add_all(PostPrompt(stage=stage, text=t) for t in texts)
    for ex in s.scalars(select(Exec).where(Exec.stage.in_(list(LadderStage)[2:])).order_by(Exec.id)):
        n_posts = 1 + ex.stage.rank
        for i in range(n_posts):
            kind, title, first, second = DRAFTS[(ex.id + i) % len(DRAFTS)]
            status = STATUS_BY_STAGE[min(len(STATUS_BY_STAGE) - 1, (ex.id + i * 2) % len(STATUS_BY_STAGE))]
            created = ctx.today - dt.timedelta(days=10 + (n_posts - i) * 18 + ctx.rng.randint(0, 5))
            post = PracticePost(
                exec_id=ex.id, kind=kind, title=title, community="Leadership Corner", status=status,
                drafted_by=DraftedBy.ASSISTANT if (ex.id + i) % 5 == 0 else DraftedBy.EXEC, stage=ex.stage,
                created_at=dt.datetime.combine(created, dt.time(10)),
            )
            if status == PostStatus.PUBLISHED:
                post.published_on = created + dt.timedelta(days=9)
                post.published_url = f"https://engage.example.com/threads/{100000 + ex.id * 100 + i}"
            s.add(post)
            s.flush()
            rev1 = Revision(post_id=post.id, number=1, text=first, created_at=dt.datetime.combine(created, dt.time(10)))
            s.add(rev1)
            s.flush()
            anchor = first.split(".")[0]
            s.add(Feedback(revision_id=rev1.id, author="CM", anchor_start=0, anchor_end=len(anchor), quoted_text=anchor,
                           comment="Lovely concrete opening. Can you end with a question to invite replies?",
                           resolved=status != PostStatus.DRAFT))
            for c, criterion in enumerate(RUBRIC):
                s.add(RubricScore(revision_id=rev1.id, criterion=criterion, score=2 + (c + i) % 2, note=""))
            if status != PostStatus.DRAFT:
                rev2 = Revision(post_id=post.id, number=2, text=second,
                                created_at=dt.datetime.combine(created + dt.timedelta(days=4), dt.time(15)))
                s.add(rev2)
                s.flush()
                for c, criterion in enumerate(RUBRIC):
                    s.add(RubricScore(revision_id=rev2.id, criterion=criterion, score=3 + (c + i + ex.id) % 3,
                                      note="Much better" if c == 0 else ""))
