"""The rows of execs taken offline: which tables travel, how a row is keyed, and a digest of its content.

A check-out copies an exec's rows into a laptop's workspace under local ids and remembers, per row, its
key on the server and a digest of its content (``team_offline_row``, migration 0007). A check-in compares
digests three ways — as copied, as on the laptop now, as on the server now — to tell added, changed,
deleted and conflicting rows apart. Digests are always taken in the server's id space (foreign keys
translated), without the columns that change on every save (``version``, ``updated_at``) and without
``exec.private_notes``, which on a server lives in the author's own ``team_private_note``.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Mapping
from typing import Any

from esncoach.store.archive import SHARED_TABLES, _owned_tables

SKIPPED = frozenset({"id", "version", "updated_at"})
NOTE = "team_private_note"
"""The pseudo-table of the CM's own private note of each exec (one row per exec, keyed by the exec)."""
MATCH = {"person": "email", "tag": "name"}
"""How a shared row added offline finds the server's row for the same person or tag."""


def metadata() -> Any:
    from esncoach.models import Base

    return Base.metadata


@functools.cache
def travelling_tables() -> tuple[Any, ...]:
    """Shared tables (people, tags, import batches) and every exec-owned table, parents first."""
    md = metadata()
    owned = _owned_tables(md)
    return tuple(t for t in md.sorted_tables if t.name in owned or t.name in SHARED_TABLES)


@functools.cache
def owned_names() -> frozenset[str]:
    """Names of the tables whose rows belong to one exec."""
    return frozenset(_owned_tables(metadata()))


@functools.cache
def has_id(table: Any) -> bool:
    """True for tables keyed by one integer ``id`` (all but the tag links)."""
    return "id" in table.c and table.c.id.primary_key


@functools.cache
def key_columns(table: Any) -> tuple[str, ...]:
    """The columns that identify a row: ``id``, or the foreign keys of a link table."""
    return ("id",) if has_id(table) else tuple(c.name for c in table.primary_key.columns)


@functools.cache
def owner_column(table: Any) -> str | None:
    """The column leading from a row to its exec (``exec_id`` when present, else the owned parent's key)."""
    if table.name == "exec":
        return "id"
    owned = owned_names()
    if "exec_id" in table.c:
        return "exec_id"
    for fk in table.foreign_keys:
        if fk.column.table is not table and fk.column.table.name in owned:
            return fk.parent.name
    return None


@functools.cache
def fk_targets(table: Any) -> dict[str, str]:
    """column -> the table it points at, for every foreign key of ``table``."""
    return {fk.parent.name: fk.column.table.name for fk in table.foreign_keys}


@functools.cache
def content_columns(table: Any) -> tuple[str, ...]:
    """The columns a digest covers."""
    return tuple(c.name for c in table.c
                 if c.name not in SKIPPED and not (table.name == "exec" and c.name == "private_notes"))


def digest(values: tuple[Any, ...]) -> str:
    """A short fingerprint of a row's content (repr is stable for the types the models use)."""
    return hashlib.blake2b(repr(values).encode(), digest_size=10).hexdigest()


def row_digest(table: Any, row: Mapping[str, Any], translate: Callable[[str, Any], Any]) -> str:
    """The digest of ``row`` with each foreign key passed through ``translate(column, value)``."""
    targets = fk_targets(table)
    return digest(tuple(translate(c, row[c]) if c in targets else row[c] for c in content_columns(table)))


def digester(table: Any, l2s: dict[str, dict[int, int]]) -> Callable[[Mapping[str, Any]], str]:
    """``row_digest`` for many rows of one table, foreign keys looked up in ``l2s`` (laptop id -> server id).

    The maps are taken by reference, so ids added to them later are seen.
    """
    import operator

    targets = fk_targets(table)
    cols = content_columns(table)
    maps = [(i, l2s.setdefault(targets[c], {})) for i, c in enumerate(cols) if c in targets]
    getter = operator.itemgetter(*cols)
    single = len(cols) == 1
    blake = hashlib.blake2b

    def run(row: Mapping[str, Any]) -> str:
        values = (getter(row),) if single else getter(row)
        if maps:
            values = list(values)
            for i, m in maps:
                if values[i] is not None:
                    values[i] = m.get(values[i])
            values = tuple(values)
        return blake(repr(values).encode(), digest_size=10).hexdigest()

    return run


def note_digest(text: str) -> str:
    """The digest of one private note."""
    return digest((text or "",))


def row_key(table: Any, row: Mapping[str, Any], translate: Callable[[str, Any], Any] | None = None) -> str:
    """A row's key as text (``"12"``, or ``"3,7"`` for a link row), foreign keys translated if asked."""
    cols = key_columns(table)
    if cols == ("id",):
        return str(row["id"])
    return ",".join(str(translate(c, row[c]) if translate else row[c]) for c in cols)
