"""The exec's one small regular commitment and its check-ins."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from esncoach.models.base import Base, Timestamped, Versioned, enum_column
from esncoach.models.enums import CheckInResult, HabitSchedule

if TYPE_CHECKING:
    from esncoach.models.people import Exec


class Habit(Versioned, Timestamped, Base):
    """A commitment such as "like 3 posts a week"; the one with no end date is current."""

    __tablename__ = "habit"
    id: Mapped[int] = mapped_column(primary_key=True)
    exec_id: Mapped[int] = mapped_column(ForeignKey("exec.id", ondelete="CASCADE"), index=True)
    description: Mapped[str] = mapped_column(String(300))
    schedule: Mapped[HabitSchedule] = mapped_column(enum_column(HabitSchedule), default=HabitSchedule.DAILY)
    times: Mapped[int] = mapped_column(Integer, default=1)
    period_days: Mapped[int] = mapped_column(Integer, default=1)
    started_on: Mapped[dt.date] = mapped_column(Date)
    ended_on: Mapped[dt.date | None] = mapped_column(Date)

    exec: Mapped[Exec] = relationship(back_populates="habits")
    check_ins: Mapped[list[CheckIn]] = relationship(
        back_populates="habit", cascade="all, delete-orphan", order_by="CheckIn.day"
    )


class CheckIn(Base):
    """Whether the habit was done, skipped (excused) or missed on a day."""

    __tablename__ = "check_in"
    __table_args__ = (UniqueConstraint("habit_id", "day"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    habit_id: Mapped[int] = mapped_column(ForeignKey("habit.id", ondelete="CASCADE"), index=True)
    day: Mapped[dt.date] = mapped_column(Date)
    result: Mapped[CheckInResult] = mapped_column(enum_column(CheckInResult))
    note: Mapped[str] = mapped_column(Text, default="")

    habit: Mapped[Habit] = relationship(back_populates="check_ins")
