"""Executives and the people around them: list, add, edit, archive."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from esncoach.models import (
    ActionItem,
    CoachingSession,
    Exec,
    ExecSupport,
    LadderStage,
    Person,
    SessionStatus,
    StageChange,
    SupportRole,
)
from esncoach.models.people import NAME_MAX, NOTES_MAX
from esncoach.services import validation
from esncoach.store.errors import ValidationError
from esncoach.store.workspace import Workspace


@dataclass(frozen=True)
class SupporterRow:
    """A person linked to an exec in a role."""

    person_id: int
    name: str
    email: str | None
    role: SupportRole


@dataclass(frozen=True)
class ExecRow:
    """What the exec list and the exec page show about one exec."""

    id: int
    name: str
    title: str
    department: str
    email: str | None
    handle: str | None
    joined: dt.date | None
    stage: LadderStage
    archived: bool
    private_notes: str = ""
    last_session: dt.datetime | None = None
    next_action: str = ""
    next_action_due: dt.date | None = None
    supporters: tuple[SupporterRow, ...] = field(default_factory=tuple)
    version: int = 0
    """The row's version when read: hand it back to ``update_exec`` as ``expected_version``."""

    def as_json(self) -> dict[str, object]:
        """The public JSON shape of ``esncoach execs list --json``."""
        return {
            "id": self.id,
            "name": self.name,
            "email": self.email,
            "title": self.title,
            "department": self.department,
            "joined": self.joined.isoformat() if self.joined else None,
            "stage": self.stage.value,
            "archived": self.archived,
        }


def _row(e: Exec, last: dt.datetime | None = None, action: ActionItem | None = None) -> ExecRow:
    return ExecRow(
        id=e.id,
        name=e.name,
        title=e.title,
        department=e.department,
        email=e.email,
        handle=e.handle,
        joined=e.joined_network,
        stage=e.stage,
        archived=e.archived,
        private_notes=e.private_notes,
        last_session=last,
        next_action=action.text if action else "",
        next_action_due=action.due if action else None,
        supporters=tuple(
            SupporterRow(s.person_id, s.person.name, s.person.email, s.role)
            for s in sorted(e.supporters, key=lambda s: (s.role.value, s.person.name))
        ),
        version=e.version,
    )


def list_execs(ws: Workspace, *, include_archived: bool = True) -> list[ExecRow]:
    """Every exec with their last held session and most urgent open action item, by name as a reader sorts
    them (accents and case folded: "Élodie" between "Dana" and "Farid", not after "Liam")."""
    with ws.session() as s:
        q = select(Exec).options(selectinload(Exec.supporters).selectinload(ExecSupport.person)).order_by(Exec.name)
        if not include_archived:
            q = q.where(Exec.archived.is_(False))
        execs = s.scalars(q).all()
        last = dict(
            s.execute(
                select(CoachingSession.exec_id, func.max(CoachingSession.starts_at))
                .where(CoachingSession.status == SessionStatus.HELD)
                .group_by(CoachingSession.exec_id)
            ).all()
        )
        open_items = s.scalars(
            select(ActionItem)
            .where(ActionItem.done.is_(False))
            .order_by(ActionItem.due.is_(None), ActionItem.due, ActionItem.id)
        ).all()
        first_item: dict[int, ActionItem] = {}
        for item in open_items:
            first_item.setdefault(item.exec_id, item)
        rows = [_row(e, last.get(e.id), first_item.get(e.id)) for e in execs]
    return sorted(rows, key=lambda r: (_sort_key(r.name), r.name, r.id))


def _sort_key(name: str) -> str:
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKD", name.casefold()) if not unicodedata.combining(c))


def get_exec(ws: Workspace, exec_id: int) -> ExecRow:
    """One exec by id; a ValidationError if it no longer exists.

    Reads only this exec's rows (as ``list_execs`` computes them for everyone): opening a page must not
    cost a read of every open action item of the programme (3 s on a 500-exec team server under load).
    """
    last_held = (select(func.max(CoachingSession.starts_at))
                 .where(CoachingSession.exec_id == exec_id, CoachingSession.status == SessionStatus.HELD)
                 .scalar_subquery())
    with ws.session() as s:
        found = s.execute(  # the last held session comes along: one round trip fewer
            select(Exec, last_held).options(selectinload(Exec.supporters).selectinload(ExecSupport.person))
            .where(Exec.id == exec_id)
        ).first()
        if found is None:
            raise ValidationError("exec", "That executive no longer exists.")
        e, last = found
        action = s.scalars(
            select(ActionItem)
            .where(ActionItem.exec_id == exec_id, ActionItem.done.is_(False))
            .order_by(ActionItem.due.is_(None), ActionItem.due, ActionItem.id)
            .limit(1)
        ).first()
        return _row(e, last, action)


def find_exec(ws: Workspace, name_or_email: str) -> ExecRow:
    """Look an exec up the way a script names one: exact email, exact name, then a unique prefix."""
    key = name_or_email.strip().lower()
    rows = list_execs(ws)
    for match in (
        [r for r in rows if (r.email or "") == key],
        [r for r in rows if r.name.lower() == key],
        [r for r in rows if r.name.lower().startswith(key)],
    ):
        if len(match) == 1:
            return match[0]
        if len(match) > 1:
            names = ", ".join(r.name for r in match[:5])
            raise ValidationError("exec", f"“{name_or_email}” matches several executives: {names}.")
    raise ValidationError("exec", f"No executive called “{name_or_email}”.")


def _clean_fields(
    *, name: str, title: str, department: str, email: str | None, handle: str | None,
    joined: dt.date | str | None, private_notes: str,
) -> dict[str, object]:
    return {
        "name": validation.line(name, "name", max_len=NAME_MAX, required=True),
        "title": validation.line(title, "title", max_len=NAME_MAX),
        "department": validation.line(department, "department", max_len=NAME_MAX),
        "email": validation.email(email),
        "handle": validation.line(handle, "network handle", max_len=NAME_MAX) or None,
        "joined_network": validation.date(joined, "join date", allow_future=False),
        "private_notes": validation.text(private_notes, "private notes", max_len=NOTES_MAX),
    }


def _duplicate_email(email: object) -> ValidationError:
    return ValidationError("email", f"Another executive already has the email address {email}.")


def add_exec(
    ws: Workspace,
    *,
    name: str,
    title: str = "",
    department: str = "",
    email: str | None = None,
    handle: str | None = None,
    joined: dt.date | str | None = None,
    stage: LadderStage = LadderStage.LISTEN,
    private_notes: str = "",
    today: dt.date | None = None,
) -> int:
    """Create an exec at a ladder stage, recording that stage as the start of their history."""
    fields = _clean_fields(
        name=name, title=title, department=department, email=email, handle=handle,
        joined=joined, private_notes=private_notes,
    )
    try:
        with ws.session() as s:
            ex = Exec(stage=stage, **fields)
            s.add(ex)
            s.flush()
            s.add(StageChange(exec_id=ex.id, from_stage=None, stage=stage, changed_on=today or dt.date.today(),
                              reason="Coaching started"))
            return ex.id
    except IntegrityError:
        raise _duplicate_email(fields["email"]) from None


def update_exec(
    ws: Workspace,
    exec_id: int,
    *,
    name: str,
    title: str = "",
    department: str = "",
    email: str | None = None,
    handle: str | None = None,
    joined: dt.date | str | None = None,
    private_notes: str = "",
    expected_version: int | None = None,
) -> int:
    """Replace an exec's details (the stage moves only through the ladder service, which keeps history).

    ``expected_version`` is the version the caller read (``ExecRow.version``): a save over a colleague's
    newer one is refused with a ConflictError holding both (their stored details, the unsaved ones).
    Returns the exec's new version.
    """
    from esncoach.services.team_conflicts import expect_version

    fields = _clean_fields(
        name=name, title=title, department=department, email=email, handle=handle,
        joined=joined, private_notes=private_notes,
    )
    try:
        with ws.session() as s:
            ex = s.get(Exec, exec_id)
            if ex is None:
                raise ValidationError("exec", "That executive no longer exists.")
            stored = {key: getattr(ex, key) for key in fields}
            expect_version(ex, expected_version, what="this executive's details",
                           theirs=describe_details(stored), yours=describe_details(fields))
            for key, value in fields.items():
                setattr(ex, key, value)
            s.flush()
            return ex.version
    except IntegrityError:
        raise _duplicate_email(fields["email"]) from None


_DETAIL_LABELS = (("name", "Name"), ("title", "Title"), ("department", "Department"), ("email", "Email"),
                  ("handle", "Network handle"), ("joined_network", "Joined"))


def describe_details(fields: dict[str, object]) -> str:
    """An exec's details as one text (lines, then the private notes): how a conflict shows both versions."""
    lines = []
    for key, label in _DETAIL_LABELS:
        value = fields.get(key)
        if isinstance(value, dt.date):
            value = value.isoformat()
        lines.append(f"{label}: {value or ''}")
    notes = str(fields.get("private_notes") or "")
    return "\n".join(lines) + ("\n\nPrivate notes:\n" + notes if notes else "")


def set_archived(ws: Workspace, exec_id: int, *, archived: bool) -> None:
    """Archive (hide from daily lists, keep every record) or bring an exec back."""
    with ws.session() as s:
        ex = s.get(Exec, exec_id)
        if ex is None:
            raise ValidationError("exec", "That executive no longer exists.")
        ex.archived = archived


def add_person(ws: Workspace, *, name: str, email: str | None = None, title: str = "") -> int:
    """Create a mentor, assistant or sponsor who can then be linked to execs."""
    clean_email = validation.email(email)
    try:
        with ws.session() as s:
            person = Person(
                name=validation.line(name, "name", max_len=NAME_MAX, required=True),
                email=clean_email,
                title=validation.line(title, "title", max_len=NAME_MAX),
            )
            s.add(person)
            s.flush()
            return person.id
    except IntegrityError:
        raise ValidationError("email", f"Another person already has the email address {clean_email}.") from None


@dataclass(frozen=True)
class PersonRow:
    """A supporter and the execs they help."""

    id: int
    name: str
    email: str | None
    title: str
    supports: tuple[tuple[int, str, SupportRole], ...]


def list_people(ws: Workspace) -> list[PersonRow]:
    """Everyone who helps an exec, with whom they help and how."""
    with ws.session() as s:
        people = s.scalars(
            select(Person).options(selectinload(Person.supports).selectinload(ExecSupport.exec)).order_by(Person.name)
        ).all()
        return [
            PersonRow(p.id, p.name, p.email, p.title,
                      tuple((l.exec_id, l.exec.name, l.role) for l in sorted(p.supports, key=lambda l: l.exec.name)))
            for p in people
        ]


def link_person(ws: Workspace, *, exec_id: int, person_id: int, role: SupportRole, since: dt.date | None = None) -> None:
    """Record that a person helps an exec in a role (idempotent)."""
    with ws.session() as s:
        exists = s.scalar(
            select(ExecSupport).where(
                ExecSupport.exec_id == exec_id, ExecSupport.person_id == person_id, ExecSupport.role == role
            )
        )
        if exists is None:
            s.add(ExecSupport(exec_id=exec_id, person_id=person_id, role=role, since=since))


def unlink_person(ws: Workspace, *, exec_id: int, person_id: int, role: SupportRole) -> None:
    """Remove one link; the person and their other links stay."""
    with ws.session() as s:
        link = s.scalar(
            select(ExecSupport).where(
                ExecSupport.exec_id == exec_id, ExecSupport.person_id == person_id, ExecSupport.role == role
            )
        )
        if link is not None:
            s.delete(link)
