"""No lost edits between colleagues: a save names the version it started from and is refused if stale.

Rows people edit carry a ``version`` (``esncoach.models.base.Versioned``). A view reads it with the row
and hands it back with the save; ``expect_version`` refuses the save when the stored row has moved on
since, with both texts in the error so the view can show them and keep both. The ORM's own version
check covers the moment between this check and the UPDATE.
"""

from __future__ import annotations

from typing import Any

from esncoach.store.server import ConflictError

__all__ = ["ConflictError", "expect_version"]


def expect_version(row: Any, expected: int | None, *, what: str, theirs: str = "", yours: str = "") -> None:
    """Raise ConflictError unless ``row`` (just read in this transaction) is still at ``expected``.

    ``expected`` None means the caller does not track versions (scripts, single-user paths): no check.
    """
    if expected is None or row.version == expected:
        return
    raise ConflictError(
        f"Someone else saved {what} while you were editing it; your version was not saved over theirs.",
        theirs=theirs, yours=yours, version=row.version,
    )
