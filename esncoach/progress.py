"""How long-running work reports progress and learns it was cancelled, without knowing about Qt.

It sits below every layer (store, services, imports, reports) because all of them run long work:
a backup in the store reports through the same sink as an import in the services.
"""

from __future__ import annotations

from typing import Protocol


class Cancelled(Exception):
    """Raised inside long work when the user pressed Cancel; the work's transaction rolls back."""


class ProgressSink(Protocol):
    """Called by long work now and then; raises Cancelled when the user asked to stop."""

    def __call__(self, done: int, total: int, message: str = "") -> None: ...


def no_progress(done: int, total: int, message: str = "") -> None:
    """The sink used from scripts and tests that do not watch progress."""


__all__ = ["Cancelled", "ProgressSink", "no_progress"]
