"""What a network-wide import leaves behind besides figures: distributions, community figures, asks, listening.

Privacy by construction: nothing here names a person who is not a tracked exec. A distribution is a
compact histogram of per-person values (no identities); asks and listening rows hold thread references
(an id or the export's ``api_url``) and aggregated terms, never message bodies or senders.
Every row belongs to the import batch that produced it and goes with it.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from esncoach.models.base import Base

THREAD_MAX = 500
TITLE_MAX = 300
TERM_MAX = 80


class NetworkDistribution(Base):
    """How per-person activity spreads over the network for one metric and period (a histogram sketch)."""

    __tablename__ = "network_distribution"
    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(60))
    metric: Mapped[str] = mapped_column(String(40), index=True)
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    people: Mapped[int] = mapped_column(Integer)
    sketch_json: Mapped[str] = mapped_column(Text)
    """``[[bin value, people], ...]`` ascending; see ``esncoach.services.leaders_percentile``."""


class CommunityFigure(Base):
    """A community's (Viva Engage group's) figure over a report period."""

    __tablename__ = "community_figure"
    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id", ondelete="CASCADE"), index=True)
    community: Mapped[str] = mapped_column(String(TITLE_MAX), index=True)
    metric: Mapped[str] = mapped_column(String(40))
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    value: Mapped[float] = mapped_column(Float)


class LeaderAsk(Base):
    """A reply in an exec's thread or an @-mention of the exec, and when (if ever) the exec answered it."""

    __tablename__ = "leader_ask"
    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id", ondelete="CASCADE"), index=True)
    exec_id: Mapped[int] = mapped_column(ForeignKey("exec.id", ondelete="CASCADE"), index=True)
    thread: Mapped[str] = mapped_column(String(THREAD_MAX))
    kind: Mapped[str] = mapped_column(String(20))
    """"reply" (in a thread the exec started) or "mention"."""
    asked_at: Mapped[dt.datetime] = mapped_column(DateTime)
    answered_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class ListeningTerm(Base):
    """How often a term or two-word phrase was used across the network on one day (aggregated, no bodies)."""

    __tablename__ = "listening_term"
    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id", ondelete="CASCADE"), index=True)
    day: Mapped[dt.date] = mapped_column(Date, index=True)
    term: Mapped[str] = mapped_column(String(TERM_MAX))
    count: Mapped[int] = mapped_column(Integer)


class ListeningThread(Base):
    """One of the network's busiest recent threads: a reference, its activity per day and which execs joined."""

    __tablename__ = "listening_thread"
    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id", ondelete="CASCADE"), index=True)
    thread: Mapped[str] = mapped_column(String(THREAD_MAX))
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    """The export's title when it has one, else the community and the thread's leading terms (never its text)."""
    last_activity: Mapped[dt.date] = mapped_column(Date)
    days_json: Mapped[str] = mapped_column(Text)
    """``{"YYYY-MM-DD": messages}`` for the recent days the thread was active."""
    joined_json: Mapped[str] = mapped_column(Text)
    """Ids of tracked execs who posted in the thread."""


__all__ = ["CommunityFigure", "LeaderAsk", "ListeningTerm", "ListeningThread", "NetworkDistribution"]
