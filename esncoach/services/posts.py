"""Practice posts: drafts per exec, the review workflow, revisions and publishing.

The workflow is draft → in review → changes requested → (in review again) → ready → published.
Only the latest revision is the working text, and only while the exec holds the pen (draft or changes
requested). Requesting changes freezes the reviewed revision with its comments and opens the next one,
so every returned-and-revised round is a revision and comments stay on the text they were made on.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from esncoach.models import DraftedBy, Exec, Feedback, LadderStage, PostKind, PostStatus, PracticePost, Revision
from esncoach.services import settings, validation
from esncoach.store.errors import ValidationError
from esncoach.store.workspace import Workspace

TITLE_MAX = 300
COMMUNITY_MAX = 200
URL_MAX = 2000
TEXT_MAX = 200_000  # far above any real post; a pasted report is still stored, never truncated silently

KIND_LABELS = {
    PostKind.SHORT_UPDATE: "Short update",
    PostKind.LONG_FORM: "Long-form post",
    PostKind.TOUGH_QUESTION_REPLY: "Reply to a tough question",
}
STATUS_LABELS = {
    PostStatus.DRAFT: "Draft",
    PostStatus.IN_REVIEW: "In review",
    PostStatus.CHANGES_REQUESTED: "Changes requested",
    PostStatus.READY: "Ready to post",
    PostStatus.PUBLISHED: "Published",
}
DRAFTED_BY_LABELS = {
    DraftedBy.EXEC: "The exec",
    DraftedBy.ASSISTANT: "Assistant, on the exec's behalf",
    DraftedBy.CM: "CM, from dictation",
}

# Which status may follow which. Publishing goes through ``mark_published`` (it needs a date and link).
ALLOWED_TRANSITIONS: dict[PostStatus, frozenset[PostStatus]] = {
    PostStatus.DRAFT: frozenset({PostStatus.IN_REVIEW}),
    PostStatus.IN_REVIEW: frozenset({PostStatus.CHANGES_REQUESTED, PostStatus.READY, PostStatus.DRAFT}),
    PostStatus.CHANGES_REQUESTED: frozenset({PostStatus.IN_REVIEW}),
    PostStatus.READY: frozenset({PostStatus.PUBLISHED, PostStatus.CHANGES_REQUESTED}),
    PostStatus.PUBLISHED: frozenset({PostStatus.READY}),
}
EDITABLE_STATUSES = frozenset({PostStatus.DRAFT, PostStatus.CHANGES_REQUESTED})

TARGET_LENGTH = settings.declare(
    "posts.target_length",
    {"short_update": [150, 600], "long_form": [1200, 3000], "tough_question_reply": [200, 900]},
)
"""Target length in characters per post kind, as [min, max]."""


def target_length(ws: Workspace, kind: PostKind) -> tuple[int, int]:
    """The CM's target character range for a kind of post."""
    value = settings.get(ws, TARGET_LENGTH).get(kind.value) or TARGET_LENGTH_DEFAULT[kind.value]
    return int(value[0]), int(value[1])


TARGET_LENGTH_DEFAULT = settings.declared()[TARGET_LENGTH]


def set_target_lengths(ws: Workspace, *, lengths: dict[PostKind, tuple[int, int]]) -> None:
    """Change the target character range of some kinds (the others keep theirs)."""
    value = dict(settings.get(ws, TARGET_LENGTH))
    for kind, (low, high) in lengths.items():
        if not (0 <= low < high <= TEXT_MAX):
            raise ValidationError("target_length", f"The target for a {KIND_LABELS[kind].lower()} must run from a "
                                  "smaller to a larger number of characters.")
        value[kind.value] = [int(low), int(high)]
    settings.put(ws, TARGET_LENGTH, value)


@dataclass(frozen=True)
class PostRow:
    """One practice post with its working text, as lists and the workbench show it."""

    id: int
    exec_id: int
    kind: PostKind
    title: str
    community: str
    status: PostStatus
    drafted_by: DraftedBy
    stage: LadderStage | None
    published_on: dt.date | None
    published_url: str
    created_at: dt.datetime
    updated_at: dt.datetime
    revision_id: int
    revision_number: int
    text: str
    open_comments: int = 0
    revision_version: int = 0
    """The working revision's version when read: hand it back to ``save_text`` as ``expected_version``."""
    version: int = 0
    """The post's version when read: hand it back to ``update_details`` as ``expected_version``."""

    @property
    def editable(self) -> bool:
        """Whether the working text may change now (the exec holds the pen)."""
        return self.status in EDITABLE_STATUSES

    @property
    def display_title(self) -> str:
        return self.title or first_line(self.text) or "Untitled draft"


@dataclass(frozen=True)
class RevisionRow:
    """One round of a post's text."""

    id: int
    post_id: int
    number: int
    text: str
    created_at: dt.datetime
    updated_at: dt.datetime


def first_line(text: str, limit: int = 60) -> str:
    """A short label from the start of a text, for posts without a title."""
    line = text.strip().split("\n", 1)[0].strip()
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def _latest(post: PracticePost) -> Revision:
    if not post.revisions:  # every post is created with revision 1; guard against hand-made rows
        rev = Revision(number=1, text="")
        post.revisions.append(rev)
        return rev
    return max(post.revisions, key=lambda r: r.number)


def _row(post: PracticePost, open_comments: int = 0) -> PostRow:
    rev = _latest(post)
    return PostRow(
        id=post.id, exec_id=post.exec_id, kind=post.kind, title=post.title, community=post.community,
        status=post.status, drafted_by=post.drafted_by, stage=post.stage, published_on=post.published_on,
        published_url=post.published_url, created_at=post.created_at, updated_at=post.updated_at,
        revision_id=rev.id, revision_number=rev.number, text=rev.text, open_comments=open_comments,
        revision_version=rev.version, version=post.version,
    )


def _get(s: Session, post_id: int) -> PracticePost:
    post = s.get(PracticePost, post_id)
    if post is None:
        raise ValidationError("post", "That practice post no longer exists.")
    return post


def _open_comment_counts(s: Session, post_ids: list[int]) -> dict[int, int]:
    if not post_ids:
        return {}
    rows = s.execute(
        select(Revision.post_id, func.count(Feedback.id))
        .join(Feedback, Feedback.revision_id == Revision.id)
        .where(Revision.post_id.in_(post_ids), Feedback.resolved.is_(False))
        .group_by(Revision.post_id)
    ).all()
    return dict(rows)


def list_posts(ws: Workspace, *, exec_id: int, status: PostStatus | None = None) -> list[PostRow]:
    """An exec's posts, most recently changed first."""
    with ws.session() as s:
        q = (select(PracticePost).options(selectinload(PracticePost.revisions))
             .where(PracticePost.exec_id == exec_id)
             .order_by(PracticePost.updated_at.desc(), PracticePost.id.desc()))
        if status is not None:
            q = q.where(PracticePost.status == status)
        posts = s.scalars(q).all()
        counts = _open_comment_counts(s, [p.id for p in posts])
        return [_row(p, counts.get(p.id, 0)) for p in posts]


def current_post(ws: Workspace, *, exec_id: int) -> PostRow | None:
    """The draft a coaching session is about: the most recently changed post not yet published, if any."""
    return next((p for p in list_posts(ws, exec_id=exec_id) if p.status != PostStatus.PUBLISHED), None)


def get_post(ws: Workspace, *, post_id: int) -> PostRow:
    """One post with its working text; a ValidationError if it was deleted."""
    with ws.session() as s:
        post = _get(s, post_id)
        return _row(post, _open_comment_counts(s, [post_id]).get(post_id, 0))


def _clean_details(title: str, community: str) -> dict[str, str]:
    return {
        "title": validation.line(title, "title", max_len=TITLE_MAX),
        "community": validation.line(community, "target community", max_len=COMMUNITY_MAX),
    }


def _clean_text(text: str) -> str:
    text = validation.multiline((text or "").replace("\x00", ""), "post")
    if len(text) > TEXT_MAX:
        raise ValidationError("text", f"The post is {len(text):,} characters; the limit is {TEXT_MAX:,}.")
    return text


def create_post(
    ws: Workspace,
    *,
    exec_id: int,
    kind: PostKind = PostKind.SHORT_UPDATE,
    title: str = "",
    text: str = "",
    community: str = "",
    drafted_by: DraftedBy = DraftedBy.EXEC,
    stage: LadderStage | None = None,
) -> int:
    """Start a draft (revision 1) for an exec; the stage defaults to the exec's current rung."""
    fields = _clean_details(title, community)
    clean = _clean_text(text)
    with ws.session() as s:
        ex = s.get(Exec, exec_id)
        if ex is None:
            raise ValidationError("exec", "That executive no longer exists.")
        post = PracticePost(exec_id=exec_id, kind=kind, drafted_by=drafted_by, stage=stage or ex.stage,
                            status=PostStatus.DRAFT, **fields)
        post.revisions.append(Revision(number=1, text=clean))
        s.add(post)
        s.flush()
        return post.id


def update_details(
    ws: Workspace, *, post_id: int, kind: PostKind, title: str, community: str, drafted_by: DraftedBy,
    expected_version: int | None = None, seen: tuple[PostKind, str, str, DraftedBy] | None = None,
) -> None:
    """Change what the post is (kind, title, community, who drafted it); allowed at any status.

    With ``expected_version`` (``PostRow.version``) and ``seen`` (kind, title, community, drafted-by as
    read), details a colleague changed since are not overwritten: a ConflictError holds both. A post whose
    version moved only because its text or status changed is no conflict about its details.
    """
    from esncoach.services.team_conflicts import expect_version

    fields = _clean_details(title, community)
    with ws.session() as s:
        post = _get(s, post_id)
        stored = (post.kind, post.title, post.community, post.drafted_by)
        if expected_version is not None and post.version != expected_version and (seen is None or stored != seen):
            expect_version(post, expected_version, what="this post's details",
                           theirs=_describe_details(*stored), yours=_describe_details(kind, fields["title"],
                                                                                      fields["community"], drafted_by))
        changed = (post.kind, post.title, post.community, post.drafted_by) != (
            kind, fields["title"], fields["community"], drafted_by)
        if changed:
            post.kind, post.drafted_by = kind, drafted_by
            post.title, post.community = fields["title"], fields["community"]


def _describe_details(kind: PostKind, title: str, community: str, drafted_by: DraftedBy) -> str:
    return (f"Title: {title}\nKind: {KIND_LABELS[kind]}\nCommunity: {community}\n"
            f"Drafted by: {DRAFTED_BY_LABELS[drafted_by]}")


def save_text(
    ws: Workspace, *, post_id: int, text: str, expected_version: int | None = None, revision_id: int | None = None
) -> bool:
    """Autosave the working text; comments on it follow their passage. Returns whether anything changed.

    ``revision_id`` and ``expected_version`` are the working revision and its version the editor read
    (``PostRow.revision_id``/``revision_version``): a save over a colleague's newer text (or a new round
    started meanwhile) is refused with a ConflictError holding both texts.
    """
    from esncoach.services.feedback import remap_revision_anchors
    from esncoach.services.team_conflicts import expect_version

    clean = _clean_text(text)
    with ws.session() as s:
        post = _get(s, post_id)
        rev = _latest(post)
        if rev.text == clean:
            return False
        if revision_id is not None and rev.id != revision_id:
            expect_version(rev, -1, what="this post's text", theirs=rev.text, yours=clean)
        expect_version(rev, expected_version, what="this post's text", theirs=rev.text, yours=clean)
        if post.status not in EDITABLE_STATUSES:
            raise ValidationError(
                "text", f"The text cannot change while the post is {STATUS_LABELS[post.status].lower()}.")
        remap_revision_anchors(s, rev, clean)
        rev.text = clean
        post.updated_at = rev.updated_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        return True


def list_revisions(ws: Workspace, *, post_id: int) -> list[RevisionRow]:
    """Every round of a post's text, first to latest."""
    with ws.session() as s:
        post = _get(s, post_id)
        return [RevisionRow(r.id, r.post_id, r.number, r.text, r.created_at, r.updated_at)
                for r in sorted(post.revisions, key=lambda r: r.number)]


def get_revision(ws: Workspace, *, revision_id: int) -> RevisionRow:
    """One revision by id."""
    with ws.session() as s:
        r = s.get(Revision, revision_id)
        if r is None:
            raise ValidationError("revision", "That revision no longer exists.")
        return RevisionRow(r.id, r.post_id, r.number, r.text, r.created_at, r.updated_at)


def can_transition(current: PostStatus, to: PostStatus) -> bool:
    """Whether the workflow allows going from one status to another."""
    return to in ALLOWED_TRANSITIONS[current]


def transition(ws: Workspace, *, post_id: int, to: PostStatus) -> PostRow:
    """Move a post along the workflow; refuses moves the workflow does not allow, and empty posts in review."""
    if to == PostStatus.PUBLISHED:
        raise ValidationError("status", "Mark the post published with its date and link.")
    with ws.session() as s:
        post = _get(s, post_id)
        current = post.status
        if current == to:
            return _row(post)
        if not can_transition(current, to):
            raise ValidationError(
                "status",
                f"A post that is {STATUS_LABELS[current].lower()} cannot become {STATUS_LABELS[to].lower()}.")
        rev = _latest(post)
        if to in (PostStatus.IN_REVIEW, PostStatus.READY) and not rev.text.strip():
            raise ValidationError("text", "An empty post cannot go to review; write something first.")
        if to == PostStatus.CHANGES_REQUESTED:
            # Freeze the reviewed round with its comments and scores; the exec revises a copy.
            post.revisions.append(Revision(number=rev.number + 1, text=rev.text))
        if current == PostStatus.PUBLISHED:
            post.published_on, post.published_url = None, ""
        post.status = to
        s.flush()
        return _row(post)


def submit_for_review(ws: Workspace, *, post_id: int) -> PostRow:
    """The exec (or CM) hands the draft over for feedback."""
    return transition(ws, post_id=post_id, to=PostStatus.IN_REVIEW)


def request_changes(ws: Workspace, *, post_id: int) -> PostRow:
    """Return the post to the exec; a new revision opens for their changes."""
    return transition(ws, post_id=post_id, to=PostStatus.CHANGES_REQUESTED)


def mark_ready(ws: Workspace, *, post_id: int) -> PostRow:
    """The CM is happy: the text is ready to post."""
    return transition(ws, post_id=post_id, to=PostStatus.READY)


URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


def mark_published(
    ws: Workspace, *, post_id: int, on: dt.date | str | None, url: str = "", today: dt.date | None = None
) -> PostRow:
    """Record that a ready post went live, with the date and link so metrics can be related to it."""
    day = validation.date(on, "publication date", allow_future=False, today=today)
    if day is None:
        raise ValidationError("published_on", "Give the date the post was published.")
    link = validation.line(url, "link", max_len=URL_MAX)
    if link and not URL_RE.match(link):
        raise ValidationError("published_url", f"“{link[:80]}” is not a web link (it should start with https://).")
    with ws.session() as s:
        post = _get(s, post_id)
        if post.status != PostStatus.READY:
            raise ValidationError(
                "status", f"Only a post that is ready can be published; this one is {STATUS_LABELS[post.status].lower()}.")
        post.status = PostStatus.PUBLISHED
        post.published_on, post.published_url = day, link
        s.flush()
        return _row(post)


def unpublish(ws: Workspace, *, post_id: int) -> PostRow:
    """Undo a publication recorded by mistake: back to ready, date and link cleared."""
    return transition(ws, post_id=post_id, to=PostStatus.READY)


def delete_post(ws: Workspace, *, post_id: int) -> None:
    """Remove a post with its revisions, comments and scores."""
    with ws.session() as s:
        s.delete(_get(s, post_id))


def final_text(ws: Workspace, *, post_id: int) -> str:
    """The text to paste into the network: the latest revision, trimmed."""
    return get_post(ws, post_id=post_id).text.strip()


@dataclass(frozen=True)
class DiffSegment:
    """A run of text that is the same on both sides, or changed: ``op`` is equal/insert/delete/replace."""

    op: str
    old: str
    new: str


WORD_RE = re.compile(r"\w+")
TOKEN_RE = re.compile(r"\w+\s*|[^\w\s]\s*|\s+")  # a word keeps its trailing space
AUTOJUNK_ABOVE = 4000  # tokens; beyond this difflib's popularity heuristic keeps huge pastes fast


def char_opcodes(old: str, new: str, *, readable: bool = False) -> list[tuple[str, int, int, int, int]]:
    """difflib opcodes in character offsets, matched word by word.

    ``readable`` folds lone words kept between two changes into one change, as a reader sees a rewrite;
    anchors are carried with the exact opcodes.
    """
    import difflib

    # Trim the common head and tail first: edits are local, and this keeps big texts fast.
    head = 0
    limit = min(len(old), len(new))
    while head < limit and old[head] == new[head]:
        head += 1
    while head and old[head - 1].isalnum():  # back to a word start so a changed word is never split
        head -= 1
    tail = 0
    while tail < limit - head and old[len(old) - 1 - tail] == new[len(new) - 1 - tail]:
        tail += 1
    while tail and old[len(old) - tail].isalnum():
        tail -= 1
    a_mid, b_mid = old[head : len(old) - tail], new[head : len(new) - tail]
    a_tok = [m.span() for m in TOKEN_RE.finditer(a_mid)]
    b_tok = [m.span() for m in TOKEN_RE.finditer(b_mid)]
    matcher = difflib.SequenceMatcher(
        None, [a_mid[i:j] for i, j in a_tok], [b_mid[i:j] for i, j in b_tok],
        autojunk=max(len(a_tok), len(b_tok)) > AUTOJUNK_ABOVE)
    ops: list[tuple[str, int, int, int, int]] = []
    if head:
        ops.append(("equal", 0, head, 0, head))

    def pos(toks: list[tuple[int, int]], k: int, total: int) -> int:
        return head + (toks[k][0] if k < len(toks) else total)

    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        ops.append((tag, pos(a_tok, i1, len(a_mid)), pos(a_tok, i2, len(a_mid)),
                    pos(b_tok, j1, len(b_mid)), pos(b_tok, j2, len(b_mid))))
    if tail:
        ops.append(("equal", len(old) - tail, len(old), len(new) - tail, len(new)))
    ops = [op for op in ops if op[1] != op[2] or op[3] != op[4]]
    return _merge_gaps(ops, old) if readable else ops


def _merge_gaps(ops: list[tuple[str, int, int, int, int]], old: str) -> list[tuple[str, int, int, int, int]]:
    """Fold a lone word, space or comma kept between two changes into one change, as a reader sees it."""
    out: list[tuple[str, int, int, int, int]] = []
    for op in ops:
        if out and op[0] == "equal" and out[-1][0] == "equal":
            op = ("equal", out[-1][1], op[2], out[-1][3], op[4])
            out.pop()
        out.append(op)
        while len(out) >= 3 and out[-1][0] != "equal" and out[-3][0] != "equal" and out[-2][0] == "equal" \
                and len(WORD_RE.findall(old[out[-2][1]:out[-2][2]])) <= 1:
            c, _, a = out.pop(), out.pop(), out.pop()
            out.append(("replace", a[1], c[2], a[3], c[4]))
    return out


def diff_segments(old: str, new: str) -> list[DiffSegment]:
    """The changes between two texts as segments, for side-by-side comparison."""
    return [DiffSegment(tag, old[i1:i2], new[j1:j2]) for tag, i1, i2, j1, j2 in char_opcodes(old, new, readable=True)]


@dataclass(frozen=True)
class Comparison:
    """Two revisions and the word-level changes between them."""

    old: RevisionRow
    new: RevisionRow
    segments: tuple[DiffSegment, ...]
    words_added: int
    words_removed: int


def compare_revisions(ws: Workspace, *, old_revision_id: int, new_revision_id: int) -> Comparison:
    """Compare any two revisions of the same post."""
    old, new = get_revision(ws, revision_id=old_revision_id), get_revision(ws, revision_id=new_revision_id)
    if old.post_id != new.post_id:
        raise ValidationError("revision", "Only revisions of the same post can be compared.")
    segments = tuple(diff_segments(old.text, new.text))
    added = sum(len(re.findall(r"\w+", seg.new)) for seg in segments if seg.op != "equal")
    removed = sum(len(re.findall(r"\w+", seg.old)) for seg in segments if seg.op != "equal")
    return Comparison(old, new, segments, added, removed)
