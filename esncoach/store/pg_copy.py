"""Copy rows between workspaces table by table (a file workspace onto a team server, or back).

Rows keep their ids when the target is empty; the target's id sequences are then moved past them.
Only the ORM's tables are copied: indexes kept by triggers (search) fill themselves as rows arrive.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

BATCH = 2000


def copy_all(source: Any, target: Any, *, skip: Iterable[str] = ()) -> dict[str, int]:
    """Copy every row of every model table from ``source`` to ``target`` (SQLAlchemy connections)."""
    from sqlalchemy import select

    from esncoach.models import Base

    skipped = set(skip)
    counts: dict[str, int] = {}
    if target.dialect.name == "sqlite":  # self-references (carried action items) may point forward
        target.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
    for table in Base.metadata.sorted_tables:
        if table.name in skipped:
            continue
        result = source.execute(select(table).order_by(*table.primary_key.columns))
        n = 0
        while rows := result.fetchmany(BATCH):
            target.execute(table.insert(), [dict(r._mapping) for r in rows])
            n += len(rows)
        counts[table.name] = n
        if n and target.dialect.name == "postgresql" and "id" in table.c and table.c.id.primary_key:
            target.exec_driver_sql(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), (SELECT max(id) FROM {table.name}))"
            )
    return counts
