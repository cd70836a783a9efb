"""What every format reader produces: figures about someone (or the network) over a period."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Protocol

from esncoach.imports.analytics import NetworkAnalytics
from esncoach.imports.csvstream import CsvTable
from esncoach.imports.errors import RowError

CHAT_MESSAGES = "chat_messages"
"""Teams chat messages (team and private chats); a metric string outside ``Metric`` on purpose, see readers."""


@dataclass(frozen=True, slots=True)
class Who:
    """How a row names a person: any of an email, a network handle and a display name."""

    email: str = ""
    handle: str = ""
    name: str = ""
    key: str = field(init=False, compare=False, hash=False, repr=False)
    """The identity the review step and a name mapping use: email, else handle, else name (lower-case)."""

    def __post_init__(self) -> None:
        # Computed once: the import looks it up for every row.
        object.__setattr__(self, "key", (self.email or self.handle or self.name).strip().lower())

    @property
    def label(self) -> str:
        """What to show a user for this person."""
        if self.name and (self.email or self.handle):
            return f"{self.name} <{self.email or self.handle}>"
        return self.name or self.email or self.handle


@dataclass(slots=True)
class Record:
    """Figures from one row: ``who`` None means the whole network; ``exec_id`` set means already matched.

    ``fold`` says whether the figures also count towards the network total (true for activity, false
    for responses an exec received, which the network total has already counted as replies).
    """

    line: int
    who: Who | None
    start: dt.date
    end: dt.date
    values: dict[str, float]
    exec_id: int | None = None
    fold: bool = True


SumKey = tuple[int | None, str, dt.date, dt.date]
"""(exec id or None for the network, metric, period start, period end): the key figures are summed under."""


@dataclass(slots=True)
class Sums:
    """What the Records of many rows would add up to, summed by a reader's column-wise fast path.

    ``samples`` already includes each row's share of the network total; ``network`` holds the file's own
    whole-network rows (no person), which win over the folded total; ``people`` counts the rows of each
    person matching no exec, for the review step.
    """

    line: int
    """The last line the sums cover (for progress)."""
    rows: int
    samples: dict[SumKey, float]
    network: dict[SumKey, float]
    matched_rows: dict[int, int]
    people: list[tuple[Who, int]]


Item = Record | RowError | Sums


@dataclass
class ReadContext:
    """What a reader may need beyond the file: a column mapping, a period, a matcher and a way to warn."""

    path: object
    reopen: Callable[[], CsvTable]
    match: Callable[[Who], int | None]
    column_map: dict[str, str] = field(default_factory=dict)
    period: tuple[dt.date, dt.date] | None = None
    warnings: list[str] = field(default_factory=list)
    analytics: NetworkAnalytics = field(default_factory=NetworkAnalytics)
    """Distributions, community figures, asks and listening data the reader collects besides figures."""
    passes: int = 1
    """How many times the reader reads the file (for progress); a reader may raise it before its first row."""
    current_pass: int = 0

    def warn(self, text: str) -> None:
        """Tell the user something about the whole file (once), e.g. an assumed period."""
        if text not in self.warnings:
            self.warnings.append(text)


class Reader(Protocol):
    """A format's reader: turns the open table's records into Records and RowErrors."""

    def __call__(self, table: CsvTable, ctx: ReadContext) -> Iterator[Item]: ...


def person_from_text(text: str) -> Who | None:
    """A generic ``person`` cell: an email, an ``@handle`` or a name; None when empty."""
    t = text.strip()
    if not t or t.lower() in ("null", "none", "n/a"):
        return None
    if "@" in t[1:]:
        return Who(email=t.lower())
    if t.startswith("@"):
        return Who(handle=t.lower())
    return Who(name=t)
