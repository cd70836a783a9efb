"""Coaching sessions: plan, hold and record them; their action items; agenda templates per ladder stage.

Carry-over: a new session starts from the agenda template of the exec's stage and copies the action
items still open at the last held session onto itself (``carried_from_id`` points at the original).
The original stays on its session as the record of what was agreed; it is *superseded*, so it no
longer counts as open, and completing the copy completes the whole chain.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from esncoach.models import (
    ActionItem,
    ActionOwner,
    AgendaTemplate,
    CoachingSession,
    Exec,
    ExecSupport,
    LadderStage,
    Person,
    SessionKind,
    SessionStatus,
    SupportRole,
)
from esncoach.services import validation
from esncoach.services.team_conflicts import ConflictError, expect_version
from esncoach.store.errors import ValidationError
from esncoach.store.workspace import Workspace

TITLE_MAX = 200
TEXT_MAX = 200_000  # notes, agenda and outcomes: far beyond a real session, small enough to stay snappy
ACTION_TEXT_MAX = 2_000
MAX_DURATION_MIN = 12 * 60
DUE_PAST_LIMIT_DAYS = 365
DUE_FUTURE_LIMIT_DAYS = 5 * 365

KIND_LABELS = {
    SessionKind.ONE_ON_ONE: "One-on-one training",
    SessionKind.REVERSE_MENTORING: "Reverse mentoring",
    SessionKind.ASSISTANT_BRIEFING: "Assistant briefing",
    SessionKind.PRIVATE_SPACE_REVIEW: "Private-space review",
}
STATUS_LABELS = {SessionStatus.PLANNED: "Planned", SessionStatus.HELD: "Held", SessionStatus.CANCELLED: "Cancelled"}
OWNER_LABELS = {ActionOwner.EXEC: "Exec", ActionOwner.ASSISTANT: "Assistant", ActionOwner.MENTOR: "Mentor",
                ActionOwner.CM: "CM"}


@dataclass(frozen=True)
class ActionItemRow:
    """An agreed action: who owns it, when it is due, whether it is done."""

    id: int
    exec_id: int
    session_id: int | None
    text: str
    owner: ActionOwner
    owner_person_id: int | None
    owner_name: str
    due: dt.date | None
    done: bool
    done_on: dt.date | None
    carried_from_id: int | None = None
    superseded: bool = False
    exec_name: str = ""
    version: int = 0
    """The item's version when read: the form hands it back (``ActionItemInput.version``)."""

    def is_overdue(self, today: dt.date | None = None) -> bool:
        """Open, not carried forward, and past its due date."""
        today = today or dt.date.today()
        return not self.done and not self.superseded and self.due is not None and self.due < today


@dataclass(frozen=True)
class ActionItemInput:
    """An action item as a form edits it; ``id`` None creates one."""

    text: str
    owner: ActionOwner = ActionOwner.EXEC
    due: dt.date | None = None
    done: bool = False
    id: int | None = None
    owner_person_id: int | None = None
    carried_from_id: int | None = None
    version: int | None = None
    """The version the form read; None: not tracked (no check)."""


class ActionItemConflictError(ConflictError):
    """A colleague reworded an action item since the form read it; ``item_id`` says which one."""

    def __init__(self, message: str, *, item_id: int, theirs: str, yours: str, version: int) -> None:
        super().__init__(message, theirs=theirs, yours=yours, version=version)
        self.item_id = item_id


@dataclass(frozen=True)
class SessionRow:
    """One session as lists, the dialog and reports show it."""

    id: int
    exec_id: int
    kind: SessionKind
    status: SessionStatus
    title: str
    starts_at: dt.datetime
    duration_min: int
    mentor_id: int | None
    mentor_name: str
    agenda: str
    notes: str
    outcomes: str
    action_items: tuple[ActionItemRow, ...] = field(default_factory=tuple)
    version: int = 0
    """The stored version this row was read at: hand it back to a save to refuse overwriting a newer one."""

    @property
    def ends_at(self) -> dt.datetime:
        """When the session ends (start plus duration)."""
        return self.starts_at + dt.timedelta(minutes=self.duration_min)

    @property
    def kind_label(self) -> str:
        """The kind in words ("Reverse mentoring")."""
        return KIND_LABELS[self.kind]


@dataclass(frozen=True)
class SessionDraft:
    """What a new session form starts with: the stage's template and the items carried over."""

    exec_id: int
    stage: LadderStage
    kind: SessionKind
    title: str
    starts_at: dt.datetime
    duration_min: int
    mentor_id: int | None
    agenda: str
    carried_items: tuple[ActionItemRow, ...]


@dataclass(frozen=True)
class TemplateRow:
    """The agenda template of one ladder stage (empty text when the CM has not written one)."""

    stage: LadderStage
    text: str


# ----- reading ------------------------------------------------------------------------------------

def _superseded_ids(s: Session, exec_id: int | None = None) -> set[int]:
    q = select(ActionItem.carried_from_id).where(ActionItem.carried_from_id.is_not(None))
    if exec_id is not None:
        q = q.where(ActionItem.exec_id == exec_id)
    return set(s.scalars(q).all())


def _person_names(s: Session, ids: set[int | None]) -> dict[int, str]:
    ids_ = {i for i in ids if i is not None}
    if not ids_:
        return {}
    return dict(s.execute(select(Person.id, Person.name).where(Person.id.in_(ids_))).all())


def _supporters(s: Session, exec_id: int) -> dict[SupportRole, tuple[int, str]]:
    rows = s.execute(
        select(ExecSupport.role, Person.id, Person.name).join(Person, Person.id == ExecSupport.person_id)
        .where(ExecSupport.exec_id == exec_id).order_by(Person.name)
    ).all()
    out: dict[SupportRole, tuple[int, str]] = {}
    for role, pid, name in rows:
        out.setdefault(role, (pid, name))
    return out


def _item_rows(s: Session, items: Sequence[ActionItem], superseded: set[int],
               exec_names: Mapping[int, str] | None = None) -> list[ActionItemRow]:
    names = _person_names(s, {i.owner_person_id for i in items})
    support_cache: dict[int, dict[SupportRole, tuple[int, str]]] = {}
    if exec_names is None:
        exec_names = dict(s.execute(select(Exec.id, Exec.name).where(Exec.id.in_({i.exec_id for i in items}))).all())
    rows = []
    for i in items:
        owner_name = names.get(i.owner_person_id or -1, "")
        if not owner_name:
            if i.owner == ActionOwner.EXEC:
                owner_name = exec_names.get(i.exec_id, "")
            elif i.owner in (ActionOwner.ASSISTANT, ActionOwner.MENTOR):
                sup = support_cache.setdefault(i.exec_id, _supporters(s, i.exec_id))
                role = SupportRole.ASSISTANT if i.owner == ActionOwner.ASSISTANT else SupportRole.REVERSE_MENTOR
                owner_name = sup.get(role, (None, ""))[1]
            else:
                owner_name = "CM"
        rows.append(ActionItemRow(
            id=i.id, exec_id=i.exec_id, session_id=i.session_id, text=i.text, owner=i.owner,
            owner_person_id=i.owner_person_id, owner_name=owner_name, due=i.due, done=i.done, done_on=i.done_on,
            carried_from_id=i.carried_from_id, superseded=i.id in superseded, exec_name=exec_names.get(i.exec_id, ""),
            version=i.version,
        ))
    return rows


def _session_row(s: Session, cs: CoachingSession, superseded: set[int]) -> SessionRow:
    items = sorted(cs.action_items, key=lambda i: (i.done, i.due or dt.date.max, i.id))
    item_rows = _item_rows(s, items, superseded)
    return SessionRow(
        id=cs.id, exec_id=cs.exec_id, kind=cs.kind, status=cs.status, title=cs.title, starts_at=cs.starts_at,
        duration_min=cs.duration_min, mentor_id=cs.mentor_id, mentor_name=cs.mentor.name if cs.mentor else "",
        agenda=cs.agenda, notes=cs.notes, outcomes=cs.outcomes,
        action_items=tuple(item_rows), version=cs.version,
    )


def _load(_s: Session):  # type: ignore[no-untyped-def]
    return select(CoachingSession).options(selectinload(CoachingSession.action_items),
                                           selectinload(CoachingSession.mentor))


_SESSION_COLUMNS = (CoachingSession.id, CoachingSession.exec_id, CoachingSession.kind, CoachingSession.status,
                    CoachingSession.title, CoachingSession.starts_at, CoachingSession.duration_min,
                    CoachingSession.mentor_id, CoachingSession.agenda, CoachingSession.notes, CoachingSession.outcomes,
                    CoachingSession.version)
_ITEM_COLUMNS = (ActionItem.id, ActionItem.exec_id, ActionItem.session_id, ActionItem.text, ActionItem.owner,
                 ActionItem.owner_person_id, ActionItem.due, ActionItem.done, ActionItem.done_on,
                 ActionItem.carried_from_id, ActionItem.version)


def _item_order(item: ActionItemRow) -> tuple[bool, dt.date, int]:
    return item.done, item.due or dt.date.max, item.id


def list_sessions(ws: Workspace, *, exec_id: int) -> list[SessionRow]:
    """Every session of an exec, newest first, with its action items.

    Reads columns rather than mapped objects, in two queries: the sessions with their mentors' names, then
    their items with their exec's name and whether a later item carries each one forward. An exec page reads
    years of sessions: an ORM object per row was most of the page's CPU on a busy team server, and every
    further query a round trip. Same rows as ``get_session`` gives one by one.
    """
    carried = select(ActionItem.carried_from_id).where(ActionItem.carried_from_id.is_not(None),
                                                       ActionItem.exec_id == exec_id)
    with ws.session() as s:
        rows = s.execute(
            select(*_SESSION_COLUMNS, Person.name.label("mentor_name"))
            .outerjoin(Person, Person.id == CoachingSession.mentor_id)
            .where(CoachingSession.exec_id == exec_id)
            .order_by(CoachingSession.starts_at.desc(), CoachingSession.id.desc())
        ).all()
        items = s.execute(
            select(*_ITEM_COLUMNS, Exec.name.label("exec_name"), ActionItem.id.in_(carried).label("superseded"))
            .outerjoin(Exec, Exec.id == ActionItem.exec_id)
            .where(ActionItem.session_id.in_(
                select(CoachingSession.id).where(CoachingSession.exec_id == exec_id).scalar_subquery()))
        ).all()
        superseded = {i.id for i in items if i.superseded}
        exec_names = {i.exec_id: i.exec_name or "" for i in items}
        by_session: dict[int, list[ActionItemRow]] = {}
        for item in _item_rows(s, items, superseded, exec_names):  # type: ignore[arg-type] # same attributes
            by_session.setdefault(item.session_id or 0, []).append(item)
        return [SessionRow(
            id=r.id, exec_id=r.exec_id, kind=r.kind, status=r.status, title=r.title, starts_at=r.starts_at,
            duration_min=r.duration_min, mentor_id=r.mentor_id, mentor_name=r.mentor_name or "", agenda=r.agenda,
            notes=r.notes, outcomes=r.outcomes, action_items=tuple(sorted(by_session.get(r.id, ()), key=_item_order)),
            version=r.version,
        ) for r in rows]


def get_session(ws: Workspace, session_id: int) -> SessionRow:
    """One session by id; a ValidationError if it was deleted meanwhile."""
    with ws.session() as s:
        cs = s.scalar(_load(s).where(CoachingSession.id == session_id))
        if cs is None:
            raise ValidationError("session", "That session no longer exists.")
        return _session_row(s, cs, _superseded_ids(s, cs.exec_id))


def last_held(ws: Workspace, *, exec_id: int, before: dt.datetime | None = None) -> SessionRow | None:
    """The exec's most recent held session (before a moment, if given), or None."""
    with ws.session() as s:
        q = _load(s).where(CoachingSession.exec_id == exec_id, CoachingSession.status == SessionStatus.HELD)
        if before is not None:
            q = q.where(CoachingSession.starts_at < before)
        cs = s.scalar(q.order_by(CoachingSession.starts_at.desc(), CoachingSession.id.desc()))
        return _session_row(s, cs, _superseded_ids(s, exec_id)) if cs else None


def next_planned(ws: Workspace, *, exec_id: int, now: dt.datetime | None = None) -> SessionRow | None:
    """The exec's next planned session that has not started yet, or None."""
    now = now or dt.datetime.now()
    with ws.session() as s:
        cs = s.scalar(
            _load(s).where(CoachingSession.exec_id == exec_id, CoachingSession.status == SessionStatus.PLANNED,
                           CoachingSession.starts_at >= now)
            .order_by(CoachingSession.starts_at, CoachingSession.id)
        )
        return _session_row(s, cs, _superseded_ids(s, exec_id)) if cs else None


def open_action_items(
    ws: Workspace, *, exec_id: int | None, owner: ActionOwner | None = None, owner_person_id: int | None = None
) -> list[ActionItemRow]:
    """Open items (not done, not carried forward), soonest due first; ``exec_id=None`` means every exec."""
    with ws.session() as s:
        q = select(ActionItem).where(ActionItem.done.is_(False))
        if exec_id is not None:
            q = q.where(ActionItem.exec_id == exec_id)
        if owner is not None:
            q = q.where(ActionItem.owner == owner)
        if owner_person_id is not None:
            q = q.where(ActionItem.owner_person_id == owner_person_id)
        items = s.scalars(q.order_by(ActionItem.due.is_(None), ActionItem.due, ActionItem.id)).all()
        superseded = _superseded_ids(s, exec_id)
        return [r for r in _item_rows(s, [i for i in items if i.id not in superseded], superseded)]


# ----- templates -----------------------------------------------------------------------------------

def list_templates(ws: Workspace) -> list[TemplateRow]:
    """The agenda template of every ladder stage, lowest stage first."""
    with ws.session() as s:
        stored = {t.stage: t.text for t in s.scalars(select(AgendaTemplate))}
        return [TemplateRow(stage, stored.get(stage, "")) for stage in LadderStage]


def save_template(ws: Workspace, *, stage: LadderStage, text: str) -> None:
    """Replace what a new session at ``stage`` starts its agenda with."""
    clean = validation.text(text, "template", max_len=TEXT_MAX)
    with ws.session() as s:
        row = s.scalar(select(AgendaTemplate).where(AgendaTemplate.stage == stage))
        if row is None:
            s.add(AgendaTemplate(stage=stage, text=clean))
        else:
            row.text = clean


# ----- drafting a new session -------------------------------------------------------------------------

def _carry_candidates(s: Session, exec_id: int, before: dt.datetime | None) -> list[ActionItem]:
    """Open items standing at the last held session: its own and older ones still open and not carried."""
    q = select(CoachingSession).where(CoachingSession.exec_id == exec_id, CoachingSession.status == SessionStatus.HELD)
    if before is not None:
        q = q.where(CoachingSession.starts_at < before)
    last = s.scalar(q.order_by(CoachingSession.starts_at.desc(), CoachingSession.id.desc()))
    if last is None:
        return []
    superseded = _superseded_ids(s, exec_id)
    items = s.scalars(
        select(ActionItem).join(CoachingSession, CoachingSession.id == ActionItem.session_id)
        .where(ActionItem.exec_id == exec_id, ActionItem.done.is_(False), CoachingSession.starts_at <= last.starts_at,
               CoachingSession.status == SessionStatus.HELD)
        .order_by(ActionItem.due.is_(None), ActionItem.due, ActionItem.id)
    ).all()
    return [i for i in items if i.id not in superseded]


def new_session_draft(ws: Workspace, *, exec_id: int, now: dt.datetime | None = None) -> SessionDraft:
    """A new session for the exec: the agenda template of their stage and the open items of the last session."""
    now = now or dt.datetime.now()
    with ws.session() as s:
        ex = s.get(Exec, exec_id)
        if ex is None:
            raise ValidationError("exec", "That executive no longer exists.")
        template = s.scalar(select(AgendaTemplate.text).where(AgendaTemplate.stage == ex.stage)) or ""
        carried = _carry_candidates(s, exec_id, None)
        mentor = _supporters(s, exec_id).get(SupportRole.REVERSE_MENTOR)
        start = dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time(9, 0))
        while start.weekday() >= 5:
            start += dt.timedelta(days=1)
        return SessionDraft(
            exec_id=exec_id, stage=ex.stage, kind=SessionKind.ONE_ON_ONE,
            title=f"{ex.stage.label}: coaching session", starts_at=start, duration_min=30,
            mentor_id=mentor[0] if mentor else None, agenda=template,
            carried_items=tuple(_item_rows(s, carried, set())),
        )


# ----- saving -----------------------------------------------------------------------------------------

def _clean_due(due: dt.date | None, today: dt.date) -> dt.date | None:
    if due is None:
        return None
    if due < validation.EARLIEST_DATE or due < today - dt.timedelta(days=DUE_PAST_LIMIT_DAYS):
        raise ValidationError("action_items", f"The due date {due.isoformat()} is more than a year in the past; "
                                              "check the year.")
    if due > today + dt.timedelta(days=DUE_FUTURE_LIMIT_DAYS):
        raise ValidationError("action_items", f"The due date {due.isoformat()} is more than five years away; "
                                              "check the year.")
    return due


def validate_times(starts_at: dt.datetime, ends_at: dt.datetime) -> int:
    """The duration in minutes of a session from start to end; refuses an end before the start."""
    if starts_at.date() < validation.EARLIEST_DATE:
        raise ValidationError("starts_at", f"The start date {starts_at.date().isoformat()} is implausible.")
    minutes = int((ends_at - starts_at).total_seconds() // 60)
    if minutes <= 0:
        raise ValidationError("ends_at", "The session ends before it starts; check the end time.")
    if minutes > MAX_DURATION_MIN:
        raise ValidationError("ends_at", "A session cannot last more than 12 hours; check the end time.")
    return minutes


def save_session(
    ws: Workspace,
    *,
    exec_id: int,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    title: str,
    kind: SessionKind = SessionKind.ONE_ON_ONE,
    status: SessionStatus = SessionStatus.PLANNED,
    mentor_id: int | None = None,
    agenda: str = "",
    notes: str = "",
    outcomes: str = "",
    action_items: Sequence[ActionItemInput] | None = None,
    session_id: int | None = None,
    today: dt.date | None = None,
    expected_version: int | None = None,
    expected_item_versions: Mapping[int, int] | None = None,
) -> int:
    """Create (``session_id`` None) or replace a session and its action items; returns the session id.

    ``expected_item_versions`` (item id -> version, as the form read them) guards the items the form
    removed: one a colleague changed since is kept, refused with an ActionItemConflictError.

    Items missing from ``action_items`` are deleted from the session; ``None`` leaves them alone. Blank
    item rows are ignored. Nothing is stored unless everything is valid.
    """
    today = today or dt.date.today()
    clean = {
        "title": validation.line(title, "title", max_len=TITLE_MAX, required=True),
        "agenda": validation.text(agenda, "agenda", max_len=TEXT_MAX),
        "notes": _clean_long(notes, "notes"),
        "outcomes": validation.text(outcomes, "outcomes", max_len=TEXT_MAX),
    }
    duration = validate_times(starts_at, ends_at)
    items = [i for i in (action_items or []) if i.text.strip()] if action_items is not None else None
    for item in items or []:
        validation.text(item.text, "action item", max_len=ACTION_TEXT_MAX)
    with ws.session() as s:
        if s.get(Exec, exec_id) is None:
            raise ValidationError("exec", "That executive no longer exists.")
        if mentor_id is not None and s.get(Person, mentor_id) is None:
            mentor_id = None
        if session_id is None:
            cs = CoachingSession(exec_id=exec_id)
            s.add(cs)
        else:
            cs = s.get(CoachingSession, session_id)
            if cs is None or cs.exec_id != exec_id:
                raise ValidationError("session", "That session no longer exists.")
            expect_version(cs, expected_version, what="this session", theirs=cs.notes, yours=clean["notes"])
        cs.kind, cs.status, cs.starts_at, cs.duration_min, cs.mentor_id = kind, status, starts_at, duration, mentor_id
        cs.title, cs.agenda, cs.notes, cs.outcomes = clean["title"], clean["agenda"], clean["notes"], clean["outcomes"]
        s.flush()
        if items is not None:
            _sync_items(s, cs, items, today, expected_item_versions or {})
        return cs.id


def _clean_long(text: str, field_name: str) -> str:
    # Notes keep their exact text (no trimming) so an autosave never rewrites what the CM is typing.
    text = validation.multiline(text, field_name)
    if len(text) > TEXT_MAX:
        raise ValidationError(field_name, f"{field_name.capitalize()} are {len(text):,} characters; the limit is "
                                          f"{TEXT_MAX:,}. Move the rest to a document and link it.")
    return text


def _sync_items(s: Session, cs: CoachingSession, items: Sequence[ActionItemInput], today: dt.date,
                read_versions: Mapping[int, int]) -> None:
    existing = {i.id: i for i in cs.action_items}
    keep: set[int] = set()
    for item in items:
        row = existing.get(item.id) if item.id is not None else None
        done = item.done
        if row is not None and item.version is not None and row.version != item.version:
            # A colleague saved this item since the form read it: their words are not overwritten (refused
            # with both), and a tick they made is not undone by a form that never saw it.
            if row.text != item.text.strip():
                raise ActionItemConflictError(
                    "Someone else changed an action item of this session while you were editing it; "
                    "your version was not saved over theirs.",
                    item_id=row.id, theirs=row.text, yours=item.text.strip(), version=row.version)
            done = row.done or item.done
        # An unchanged due date is not re-judged: an old session's items were valid when agreed.
        unchanged = (row.due == item.due) if row is not None else item.carried_from_id is not None
        due = item.due if unchanged else _clean_due(item.due, today)
        if row is None:
            row = ActionItem(exec_id=cs.exec_id, session_id=cs.id, carried_from_id=item.carried_from_id)
            s.add(row)
            cs.action_items.append(row)
        row.text = item.text.strip()
        row.owner = item.owner
        row.owner_person_id = item.owner_person_id
        row.due = due
        _set_done(s, row, done, today)
        s.flush()
        keep.add(row.id)
    for item_id, row in existing.items():
        if item_id not in keep:
            if item_id in read_versions and row.version != read_versions[item_id]:
                raise ActionItemConflictError(
                    "Someone else changed an action item you removed from this session; it was kept.",
                    item_id=row.id, theirs=row.text, yours="", version=row.version)
            cs.action_items.remove(row)
            s.delete(row)


def _set_done(s: Session, item: ActionItem, done: bool, today: dt.date) -> None:
    if item.done == done:
        return
    item.done = done
    item.done_on = today if done else None
    seen: set[int] = set()
    ancestor_id = item.carried_from_id
    while ancestor_id is not None and ancestor_id not in seen:  # the whole carried chain shares one fate
        seen.add(ancestor_id)
        ancestor = s.get(ActionItem, ancestor_id)
        if ancestor is None:
            break
        ancestor.done, ancestor.done_on = item.done, item.done_on
        ancestor_id = ancestor.carried_from_id


def save_notes(ws: Workspace, *, session_id: int, notes: str, expected_version: int | None = None) -> int:
    """Store only a session's notes: what the dialog's autosave calls every few seconds while the CM types.

    Returns the session's new version (to pass as ``expected_version`` next time).
    """
    clean = _clean_long(notes, "notes")
    with ws.session() as s:
        cs = s.get(CoachingSession, session_id)
        if cs is None:
            raise ValidationError("session", "That session no longer exists.")
        expect_version(cs, expected_version, what="these session notes", theirs=cs.notes, yours=clean)
        if cs.notes != clean:
            cs.notes = clean
            s.flush()
        return cs.version


def set_status(ws: Workspace, *, session_id: int, status: SessionStatus, now: dt.datetime | None = None) -> None:
    """Mark a session held or cancelled (or planned again); a session that has not started cannot be held."""
    now = now or dt.datetime.now()
    with ws.session() as s:
        cs = s.get(CoachingSession, session_id)
        if cs is None:
            raise ValidationError("session", "That session no longer exists.")
        if status == SessionStatus.HELD and cs.starts_at > now:
            raise ValidationError("status", f"This session is planned for {cs.starts_at:%d %b %Y, %H:%M}; it can be "
                                            "marked held once it has started. Change its date if it took place earlier.")
        cs.status = status


def delete_session(ws: Workspace, *, session_id: int) -> None:
    """Remove a session and its own action items (copies carried elsewhere stay)."""
    with ws.session() as s:
        cs = s.get(CoachingSession, session_id)
        if cs is not None:
            s.delete(cs)


def set_action_done(ws: Workspace, *, item_id: int, done: bool, today: dt.date | None = None) -> None:
    """Tick an action item done (with the items it was carried from) or open it again."""
    with ws.session() as s:
        item = s.get(ActionItem, item_id)
        if item is None:
            raise ValidationError("action_item", "That action item no longer exists.")
        _set_done(s, item, done, today or dt.date.today())


def add_action_item(
    ws: Workspace, *, exec_id: int, text: str, owner: ActionOwner = ActionOwner.EXEC, due: dt.date | None = None,
    session_id: int | None = None, owner_person_id: int | None = None, today: dt.date | None = None,
) -> int:
    """Record an action outside a session form (or on one); returns its id."""
    today = today or dt.date.today()
    clean = validation.text(text, "action item", max_len=ACTION_TEXT_MAX, required=True)
    due = _clean_due(due, today)
    with ws.session() as s:
        if s.get(Exec, exec_id) is None:
            raise ValidationError("exec", "That executive no longer exists.")
        item = ActionItem(exec_id=exec_id, session_id=session_id, text=clean, owner=owner, due=due,
                          owner_person_id=owner_person_id)
        s.add(item)
        s.flush()
        return item.id
