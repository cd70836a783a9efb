"""Yammer network data export ``Messages.csv``: one row per message, counted into per-day figures.

Gives network messages and replies per day, each tracked exec's own messages and replies, and the
replies each exec's messages received. The export is not guaranteed to list a message before its
replies, so replies received are counted in a second pass once every exec message id is known; only
the ids of tracked execs' messages are kept, so memory stays flat however large the export.
"""

from __future__ import annotations

from collections.abc import Iterator

from esncoach.imports.csvstream import BadCell, CsvTable, cell, is_null, parse_date
from esncoach.imports.errors import RowError
from esncoach.imports.records import Item, ReadContext, Record, Who

NAME = "yammer_messages"
LABEL = "Yammer network data export (Messages.csv)"
REQUIRED = ("id", "replied to id", "sender email", "created at")
MAX_DATE_CACHE = 20_000


class _Columns:
    def __init__(self, table: CsvTable) -> None:
        self.id = table.index("id")
        self.replied_to = table.index("replied to id")
        self.email = table.index("sender email")
        self.name = table.index("sender name")
        self.created = table.index("created at")


def read(table: CsvTable, ctx: ReadContext) -> Iterator[Item]:
    """Per-message Records (pass 1), then replies received by execs (pass 2, only if execs posted)."""
    exec_messages: dict[str, int] = {}
    dates: dict[str, object] = {}
    col = _Columns(table)
    for line, cells, problem in table.records():
        if cells is None:
            yield RowError(line, problem)
            continue
        try:
            day = _day(cell(cells, col.created), dates)
        except BadCell as exc:
            yield RowError(line, f"created at: {exc}")
            continue
        msg_id = cell(cells, col.id).strip()
        if not msg_id:
            yield RowError(line, "the message id is empty")
            continue
        is_reply = not is_null(cell(cells, col.replied_to))
        who = Who(email=cell(cells, col.email).strip().lower(), name=cell(cells, col.name).strip())
        exec_id = ctx.match(who) if who.key else None
        if exec_id is not None:
            exec_messages[msg_id] = exec_id
        values = {"messages": 1.0, "replies": 1.0} if is_reply else {"messages": 1.0}
        yield Record(line, who, day, day, values, exec_id=exec_id)  # never None: not a network-wide row
    if not exec_messages:
        return
    ctx.passes = 2
    ctx.current_pass = 1
    with ctx.reopen() as again:
        col = _Columns(again)
        for line, cells, _problem in again.records():
            if cells is None:
                continue
            parent = exec_messages.get(cell(cells, col.replied_to).strip())
            if parent is None:
                continue
            try:
                day = _day(cell(cells, col.created), dates)
            except BadCell:
                continue  # already reported in the first pass
            if not cell(cells, col.id).strip():
                continue
            sender = Who(email=cell(cells, col.email).strip().lower(), name=cell(cells, col.name).strip())
            if sender.key and ctx.match(sender) == parent:
                continue  # an exec answering in their own thread is not a response to them
            yield Record(line, None, day, day, {"replies_received": 1.0}, exec_id=parent, fold=False)


def _day(text: str, cache: dict[str, object]):  # noqa: ANN202 - returns dt.date
    day = cache.get(text)
    if day is None:
        day = parse_date(text)
        if day is None:
            raise BadCell("the date is empty")
        if len(cache) > MAX_DATE_CACHE:
            cache.clear()
        cache[text] = day
    return day
