"""The one error an import raises, and the per-row rejections it reports instead of failing."""

from __future__ import annotations

from dataclasses import dataclass

from esncoach.store.errors import StoreError


class ImportFailed(StoreError):
    """The file cannot be imported at all (unknown format, unreadable, no usable row); nothing was stored."""


@dataclass(frozen=True)
class RowError:
    """A row left out of an import, with the line it starts on (1 = the header line) and why."""

    line: int
    reason: str

    def as_json(self) -> dict[str, object]:
        return {"line": self.line, "reason": self.reason}
