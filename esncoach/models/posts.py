"""Practice posts in the exec's private space, their revisions and the CM's feedback."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, Column, Date, ForeignKey, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from esncoach.models.base import Base, Timestamped, Versioned, enum_column
from esncoach.models.enums import DraftedBy, LadderStage, PostKind, PostStatus

if TYPE_CHECKING:
    from esncoach.models.people import Exec, Tag

post_tags = Table(
    "post_tag",
    Base.metadata,
    Column("post_id", ForeignKey("practice_post.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tag.id", ondelete="CASCADE"), primary_key=True),
)


class PracticePost(Versioned, Timestamped, Base):
    """A draft the exec practises in a private space until it is ready to publish."""

    __tablename__ = "practice_post"
    id: Mapped[int] = mapped_column(primary_key=True)
    exec_id: Mapped[int] = mapped_column(ForeignKey("exec.id", ondelete="CASCADE"), index=True)
    kind: Mapped[PostKind] = mapped_column(enum_column(PostKind), default=PostKind.SHORT_UPDATE)
    title: Mapped[str] = mapped_column(String(300), default="")
    community: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[PostStatus] = mapped_column(enum_column(PostStatus), default=PostStatus.DRAFT)
    drafted_by: Mapped[DraftedBy] = mapped_column(enum_column(DraftedBy), default=DraftedBy.EXEC)
    stage: Mapped[LadderStage | None] = mapped_column(enum_column(LadderStage))
    published_on: Mapped[dt.date | None] = mapped_column(Date)
    published_url: Mapped[str] = mapped_column(String(2000), default="")

    exec: Mapped[Exec] = relationship(back_populates="posts")
    revisions: Mapped[list[Revision]] = relationship(
        back_populates="post", cascade="all, delete-orphan", order_by="Revision.number"
    )
    tags: Mapped[list[Tag]] = relationship(secondary=post_tags)


class Revision(Versioned, Timestamped, Base):
    """One returned-and-revised round of a post's text; the last one is the working text."""

    __tablename__ = "revision"
    __table_args__ = (UniqueConstraint("post_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("practice_post.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text, default="")

    post: Mapped[PracticePost] = relationship(back_populates="revisions")
    feedback: Mapped[list[Feedback]] = relationship(back_populates="revision", cascade="all, delete-orphan")
    scores: Mapped[list[RubricScore]] = relationship(back_populates="revision", cascade="all, delete-orphan")


class Feedback(Versioned, Timestamped, Base):
    """A comment anchored to a character range of the revision it was made on."""

    __tablename__ = "feedback"
    id: Mapped[int] = mapped_column(primary_key=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("revision.id", ondelete="CASCADE"), index=True)
    author: Mapped[str] = mapped_column(String(200), default="CM")
    anchor_start: Mapped[int | None] = mapped_column(Integer)
    anchor_end: Mapped[int | None] = mapped_column(Integer)
    quoted_text: Mapped[str] = mapped_column(Text, default="")
    comment: Mapped[str] = mapped_column(Text)
    resolved: Mapped[bool] = mapped_column(Boolean, default=False)

    revision: Mapped[Revision] = relationship(back_populates="feedback")


class RubricScore(Timestamped, Base):
    """A 1-5 score with a short note on one rubric criterion for one revision."""

    __tablename__ = "rubric_score"
    __table_args__ = (UniqueConstraint("revision_id", "criterion"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("revision.id", ondelete="CASCADE"), index=True)
    criterion: Mapped[str] = mapped_column(String(100))
    score: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")

    revision: Mapped[Revision] = relationship(back_populates="scores")


class PostPrompt(Timestamped, Base):
    """An idea to start a draft from, suited to a ladder stage."""

    __tablename__ = "post_prompt"
    id: Mapped[int] = mapped_column(primary_key=True)
    stage: Mapped[LadderStage] = mapped_column(enum_column(LadderStage))
    text: Mapped[str] = mapped_column(Text)
