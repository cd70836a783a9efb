"""Demo execs across every ladder stage, their mentors, assistants and sponsors, and tags."""

from __future__ import annotations

import datetime as dt
import unicodedata

from sqlalchemy.orm import Session

from esncoach.demo import DemoContext
from esncoach.models import Exec, ExecSupport, LadderStage, Person, StageChange, SupportRole, Tag, WatchTheme

L = LadderStage
# name, title, department, stage reached today, days since joining the network (None = not yet)
EXECS: list[tuple[str, str, str, LadderStage, int | None]] = [
    ("Amelia Hart", "Chief Executive Officer", "Executive Office", L.DIALOGUE, 170),
    ("Bruno Castillo", "Chief Financial Officer", "Finance", L.LONG_FORM, 150),
    ("Chen Wei", "Chief Technology Officer", "Technology", L.LONG_FORM, 140),
    ("Dana Okafor", "Chief People Officer", "People", L.SHORT_UPDATES, 120),
    ("Élodie Marchand", "VP Marketing", "Marketing", L.SHORT_UPDATES, 100),
    ("Farid Haddad", "VP Sales EMEA", "Sales", L.COMMENT, 80),
    ("Greta Lindqvist", "Chief Operating Officer", "Operations", L.COMMENT, 70),
    ("Hiroshi Tanaka", "VP Manufacturing", "Operations", L.LIKE, 45),
    ("Isabel Moreno", "General Counsel", "Legal", L.LIKE, 30),
    ("Jonas Becker", "VP Procurement", "Finance", L.LISTEN, 12),
    ("Kavya Raman", "Chief Data Officer", "Technology", L.LISTEN, None),
    ("Liam O'Connor", "VP Customer Service", "Customer Service", L.LISTEN, None),
]

MENTORS = [("Maya Singh", "Graduate Analyst"), ("Noah Fischer", "Software Engineer"),
           ("Olivia Brown", "Marketing Associate"), ("Priya Desai", "HR Business Partner")]
SPONSOR = ("Quentin Dubois", "Director of Internal Communications")

THEMES = [
    "Questions about the new hybrid-work policy in the Ask Leadership community",
    "Praise threads for the regional teams after the quarter close",
    "Discussions tagged #sustainability where a leadership voice is missing",
    "Unanswered questions addressed to the exec by name",
]


def _email(name: str, domain: str = "example.com") -> str:
    first, last = name.split(" ", 1)
    ascii_name = f"{first}.{last}".lower().replace("'", "").replace(" ", "")
    folded = unicodedata.normalize("NFKD", ascii_name)  # "é" becomes "e" + accent: the accent goes, the e stays
    return folded.encode("ascii", "ignore").decode() + "@" + domain


def _stage_history(ctx: DemoContext, ex: Exec, joined_days: int | None) -> list[StageChange]:
    """Climb one rung at a time from Listen to today's stage, spread over the coaching period."""
    stages = list(LadderStage)[: ex.stage.rank + 1]
    span = joined_days if joined_days is not None else 20
    start = ctx.today - dt.timedelta(days=span + 10)
    step = max(7, (span + 5) // max(1, len(stages)))
    changes, prev = [], None
    for i, stage in enumerate(stages):
        day = min(ctx.today, start + dt.timedelta(days=i * step + ctx.rng.randint(0, 3)))
        reason = "Coaching started" if prev is None else f"Ready for {stage.label.lower()}: habit strong, posts reviewed"
        changes.append(StageChange(exec_id=ex.id, from_stage=prev, stage=stage, changed_on=day, reason=reason))
        prev = stage
    return changes


def build(s: Session, ctx: DemoContext) -> None:
    tags = {name: Tag(name=name) for name in ("board member", "sceptic", "early adopter", "town hall", "travels a lot")}
    s.add_all(tags.values())
    for i, (name, title, dept, stage, joined_days) in enumerate(EXECS):
        joined = ctx.today - dt.timedelta(days=joined_days) if joined_days is not None else None
        ex = Exec(
            name=name, title=title, department=dept, email=_email(name), handle="@" + name.split()[0].lower(),
            joined_network=joined, stage=stage,
            private_notes=f"Prefers short sessions before 9am. Worried about saying the wrong thing in public ({name.split()[0]}).",
        )
        if i in (0, 4):
            ex.tags.append(tags["early adopter"])
        if i in (1, 6, 9):
            ex.tags.append(tags["sceptic"])
        if i in (0, 1, 6):
            ex.tags.append(tags["board member"])
        s.add(ex)
        s.flush()
        ctx.exec_ids[name] = ex.id
        s.add_all(_stage_history(ctx, ex, joined_days))
    for name, title in MENTORS:
        p = Person(name=name, email=_email(name), title=title, notes="Digital native, volunteered for reverse mentoring.")
        s.add(p)
        s.flush()
        ctx.person_ids[name] = p.id
    sponsor = Person(name=SPONSOR[0], email=_email(SPONSOR[0]), title=SPONSOR[1])
    s.add(sponsor)
    s.flush()
    ctx.person_ids[SPONSOR[0]] = sponsor.id
    for i, (name, *_rest) in enumerate(EXECS):
        exec_id = ctx.exec_ids[name]
        assistant_name = ["Rosa Alvarez", "Sam Patel", "Tess Nguyen", "Uma Kowalski"][i % 4]
        if assistant_name not in ctx.person_ids:
            p = Person(name=assistant_name, email=_email(assistant_name), title="Executive Assistant")
            s.add(p)
            s.flush()
            ctx.person_ids[assistant_name] = p.id
        mentor = MENTORS[i % len(MENTORS)][0]
        since = ctx.start + dt.timedelta(days=ctx.rng.randint(0, 30))
        s.add_all([
            ExecSupport(exec_id=exec_id, person_id=ctx.person_ids[assistant_name], role=SupportRole.ASSISTANT, since=since),
            ExecSupport(exec_id=exec_id, person_id=ctx.person_ids[mentor], role=SupportRole.REVERSE_MENTOR, since=since),
            ExecSupport(exec_id=exec_id, person_id=sponsor.id, role=SupportRole.SPONSOR, since=ctx.start),
        ])
        for text in ctx.rng.sample(THEMES, 2):
            s.add(WatchTheme(exec_id=exec_id, text=text))
