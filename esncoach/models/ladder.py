"""The history of an exec's moves on the adoption ladder."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import Date, ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from esncoach.models.base import Base, Timestamped, enum_column
from esncoach.models.enums import LadderStage

if TYPE_CHECKING:
    from esncoach.models.people import Exec


class StageChange(Timestamped, Base):
    """An exec reaching (or stepping back to) a stage on a date, and why; never overwritten."""

    __tablename__ = "stage_change"
    id: Mapped[int] = mapped_column(primary_key=True)
    exec_id: Mapped[int] = mapped_column(ForeignKey("exec.id", ondelete="CASCADE"), index=True)
    from_stage: Mapped[LadderStage | None] = mapped_column(enum_column(LadderStage))
    stage: Mapped[LadderStage] = mapped_column(enum_column(LadderStage))
    changed_on: Mapped[dt.date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text, default="")

    exec: Mapped[Exec] = relationship(back_populates="stage_changes")
