"""Mentoring sessions, their action items, and agenda templates."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, Column, Date, DateTime, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from esncoach.models.base import Base, Timestamped, Versioned, enum_column
from esncoach.models.enums import ActionOwner, LadderStage, SessionKind, SessionStatus

if TYPE_CHECKING:
    from esncoach.models.people import Exec, Person, Tag

session_tags = Table(
    "session_tag",
    Base.metadata,
    Column("session_id", ForeignKey("coaching_session.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tag.id", ondelete="CASCADE"), primary_key=True),
)


class CoachingSession(Versioned, Timestamped, Base):
    """One meeting: planned, held or cancelled, with what was said and agreed."""

    __tablename__ = "coaching_session"
    id: Mapped[int] = mapped_column(primary_key=True)
    exec_id: Mapped[int] = mapped_column(ForeignKey("exec.id", ondelete="CASCADE"), index=True)
    kind: Mapped[SessionKind] = mapped_column(enum_column(SessionKind), default=SessionKind.ONE_ON_ONE)
    status: Mapped[SessionStatus] = mapped_column(enum_column(SessionStatus), default=SessionStatus.PLANNED)
    title: Mapped[str] = mapped_column(String(200), default="")
    starts_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    duration_min: Mapped[int] = mapped_column(Integer, default=30)
    mentor_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    agenda: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    outcomes: Mapped[str] = mapped_column(Text, default="")

    exec: Mapped[Exec] = relationship(back_populates="sessions")
    mentor: Mapped[Person | None] = relationship()
    action_items: Mapped[list[ActionItem]] = relationship(
        back_populates="session", cascade="all, delete-orphan", foreign_keys="ActionItem.session_id"
    )
    tags: Mapped[list[Tag]] = relationship(secondary=session_tags)


class ActionItem(Versioned, Timestamped, Base):
    """Something someone agreed to do, carried from session to session until done."""

    __tablename__ = "action_item"
    id: Mapped[int] = mapped_column(primary_key=True)
    exec_id: Mapped[int] = mapped_column(ForeignKey("exec.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[int | None] = mapped_column(ForeignKey("coaching_session.id", ondelete="SET NULL"), index=True)
    carried_from_id: Mapped[int | None] = mapped_column(ForeignKey("action_item.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    owner: Mapped[ActionOwner] = mapped_column(enum_column(ActionOwner), default=ActionOwner.EXEC)
    owner_person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    due: Mapped[dt.date | None] = mapped_column(Date)
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    done_on: Mapped[dt.date | None] = mapped_column(Date)

    session: Mapped[CoachingSession | None] = relationship(back_populates="action_items", foreign_keys=[session_id])


class AgendaTemplate(Timestamped, Base):
    """What to teach at a ladder stage; a new session's agenda starts from it."""

    __tablename__ = "agenda_template"
    id: Mapped[int] = mapped_column(primary_key=True)
    stage: Mapped[LadderStage] = mapped_column(enum_column(LadderStage), unique=True)
    text: Mapped[str] = mapped_column(Text, default="")
