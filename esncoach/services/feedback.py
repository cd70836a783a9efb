"""The CM's feedback on practice posts: anchored comments, the rubric, and how scores move over time.

A comment is anchored to a character range of the revision it was made on and stays there. To show it on
a later revision, the range is carried through each round's changes; when the passage was deleted the
comment is *detached*: still listed with its quoted text, never silently dropped.
"""

from __future__ import annotations

import datetime as dt
import re
import statistics
from dataclasses import dataclass, field
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from esncoach.models import DraftedBy, Feedback, PostStatus, PracticePost, Revision, RubricScore
from esncoach.services import settings, validation
from esncoach.services.posts import char_opcodes
from esncoach.store.errors import ValidationError
from esncoach.store.workspace import Workspace

COMMENT_MAX = 5000
NOTE_MAX = 500
CRITERION_MAX = 100
CRITERIA_MAX = 12

DEFAULT_CRITERIA = [
    "Authentic voice", "Clarity", "Brevity for the kind", "Invites a response", "Strategic alignment", "Tone",
]
RUBRIC_CRITERIA = settings.declare("posts.rubric_criteria", DEFAULT_CRITERIA)
"""The rubric's criteria, in display order; scores are stored by name."""

_WORD = re.compile(r"\w")
MIN_SURVIVING = 0.3  # below this share of the passage's letters left, a comment is detached


# ---- anchors ---------------------------------------------------------------------------------------------

class Span(NamedTuple):
    start: int
    end: int


def map_span(old: str, new: str, start: int, end: int,
             opcodes: list[tuple[str, int, int, int, int]] | None = None) -> Span | None:
    """Carry a passage [start, end) of ``old`` into ``new``; None when (almost) all of it was deleted."""
    ops = char_opcodes(old, new) if opcodes is None else opcodes
    passage = old[start:end]
    # Measure by letters so surviving spaces and commas alone never keep a comment attached.
    measure = (lambda t: len(_WORD.findall(t))) if _WORD.search(passage) else len
    wanted = measure(passage)
    kept = 0
    lo: int | None = None
    hi: int | None = None
    for tag, i1, i2, j1, j2 in ops:
        if tag != "equal" or i2 <= start or i1 >= end:
            continue
        a, b = max(i1, start), min(i2, end)
        kept += measure(old[a:b])
        lo = j1 + (a - i1) if lo is None else lo
        hi = j1 + (b - i1)
    if lo is None or hi is None or hi <= lo or kept < max(1, MIN_SURVIVING * wanted):
        return None
    return Span(lo, hi)


def remap_revision_anchors(s: Session, rev: Revision, new_text: str) -> None:
    """Keep comments on a revision attached to their passage while its own text is edited (autosave)."""
    if not rev.feedback:
        return
    ops = char_opcodes(rev.text, new_text)
    for fb in rev.feedback:
        if fb.anchor_start is None or fb.anchor_end is None:
            continue
        span = map_span(rev.text, new_text, fb.anchor_start, fb.anchor_end, ops)
        fb.anchor_start, fb.anchor_end = (span.start, span.end) if span else (None, None)


# ---- comments --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CommentRow:
    """A comment as shown on one revision: where it sits there, or that its passage is gone."""

    id: int
    revision_id: int
    revision_number: int
    author: str
    quoted_text: str
    comment: str
    resolved: bool
    created_at: dt.datetime
    start: int | None
    end: int | None
    detached: bool
    detached_in: int | None = None
    """The revision number in which the passage disappeared (None if still attached or never anchored)."""
    version: int = 0
    """The comment's version when read: hand it back to ``edit_comment``/``delete_comment``."""

    @property
    def anchored(self) -> bool:
        return self.start is not None and self.end is not None


def _revision(s: Session, revision_id: int) -> Revision:
    rev = s.get(Revision, revision_id)
    if rev is None:
        raise ValidationError("revision", "That revision no longer exists.")
    return rev


def add_comment(
    ws: Workspace, *, revision_id: int, start: int | None, end: int | None, comment: str, author: str = "CM"
) -> int:
    """Attach a comment to a passage of a revision (or to the whole text when start/end are None)."""
    body = validation.text(comment, "comment", max_len=COMMENT_MAX, required=True)
    who = validation.line(author, "author", max_len=200) or "CM"
    with ws.session() as s:
        rev = _revision(s, revision_id)
        if rev.post.status == PostStatus.PUBLISHED:
            raise ValidationError("comment", "The post is published; comments are closed.")
        quoted = ""
        if start is not None and end is not None:
            if start > end:
                start, end = end, start
            if start < 0 or end > len(rev.text):
                raise ValidationError("anchor", "The selected passage is outside the text; select it again.")
            if start == end:
                start = end = None
            else:
                quoted = rev.text[start:end]
        else:
            start = end = None
        fb = Feedback(revision_id=rev.id, author=who, anchor_start=start, anchor_end=end,
                      quoted_text=quoted, comment=body, resolved=False)
        s.add(fb)
        s.flush()
        return fb.id


def _expect_comment(fb: Feedback, expected_version: int | None, seen: str | None, *, what: str, yours: str) -> None:
    """Refuse when a colleague changed the comment since it was read (``expected_version``).

    ``seen`` is the comment's text as read: when the stored text is still that, only its anchor moved (the
    post's text was edited) or it was resolved, and nothing of anyone's words is at stake.
    """
    from esncoach.services.team_conflicts import expect_version

    if expected_version is None or fb.version == expected_version or (seen is not None and fb.comment == seen):
        return
    expect_version(fb, expected_version, what=what, theirs=fb.comment, yours=yours)


def edit_comment(
    ws: Workspace, *, feedback_id: int, comment: str, expected_version: int | None = None, seen: str | None = None
) -> int:
    """Reword a comment; returns its new version.

    With ``expected_version`` (``CommentRow.version``) a rewording over a colleague's newer one is refused
    with a ConflictError holding both texts.
    """
    body = validation.text(comment, "comment", max_len=COMMENT_MAX, required=True)
    with ws.session() as s:
        fb = _feedback(s, feedback_id)
        _expect_comment(fb, expected_version, seen, what="this comment", yours=body)
        fb.comment = body
        s.flush()
        return fb.version


def set_resolved(ws: Workspace, *, feedback_id: int, resolved: bool) -> None:
    """Mark a comment dealt with, or open it again."""
    with ws.session() as s:
        _feedback(s, feedback_id).resolved = resolved


def delete_comment(
    ws: Workspace, *, feedback_id: int, expected_version: int | None = None, seen: str | None = None
) -> None:
    """Remove a comment; one a colleague reworded since it was read (``expected_version``, ``seen``) is
    kept and the refusal (ConflictError) holds their new words and the ones the user meant to delete."""
    with ws.session() as s:
        fb = _feedback(s, feedback_id)
        _expect_comment(fb, expected_version, seen, what="this comment", yours=seen or "")
        s.delete(fb)


def _feedback(s: Session, feedback_id: int) -> Feedback:
    fb = s.get(Feedback, feedback_id)
    if fb is None:
        raise ValidationError("comment", "That comment no longer exists.")
    return fb


def comment_location(ws: Workspace, *, feedback_id: int) -> tuple[int, int, int]:
    """(exec id, post id, revision id) of a comment, to open it from a search result."""
    with ws.session() as s:
        fb = _feedback(s, feedback_id)
        return fb.revision.post.exec_id, fb.revision.post_id, fb.revision_id


def list_comments(ws: Workspace, *, post_id: int, revision_id: int | None = None) -> list[CommentRow]:
    """Every comment on a post, placed on one revision (default: the latest), in reading order.

    Comments from later revisions than the one shown are left out; detached ones come last.
    """
    with ws.session() as s:
        post = s.get(PracticePost, post_id, options=[selectinload(PracticePost.revisions)
                                                     .selectinload(Revision.feedback)])
        if post is None:
            raise ValidationError("post", "That practice post no longer exists.")
        revs = sorted(post.revisions, key=lambda r: r.number)
        if not revs:
            return []
        target = next((r for r in revs if r.id == revision_id), revs[-1])
        chain = [r for r in revs if r.number <= target.number]
        steps = [char_opcodes(a.text, b.text) for a, b in zip(chain, chain[1:])]
        rows: list[CommentRow] = []
        for k, rev in enumerate(chain):
            for fb in sorted(rev.feedback, key=lambda f: f.id):
                start, end, detached_in = fb.anchor_start, fb.anchor_end, None
                detached = fb.anchor_start is None and bool(fb.quoted_text)
                if start is not None and end is not None:
                    for step, (a, b) in enumerate(zip(chain[k:], chain[k + 1:])):
                        span = map_span(a.text, b.text, start, end, steps[k + step])
                        if span is None:
                            start = end = None
                            detached, detached_in = True, b.number
                            break
                        start, end = span
                rows.append(CommentRow(fb.id, rev.id, rev.number, fb.author, fb.quoted_text, fb.comment,
                                       fb.resolved, fb.created_at, start, end, detached, detached_in,
                                       fb.version))
        rows.sort(key=lambda r: (r.detached, r.start if r.start is not None else -1, r.id))
        return rows


# ---- rubric ----------------------------------------------------------------------------------------------

def criteria(ws: Workspace) -> list[str]:
    """The rubric criteria the CM uses now, in order."""
    return [str(c) for c in settings.get(ws, RUBRIC_CRITERIA)]


def set_criteria(ws: Workspace, *, names: list[str]) -> list[str]:
    """Replace the rubric criteria; old scores keep their criterion name and stay in the trends."""
    clean: list[str] = []
    for name in names:
        value = validation.line(name, "criterion", max_len=CRITERION_MAX)
        if value and value.lower() not in (c.lower() for c in clean):
            clean.append(value)
    if not clean:
        raise ValidationError("criteria", "The rubric needs at least one criterion.")
    if len(clean) > CRITERIA_MAX:
        raise ValidationError("criteria", f"Keep the rubric short: at most {CRITERIA_MAX} criteria.")
    settings.put(ws, RUBRIC_CRITERIA, clean)
    return clean


@dataclass(frozen=True)
class ScoreRow:
    """One criterion's score and note on one revision."""

    criterion: str
    score: int
    note: str


def set_score(ws: Workspace, *, revision_id: int, criterion: str, score: int | None, note: str = "") -> None:
    """Score a revision on one criterion (1–5, with a short note); None clears the score."""
    name = validation.line(criterion, "criterion", max_len=CRITERION_MAX, required=True)
    clean_note = validation.text(note, "note", max_len=NOTE_MAX)
    if score is not None and not (isinstance(score, int) and 1 <= score <= 5):
        raise ValidationError("score", "A rubric score is a whole number from 1 to 5.")
    with ws.session() as s:
        _revision(s, revision_id)
        row = s.scalar(select(RubricScore).where(RubricScore.revision_id == revision_id,
                                                 RubricScore.criterion == name))
        if score is None:
            if row is not None:
                s.delete(row)
            return
        if row is None:
            s.add(RubricScore(revision_id=revision_id, criterion=name, score=score, note=clean_note))
        else:
            row.score, row.note = score, clean_note


def scores_for(ws: Workspace, *, revision_id: int) -> dict[str, ScoreRow]:
    """A revision's rubric, by criterion."""
    with ws.session() as s:
        rows = s.scalars(select(RubricScore).where(RubricScore.revision_id == revision_id)).all()
        return {r.criterion: ScoreRow(r.criterion, r.score, r.note) for r in rows}


def previous_scores(ws: Workspace, *, revision_id: int) -> dict[str, ScoreRow]:
    """The rubric of the nearest earlier revision of the same post that was scored (for comparison)."""
    with ws.session() as s:
        rev = _revision(s, revision_id)
        rows = s.execute(
            select(Revision.number, RubricScore)
            .join(RubricScore, RubricScore.revision_id == Revision.id)
            .where(Revision.post_id == rev.post_id, Revision.number < rev.number)
            .order_by(Revision.number.desc())
        ).all()
        if not rows:
            return {}
        best = rows[0][0]
        return {r.criterion: ScoreRow(r.criterion, r.score, r.note) for n, r in rows if n == best}


# ---- trends and summaries for charts and reports ----------------------------------------------------------

class TrendPoint(NamedTuple):
    """One day's score on a criterion: the day the scored revision was written, and its score."""

    date: dt.date
    score: int | float
    """1–5; when several revisions written the same day were scored, their mean (an int when whole)."""


def rubric_trends(ws: Workspace, *, exec_id: int) -> dict[str, list[TrendPoint]]:
    """Per criterion, the exec's scores over time: one point per day with a scored revision, oldest first.

    Current criteria come first in rubric order (empty series included), then retired ones that hold history.
    Dates are strictly increasing within a series, so charts can use them as an x axis directly.
    """
    with ws.session() as s:
        rows = s.execute(
            select(RubricScore.criterion, RubricScore.score, Revision.created_at)
            .join(Revision, RubricScore.revision_id == Revision.id)
            .join(PracticePost, Revision.post_id == PracticePost.id)
            .where(PracticePost.exec_id == exec_id)
            .order_by(Revision.created_at, Revision.id)
        ).all()
    names = criteria(ws)
    lower = {c.lower(): c for c in names}
    by_day: dict[str, dict[dt.date, list[int]]] = {c: {} for c in names}
    for criterion, score, created in rows:
        key = lower.get(criterion.lower(), criterion)
        by_day.setdefault(key, {}).setdefault(created.date(), []).append(int(score))
    return {
        c: [TrendPoint(day, _mean(v)) for day, v in sorted(days.items())]
        for c, days in by_day.items()
    }


def _mean(values: list[int]) -> int | float:
    mean = statistics.fmean(values)
    return int(mean) if mean.is_integer() else round(mean, 2)


@dataclass(frozen=True)
class CriterionSummary:
    """How an exec did on one criterion in a period."""

    count: int
    mean: float
    first: int
    last: int


@dataclass(frozen=True)
class PostSummary:
    """What an exec wrote in a period, for the progress report."""

    drafted: int
    published: int
    revisions: int
    comments: int
    open_comments: int
    by_status: dict[PostStatus, int] = field(default_factory=dict)
    by_drafter: dict[DraftedBy, int] = field(default_factory=dict)
    scores: dict[str, CriterionSummary] = field(default_factory=dict)
    published_posts: tuple[tuple[dt.date, str, str], ...] = ()
    """(date, title, link) of each post published in the period, oldest first."""


def _in(day: dt.date | None, start: dt.date | None, end: dt.date | None) -> bool:
    return day is not None and (start is None or day >= start) and (end is None or day <= end)


def post_summary(
    ws: Workspace, *, exec_id: int, start: dt.date | None = None, end: dt.date | None = None
) -> PostSummary:
    """Counts for a period (inclusive dates; open-ended when None): drafted, published, rounds, comments, scores.

    ``by_status`` and ``by_drafter`` count the posts started in the period, by their status today.
    """
    with ws.session() as s:
        posts = s.scalars(
            select(PracticePost).options(selectinload(PracticePost.revisions).selectinload(Revision.feedback),
                                         selectinload(PracticePost.revisions).selectinload(Revision.scores))
            .where(PracticePost.exec_id == exec_id)
        ).all()
        drafted = [p for p in posts if _in(p.created_at.date(), start, end)]
        published = sorted((p for p in posts if _in(p.published_on, start, end)),
                           key=lambda p: (p.published_on, p.id))
        revisions = [r for p in posts for r in p.revisions if _in(r.created_at.date(), start, end)]
        comments = [f for p in posts for r in p.revisions for f in r.feedback if _in(f.created_at.date(), start, end)]
        by_status: dict[PostStatus, int] = {st: 0 for st in PostStatus}
        by_drafter: dict[DraftedBy, int] = {d: 0 for d in DraftedBy}
        for p in drafted:
            by_status[p.status] += 1
            by_drafter[p.drafted_by] += 1
        scored: dict[str, list[int]] = {}
        for r in sorted(revisions, key=lambda r: (r.created_at, r.id)):
            for sc in r.scores:
                scored.setdefault(sc.criterion, []).append(sc.score)
        return PostSummary(
            drafted=len(drafted),
            published=len(published),
            revisions=len(revisions),
            comments=len(comments),
            open_comments=sum(1 for f in comments if not f.resolved),
            by_status=by_status,
            by_drafter=by_drafter,
            scores={c: CriterionSummary(len(v), round(statistics.fmean(v), 2), v[0], v[-1]) for c, v in scored.items()},
            published_posts=tuple((p.published_on, p.title, p.published_url) for p in published
                                  if p.published_on is not None),
        )
