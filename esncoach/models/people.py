"""Executives, the people around them, and tags."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, Column, Date, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from esncoach.models.base import Base, Timestamped, Versioned, enum_column
from esncoach.models.enums import LadderStage, SupportRole

if TYPE_CHECKING:
    from esncoach.models.coaching import CoachingSession
    from esncoach.models.habits import Habit
    from esncoach.models.ladder import StageChange
    from esncoach.models.posts import PracticePost

NAME_MAX = 200
EMAIL_MAX = 320
NOTES_MAX = 50_000

exec_tags = Table(
    "exec_tag",
    Base.metadata,
    Column("exec_id", ForeignKey("exec.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tag.id", ondelete="CASCADE"), primary_key=True),
)


class Tag(Base):
    """A free label the CM puts on execs, sessions and posts ("town hall", "sceptic")."""

    __tablename__ = "tag"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)


class Exec(Versioned, Timestamped, Base):
    """An executive being coached; everything else in the workspace hangs off one."""

    __tablename__ = "exec"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX))
    title: Mapped[str] = mapped_column(String(NAME_MAX), default="")
    department: Mapped[str] = mapped_column(String(NAME_MAX), default="")
    email: Mapped[str | None] = mapped_column(String(EMAIL_MAX), unique=True)
    handle: Mapped[str | None] = mapped_column(String(NAME_MAX))
    joined_network: Mapped[dt.date | None] = mapped_column(Date)
    stage: Mapped[LadderStage] = mapped_column(enum_column(LadderStage), default=LadderStage.LISTEN)
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    private_notes: Mapped[str] = mapped_column(Text, default="")

    supporters: Mapped[list[ExecSupport]] = relationship(back_populates="exec", cascade="all, delete-orphan")
    tags: Mapped[list[Tag]] = relationship(secondary=exec_tags)
    sessions: Mapped[list[CoachingSession]] = relationship(back_populates="exec", cascade="all, delete-orphan")
    stage_changes: Mapped[list[StageChange]] = relationship(back_populates="exec", cascade="all, delete-orphan")
    habits: Mapped[list[Habit]] = relationship(back_populates="exec", cascade="all, delete-orphan")
    posts: Mapped[list[PracticePost]] = relationship(back_populates="exec", cascade="all, delete-orphan")


class Person(Timestamped, Base):
    """Someone who helps execs: a reverse mentor, an assistant or a sponsor; may help several."""

    __tablename__ = "person"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX))
    email: Mapped[str | None] = mapped_column(String(EMAIL_MAX), unique=True)
    title: Mapped[str] = mapped_column(String(NAME_MAX), default="")
    notes: Mapped[str] = mapped_column(Text, default="")

    supports: Mapped[list[ExecSupport]] = relationship(back_populates="person", cascade="all, delete-orphan")


class ExecSupport(Base):
    """Links a person to an exec in a role; the same person may hold several links."""

    __tablename__ = "exec_support"
    __table_args__ = (UniqueConstraint("exec_id", "person_id", "role"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    exec_id: Mapped[int] = mapped_column(ForeignKey("exec.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    role: Mapped[SupportRole] = mapped_column(enum_column(SupportRole))
    since: Mapped[dt.date | None] = mapped_column(Date)

    exec: Mapped[Exec] = relationship(back_populates="supporters")
    person: Mapped[Person] = relationship(back_populates="supports")


class WatchTheme(Timestamped, Base):
    """A theme or discussion the CM asks the exec's assistant to watch on the exec's behalf."""

    __tablename__ = "watch_theme"
    id: Mapped[int] = mapped_column(primary_key=True)
    exec_id: Mapped[int] = mapped_column(ForeignKey("exec.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class WorkspaceSetting(Base):
    """A coaching rule the CM can tune (thresholds, rubric criteria), kept with the data it governs."""

    __tablename__ = "workspace_setting"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value_json: Mapped[str] = mapped_column(Text)


__all__ = ["Exec", "ExecSupport", "Person", "Tag", "WatchTheme", "WorkspaceSetting", "exec_tags"]
