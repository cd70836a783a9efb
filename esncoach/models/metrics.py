"""Engagement figures, for an exec or the whole network, and the imports they came from."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from esncoach.models.base import Base, utcnow


class ImportBatch(Base):
    """One import of one file (or one manual entry), so a re-import can replace it."""

    __tablename__ = "import_batch"
    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(60))
    file_name: Mapped[str] = mapped_column(String(500), default="")
    file_sha256: Mapped[str] = mapped_column(String(64), default="", index=True)
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    period_start: Mapped[dt.date | None] = mapped_column(Date)
    period_end: Mapped[dt.date | None] = mapped_column(Date)
    rows_imported: Mapped[int] = mapped_column(Integer, default=0)
    rows_rejected: Mapped[int] = mapped_column(Integer, default=0)

    samples: Mapped[list[MetricSample]] = relationship(back_populates="batch", cascade="all, delete-orphan")


class MetricSample(Base):
    """A figure (messages, replies, likes...) over a day or a period; exec_id NULL means the network."""

    __tablename__ = "metric_sample"
    # One series (an exec's or the network's figures of one metric) read by date range (migration 0005).
    __table_args__ = (Index("ix_metric_sample_series", "exec_id", "metric", "period_start"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    exec_id: Mapped[int | None] = mapped_column(ForeignKey("exec.id", ondelete="CASCADE"), index=True)
    metric: Mapped[str] = mapped_column(String(40), index=True)
    period_start: Mapped[dt.date] = mapped_column(Date, index=True)
    period_end: Mapped[dt.date] = mapped_column(Date)
    value: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(60))
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id", ondelete="CASCADE"), index=True)

    batch: Mapped[ImportBatch | None] = relationship(back_populates="samples")
