"""The people around execs seen from their side: whom a mentor or assistant supports, what they owe,
and the assistant's brief (the themes the CM asked them to watch on the exec's behalf)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from esncoach.models import ActionOwner, Exec, ExecSupport, LadderStage, Person, SupportRole, WatchTheme
from esncoach.services import sessions, validation
from esncoach.services.habits import sort_key
from esncoach.store.errors import ValidationError
from esncoach.store.workspace import Workspace

THEME_MAX = 1_000
_ROLE_OWNER = {SupportRole.ASSISTANT: ActionOwner.ASSISTANT, SupportRole.REVERSE_MENTOR: ActionOwner.MENTOR}


@dataclass(frozen=True)
class SupportedExec:
    """An exec a person supports, in which role."""

    exec_id: int
    name: str
    role: SupportRole
    stage: LadderStage
    since: dt.date | None


@dataclass(frozen=True)
class SupporterView:
    """A mentor, assistant or sponsor: the execs they support and the action items they own."""

    person_id: int
    name: str
    title: str
    email: str | None
    roles: tuple[SupportRole, ...]
    execs: tuple[SupportedExec, ...]
    open_items: tuple[sessions.ActionItemRow, ...]


@dataclass(frozen=True)
class ThemeRow:
    """A theme or discussion the assistant watches for an exec."""

    id: int
    exec_id: int
    text: str
    active: bool


def supporters(ws: Workspace, *, role: SupportRole | None = None, include_archived: bool = False) -> list[SupporterView]:
    """Everyone who supports an exec (optionally in one role), with their execs and open items, by name."""
    with ws.session() as s:
        people = s.scalars(
            select(Person).options(selectinload(Person.supports).selectinload(ExecSupport.exec))
        ).all()
        people = sorted(people, key=lambda p: sort_key(p.name))
        raw = [(p.id, p.name, p.title, p.email,
                [(l.exec_id, l.exec.name, l.role, l.exec.stage, l.since) for l in p.supports
                 if include_archived or not l.exec.archived])
               for p in people]
    all_open = sessions.open_action_items(ws, exec_id=None)
    out: list[SupporterView] = []
    for pid, name, title, email, links in raw:
        if role is not None and not any(l[2] == role for l in links):
            continue
        if not links:
            continue
        roles = tuple(sorted({l[2] for l in links}, key=lambda r: r.value))
        owned = []
        for item in all_open:
            if item.owner_person_id == pid:
                owned.append(item)
            elif item.owner_person_id is None and any(
                l[0] == item.exec_id and _ROLE_OWNER.get(l[2]) == item.owner for l in links
            ):
                owned.append(item)
        out.append(SupporterView(
            pid, name, title, email, roles,
            tuple(SupportedExec(*l) for l in sorted(links, key=lambda l: (sort_key(l[1]), l[2].value))),
            tuple(owned),
        ))
    return out


def supporter(ws: Workspace, *, person_id: int) -> SupporterView:
    """One person's support view."""
    for view in supporters(ws, include_archived=True):
        if view.person_id == person_id:
            return view
    raise ValidationError("person", "That person no longer supports any executive.")


def assistant_brief(ws: Workspace, *, exec_id: int, include_inactive: bool = False) -> list[ThemeRow]:
    """The themes and discussions the assistant watches for the exec, oldest first."""
    with ws.session() as s:
        q = select(WatchTheme).where(WatchTheme.exec_id == exec_id)
        if not include_inactive:
            q = q.where(WatchTheme.active.is_(True))
        return [ThemeRow(t.id, t.exec_id, t.text, t.active) for t in s.scalars(q.order_by(WatchTheme.id))]


def add_theme(ws: Workspace, *, exec_id: int, text: str) -> int:
    """Ask the exec's assistant to watch a new theme or discussion."""
    clean = validation.text(text, "theme", max_len=THEME_MAX, required=True)
    with ws.session() as s:
        if s.get(Exec, exec_id) is None:
            raise ValidationError("exec", "That executive no longer exists.")
        theme = WatchTheme(exec_id=exec_id, text=clean)
        s.add(theme)
        s.flush()
        return theme.id


def update_theme(ws: Workspace, *, theme_id: int, text: str | None = None, active: bool | None = None) -> None:
    """Reword a theme, or retire it (kept, inactive) / bring it back."""
    with ws.session() as s:
        theme = s.get(WatchTheme, theme_id)
        if theme is None:
            raise ValidationError("theme", "That theme no longer exists.")
        if text is not None:
            theme.text = validation.text(text, "theme", max_len=THEME_MAX, required=True)
        if active is not None:
            theme.active = active
