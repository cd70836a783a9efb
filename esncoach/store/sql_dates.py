"""Date arithmetic that SQL dialects spell differently, as SQLAlchemy expressions services can use.

SQLite keeps a DATE as ISO text and counts days with ``julianday``; PostgreSQL subtracts dates to an
integer. Services group figures by week in the database through ``day_number`` and stay dialect-free.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Integer
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

MONDAY_BEFORE_EPOCH = -3
"""1970-01-01 was a Thursday: day -3 (1969-12-29) is the Monday that starts its week."""


class day_number(FunctionElement[int]):  # noqa: N801 - reads as the SQL function it stands for
    """Days from 1970-01-01 to a DATE value (negative before), as an integer, on either backend."""

    type = Integer()
    name = "day_number"
    inherit_cache = True


@compiles(day_number, "sqlite")
def _day_number_sqlite(element: day_number, compiler: Any, **kw: Any) -> str:
    return f"CAST(julianday({compiler.process(element.clauses, **kw)}) - 2440587.5 AS INTEGER)"


@compiles(day_number, "postgresql")
def _day_number_postgresql(element: day_number, compiler: Any, **kw: Any) -> str:
    return f"({compiler.process(element.clauses, **kw)} - DATE '1970-01-01')"


def week_number(day: Any) -> Any:
    """Monday-to-Sunday weeks counted from the week of 1970-01-01: Monday = ``MONDAY_BEFORE_EPOCH + 7·week``.

    Computed as (days + 3 + 7·100000) // 7 − 100000 so that integer division, which truncates towards
    zero on both backends, floors for dates before 1970 as well.
    """
    return (day_number(day) - MONDAY_BEFORE_EPOCH + 700_000) // 7 - 100_000


__all__ = ["MONDAY_BEFORE_EPOCH", "day_number", "week_number"]
