"""Declarative base and shared column helpers for every esncoach table."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import DateTime, Enum, Integer, MetaData, func, text
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

# Explicit constraint names keep Alembic batch migrations on SQLite deterministic.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Root of the ORM; its metadata is what Alembic compares against the migrations."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def enum_column(enum_cls: type[enum.Enum], **kwargs: Any) -> Any:
    """Store an enum by its value as plain text, so the file stays readable by SQLCipher tools."""
    return Enum(
        enum_cls,
        native_enum=False,
        create_constraint=False,
        length=32,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
        **kwargs,
    )


def utcnow() -> dt.datetime:
    """Naive UTC timestamp; SQLite has no time zones, so we store UTC everywhere."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Versioned:
    """A row people edit, on a team server possibly at the same time: every save raises its version.

    The ORM's version check makes an UPDATE of a row someone else saved meanwhile touch nothing and fail
    (``StaleDataError``), so a save never lands over a newer one unseen (migration 0004).
    """

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default=text("1"))

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805 - a declared_attr takes the class
        return {"version_id_col": cls.version}


class Timestamped:
    """Created/updated stamps, used by the timeline and by 'changed since last backup'."""

    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, server_default=func.current_timestamp())
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime, default=utcnow, onupdate=utcnow, server_default=func.current_timestamp()
    )
