"""Which database objects Alembic's autogenerate compares; raw-SQL objects (FTS indexes) are left out."""

from __future__ import annotations

IGNORED_PREFIXES = ("fts_", "search_", "team_")


def include_name(name: str | None, type_: str) -> bool:
    """False for tables managed by raw SQL in migrations rather than by the ORM models."""
    if type_ == "table" and name and name.startswith(IGNORED_PREFIXES):
        return False
    return True
