"""Yammer / Viva Engage network data export ``Messages.csv``: one row per message.

Pass 1 counts per-day figures (network messages and replies, each tracked exec's own messages,
replies and, when the export has ``delegate_id``, messages a delegate posted for them) and each
person's messages per month into the network's distribution sketches (identities are dropped once
the file is read). Pass 2 (only when the workspace has execs) counts the replies each exec's messages
received, the asks addressed to each exec (replies in threads they started, ``[[user:ID]]`` mentions)
and whether and when they answered, and, for the last ``LISTENING_DAYS`` of the export, the terms of
every message and the busiest threads. Only the ids of tracked execs' messages and threads are kept
between passes, so memory grows with the people and execs, not with the file.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Iterator

from esncoach.imports.csvstream import BadCell, CsvTable, cell, is_null, parse_date
from esncoach.imports.errors import RowError
from esncoach.imports.records import Item, ReadContext, Record, Who
from esncoach.imports.themes import TermCounter, ThreadTracker, name_words, terms_of

NAME = "yammer_messages"
LABEL = "Yammer network data export (Messages.csv)"
REQUIRED = ("id", "replied to id", "sender email", "created at")
MAX_DATE_CACHE = 20_000
LISTENING_DAYS = 90
"""Days of terms and threads kept: the longest recent window (30 days) plus the 60-day baseline."""
THREAD_RANK_DAYS = 30
_MENTION = re.compile(r"\[\[user:(\d+)\]\]")


class _Columns:
    def __init__(self, table: CsvTable) -> None:
        self.id = table.index("id")
        self.replied_to = table.index("replied to id")
        self.thread = table.index("thread id")
        self.group = table.index("group name")
        self.sender_id = table.index("sender id")
        self.email = table.index("sender email")
        self.name = table.index("sender name")
        self.body = table.index("body")
        self.url = table.index("api url")
        self.created = table.index("created at")
        self.delegate = table.index("delegate id")
        self.title = table.index("title")


class _State:
    """What pass 1 learns for pass 2: only about tracked execs, plus name words to keep out of themes."""

    def __init__(self) -> None:
        self.exec_messages: dict[str, int] = {}
        self.exec_sender_ids: dict[str, int] = {}
        self.exec_started: dict[str, int] = {}
        self.exec_times: dict[tuple[int, str], list[dt.datetime]] = {}
        self.joined: dict[str, set[int]] = {}
        self.names: set[str] = set()
        self.last_day: dt.date | None = None
        self.first_day: dt.date | None = None


def read(table: CsvTable, ctx: ReadContext) -> Iterator[Item]:
    """Per-message Records (pass 1), then replies received, asks and listening data (pass 2)."""
    ctx.analytics.source = NAME
    state = _State()
    dates: dict[str, dt.date] = {}
    yield from _pass_one(table, ctx, state, dates)
    if state.last_day is None or not getattr(ctx.match, "execs", True):
        return
    ctx.passes = 2
    ctx.current_pass = 1
    with ctx.reopen() as again:
        yield from _pass_two(again, ctx, state, dates)


def _pass_one(table: CsvTable, ctx: ReadContext, st: _State, dates: dict[str, dt.date]) -> Iterator[Item]:
    col = _Columns(table)
    monthly: dict[tuple[int, int], dict[str, list[int]]] = {}
    seen: set[str] = set()
    for line, cells, problem in table.records():
        if cells is None:
            yield RowError(line, problem)
            continue
        created = cell(cells, col.created)
        try:
            day = _day(created, dates)
        except BadCell as exc:
            yield RowError(line, f"created at: {exc}")
            continue
        msg_id = cell(cells, col.id).strip()
        if not msg_id:
            yield RowError(line, "the message id is empty")
            continue
        is_reply = not is_null(cell(cells, col.replied_to))
        email = cell(cells, col.email).strip().lower()
        name = cell(cells, col.name).strip()
        who = Who(email=email, name=name)
        exec_id = ctx.match(who) if who.key else None
        if st.last_day is None or day > st.last_day:
            st.last_day = day
        if st.first_day is None or day < st.first_day:
            st.first_day = day
        person = cell(cells, col.sender_id).strip() or who.key
        if person not in seen:
            seen.add(person)
            st.names |= name_words(name) | name_words(email)
        month = monthly.get((day.year, day.month))
        if month is None:
            month = monthly[(day.year, day.month)] = {}
        counts = month.get(person)
        if counts is None:
            month[person] = [1, 1 if is_reply else 0]
        else:
            counts[0] += 1
            if is_reply:
                counts[1] += 1
        if exec_id is not None:
            thread = cell(cells, col.thread).strip() or msg_id
            st.exec_messages[msg_id] = exec_id
            st.joined.setdefault(thread, set()).add(exec_id)
            st.exec_times.setdefault((exec_id, thread), []).append(_when(created, day))
            if not is_reply:
                st.exec_started[thread] = exec_id
            sender_id = cell(cells, col.sender_id).strip()
            if sender_id:
                st.exec_sender_ids[sender_id] = exec_id
            if col.delegate is not None:
                delegated = 0.0 if is_null(cell(cells, col.delegate)) else 1.0
                yield Record(line, None, day, day, {"delegated_messages": delegated}, exec_id=exec_id, fold=False)
        values = {"messages": 1.0, "replies": 1.0} if is_reply else {"messages": 1.0}
        yield Record(line, who, day, day, values, exec_id=exec_id)  # never None: not a network-wide row
    for (year, month_no), people in monthly.items():
        start = dt.date(year, month_no, 1)
        end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        for messages, replies in people.values():
            ctx.analytics.add_person(start, end, {"messages": messages, "replies": replies})
    monthly.clear()
    for times in st.exec_times.values():
        times.sort()


def _pass_two(table: CsvTable, ctx: ReadContext, st: _State, dates: dict[str, dt.date]) -> Iterator[Item]:
    col = _Columns(table)
    assert st.last_day is not None and st.first_day is not None
    window_start = st.last_day - dt.timedelta(days=LISTENING_DAYS - 1)
    terms, threads = TermCounter(), ThreadTracker()
    asks = ctx.analytics.asks
    from esncoach.imports.analytics import Ask

    for line, cells, _problem in table.records():
        if cells is None:
            continue
        created = cell(cells, col.created)
        try:
            day = _day(created, dates)
        except BadCell:
            continue  # already reported in the first pass
        msg_id = cell(cells, col.id).strip()
        if not msg_id:
            continue
        replied_to = cell(cells, col.replied_to).strip()
        is_reply = not is_null(replied_to)
        thread = cell(cells, col.thread).strip() or (replied_to if is_reply else msg_id)
        sender: int | None = None
        sender_known = False
        parent = st.exec_messages.get(replied_to) if is_reply else None
        if parent is not None:
            who = Who(email=cell(cells, col.email).strip().lower(), name=cell(cells, col.name).strip())
            sender, sender_known = (ctx.match(who) if who.key else None), True
            if sender != parent:  # an exec answering in their own thread is not a response to them
                yield Record(line, None, day, day, {"replies_received": 1.0}, exec_id=parent, fold=False)
        body = cell(cells, col.body)
        starter_exec = st.exec_started.get(thread) if is_reply else None
        mentioned = {st.exec_sender_ids.get(m) for m in _MENTION.findall(body)} - {None} if "[[" in body else set()
        if starter_exec is not None or mentioned:
            if not sender_known:
                who = Who(email=cell(cells, col.email).strip().lower(), name=cell(cells, col.name).strip())
                sender = ctx.match(who) if who.key else None
            when = _when(created, day)
            link = cell(cells, col.url).strip() or f"thread {thread}"
            addressed = {starter_exec: "reply"} if starter_exec is not None else {}
            for exec_id in mentioned:
                addressed.setdefault(exec_id, "mention")
            for exec_id, kind in addressed.items():
                if exec_id == sender:
                    continue
                times = st.exec_times.get((exec_id, thread), [])
                at = bisect.bisect_right(times, when)
                asks.append(Ask(exec_id, link, kind, when, times[at] if at < len(times) else None))
        if day >= window_start:
            found = terms_of(body) if body else []
            if found:
                terms.add(day, found)
            threads.add(thread, day, is_reply=is_reply, community=cell(cells, col.group).strip(),
                        title=cell(cells, col.title).strip(), link=cell(cells, col.url).strip(),
                        starter_terms=None if is_reply else found)
    ctx.analytics.asks_span = (st.first_day, st.last_day)
    ctx.analytics.terms = terms.result(st.names)
    ctx.analytics.threads = threads.busiest(st.last_day - dt.timedelta(days=THREAD_RANK_DAYS - 1), st.joined,
                                            st.names)


def _when(text: str, day: dt.date) -> dt.datetime:
    """The message's time (UTC, naive) when written ``YYYY-MM-DD HH:MM[:SS]``, else midnight of its day."""
    t = text.strip()
    try:
        return dt.datetime.strptime(t[:19].replace("T", " "), "%Y-%m-%d %H:%M:%S")
    except ValueError:
        try:
            return dt.datetime.strptime(t[:16].replace("T", " "), "%Y-%m-%d %H:%M")
        except ValueError:
            return dt.datetime.combine(day, dt.time())


def _day(text: str, cache: dict[str, dt.date]) -> dt.date:
    day = cache.get(text)
    if day is None:
        day = parse_date(text)
        if day is None:
            raise BadCell("the date is empty")
        if len(cache) > MAX_DATE_CACHE:
            cache.clear()
        cache[text] = day
    return day
