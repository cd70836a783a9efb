"""Yammer / Viva Engage network data export ``Messages.csv``: one row per message.

Pass 1 counts per-day figures (network messages and replies, each tracked exec's own messages,
replies and, when the export has ``delegate_id``, messages a delegate posted for them) and each
person's messages per month into the network's distribution sketches (identities are dropped once
the file is read). Pass 2 (only when the workspace has execs) counts the replies each exec's messages
received, the asks addressed to each exec (replies in threads they started, ``[[user:ID]]`` mentions)
and whether and when they answered, and, for the last ``LISTENING_DAYS`` of the export, the terms of
every message and the busiest threads (messages in private groups and conversations are left out of
these). Only the ids of tracked execs' messages and threads are kept
between passes, so memory grows with the people and execs, not with the file.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections import Counter
from collections.abc import Iterator
from operator import itemgetter

from esncoach.imports.csvstream import NULLS, BadCell, CsvTable, is_null, parse_date
from esncoach.imports.errors import RowError
from esncoach.imports.records import Item, ReadContext, Record, SumKey, Sums, Who
from esncoach.imports.themes import TermCounter, ThreadTracker, name_words, terms_of

NAME = "yammer_messages"
LABEL = "Yammer network data export (Messages.csv)"
REQUIRED = ("id", "replied to id", "sender email", "created at")
MAX_DATE_CACHE = 20_000
MAX_SENDER_CACHE = 50_000
MESSAGE_BLOCK_ROWS = 128
"""Messages carry long bodies: smaller blocks stay in the CPU caches (measured: 512 rows read ~25% slower)."""
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
        self.private_group = table.index("in private group")
        self.private_chat = table.index("in private conversation")


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
    width = len(table.keys)
    # Every row is padded to width + 1 cells, so an absent column reads the empty cell at ``width``.
    i_id, i_reply, i_thread, i_sender, i_email, i_name, i_created = (
        width if i is None else i
        for i in (col.id, col.replied_to, col.thread, col.sender_id, col.email, col.name, col.created))
    i_delegate = col.delegate
    monthly: dict[tuple[int, int], dict[str, list[int]]] = {}
    seen: set[str] = set()
    senders: dict[tuple[str, str], tuple[Who, int | None]] = {}  # (email, name) cells -> person, exec id
    match, names = ctx.match, st.names
    prev_day: dt.date | None = None
    month: dict[str, list[int]] = {}
    pad = [""] * (width + 1)
    others: dict[str, list] = {}  # rows per person matching no exec, reported when many or at the end
    for block in table.blocks(MESSAGE_BLOCK_ROWS):
        # Per block: every message's day (and each reply's), exec messages, rows per person matching no exec.
        days: list[dt.date] = []
        reply_days: list[dt.date] = []
        samples: dict[SumKey, float] = {}
        matched: dict[int, int] = {}
        problems = [RowError(line, reason) for line, reason in block.refused]
        for line, cells in zip(block.lines, block.rows):
            if len(cells) <= width:
                cells.extend(pad[len(cells):])
            created = cells[i_created]
            day = dates.get(created[:10])  # see _day: "YYYY-MM-DD hh:mm:ss UTC" is cached by its date part
            if day is None or len(created) > 10 and created[10] not in " T":
                try:
                    day = _day(created, dates)
                except BadCell as exc:
                    problems.append(RowError(line, f"created at: {exc}"))
                    continue
            msg_id = cells[i_id].strip()
            if not msg_id:
                problems.append(RowError(line, "the message id is empty"))
                continue
            if day is not prev_day:
                prev_day = day
                if st.last_day is None or day > st.last_day:
                    st.last_day = day
                if st.first_day is None or day < st.first_day:
                    st.first_day = day
                key = (day.year, day.month)
                month = monthly.get(key)  # type: ignore[assignment]
                if month is None:
                    month = monthly[key] = {}
            replied_to = cells[i_reply]
            is_reply = bool(replied_to) and replied_to.strip().lower() not in NULLS
            email_cell, name = cells[i_email], cells[i_name]
            sender = senders.get((email_cell, name))
            if sender is None:
                who = Who(email=email_cell.strip().lower(), name=name.strip())
                sender = (who, match(who) if who.key else None)
                if len(senders) > MAX_SENDER_CACHE:
                    senders.clear()
                senders[(email_cell, name)] = sender
            who, exec_id = sender
            days.append(day)
            if is_reply:
                reply_days.append(day)
            sender_id = cells[i_sender].strip()
            person = sender_id or who.key
            counts = month.get(person)
            if counts is None:
                month[person] = [1, 1 if is_reply else 0]
                if person not in seen:
                    seen.add(person)
                    names |= name_words(who.name) | name_words(who.email)
            else:
                counts[0] += 1
                if is_reply:
                    counts[1] += 1
            if exec_id is None:
                if who.key:
                    entry = others.get(who.key)
                    if entry is None:
                        others[who.key] = [who, 1]
                    else:
                        entry[1] += 1
                continue
            matched[exec_id] = matched.get(exec_id, 0) + 1
            for metric in ("messages", "replies") if is_reply else ("messages",):
                key = (exec_id, metric, day, day)
                samples[key] = samples.get(key, 0.0) + 1.0
            thread = cells[i_thread].strip() or msg_id
            st.exec_messages[msg_id] = exec_id
            st.joined.setdefault(thread, set()).add(exec_id)
            st.exec_times.setdefault((exec_id, thread), []).append(_when(created, day))
            if not is_reply:
                st.exec_started[thread] = exec_id
            if sender_id:
                st.exec_sender_ids[sender_id] = exec_id
            if i_delegate is not None:
                key = (exec_id, "delegated_messages", day, day)
                samples[key] = samples.get(key, 0.0) + (0.0 if is_null(cells[i_delegate]) else 1.0)
        for metric, counted in (("messages", days), ("replies", reply_days)):
            for day, n in Counter(counted).items():  # every message counts towards the network total
                key = (None, metric, day, day)
                samples[key] = samples.get(key, 0.0) + n
        problems.sort(key=lambda item: item.line)
        yield from problems
        people = []
        if len(others) > MAX_SENDER_CACHE:
            people = [(w, n) for w, n in others.values()]
            others.clear()
        if days or people:
            yield Sums(block.lines[-1], len(days), samples, {}, matched, people)
    if others:
        yield Sums(0, 0, {}, {}, {}, [(w, n) for w, n in others.values()])
    for (year, month_no), people in monthly.items():
        start = dt.date(year, month_no, 1)
        end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        # Into the distributions as value -> people (the same sketch as adding each person in turn).
        ctx.analytics.add_counts("messages", start, end, Counter(map(itemgetter(0), people.values())))
        ctx.analytics.add_counts("replies", start, end, Counter(map(itemgetter(1), people.values())))
    monthly.clear()
    for times in st.exec_times.values():
        times.sort()


def _pass_two(table: CsvTable, ctx: ReadContext, st: _State, dates: dict[str, dt.date]) -> Iterator[Item]:
    from esncoach.imports.analytics import Ask

    col = _Columns(table)
    width = len(table.keys)
    i_id, i_reply, i_thread, i_email, i_name, i_created, i_body, i_url, i_group, i_title, i_pg, i_pc = (
        width if i is None else i
        for i in (col.id, col.replied_to, col.thread, col.email, col.name, col.created, col.body, col.url, col.group,
                  col.title, col.private_group, col.private_chat))
    assert st.last_day is not None and st.first_day is not None
    window_start = st.last_day - dt.timedelta(days=LISTENING_DAYS - 1)
    terms, threads = TermCounter(), ThreadTracker()
    asks, match = ctx.analytics.asks, ctx.match
    exec_messages, exec_started, exec_sender_ids = st.exec_messages, st.exec_started, st.exec_sender_ids
    pad = [""] * (width + 1)
    for block in table.blocks(MESSAGE_BLOCK_ROWS):
        for line, cells in zip(block.lines, block.rows):
            if len(cells) <= width:
                cells.extend(pad[len(cells):])
            created = cells[i_created]
            day = dates.get(created[:10])  # as in pass 1
            if day is None or len(created) > 10 and created[10] not in " T":
                try:
                    day = _day(created, dates)
                except BadCell:
                    continue  # already reported in the first pass
            msg_id = cells[i_id].strip()
            if not msg_id:
                continue
            replied_to = cells[i_reply].strip()
            is_reply = bool(replied_to) and replied_to.lower() not in NULLS
            body = cells[i_body]
            listening = day >= window_start
            if not (is_reply or listening or "[[" in body):
                continue  # a thread's first message before the listening window, mentioning nobody: nothing to learn
            thread = cells[i_thread].strip() or (replied_to if is_reply else msg_id)
            sender: int | None = None
            sender_known = False
            parent = exec_messages.get(replied_to) if is_reply else None
            if parent is not None:
                who = Who(email=cells[i_email].strip().lower(), name=cells[i_name].strip())
                sender, sender_known = (match(who) if who.key else None), True
                if sender != parent:  # an exec answering in their own thread is not a response to them
                    yield Record(line, None, day, day, {"replies_received": 1.0}, exec_id=parent, fold=False)
            starter_exec = exec_started.get(thread) if is_reply else None
            mentioned = ({exec_sender_ids.get(m) for m in _MENTION.findall(body)} - {None}) if "[[" in body else ()
            if starter_exec is not None or mentioned:
                if not sender_known:
                    who = Who(email=cells[i_email].strip().lower(), name=cells[i_name].strip())
                    sender = match(who) if who.key else None
                when = _when(created, day)
                link = cells[i_url].strip() or f"thread {thread}"
                addressed = {starter_exec: "reply"} if starter_exec is not None else {}
                for exec_id in mentioned:
                    addressed.setdefault(exec_id, "mention")
                for exec_id, kind in addressed.items():
                    if exec_id == sender:
                        continue
                    times = st.exec_times.get((exec_id, thread), [])
                    at = bisect.bisect_right(times, when)
                    asks.append(Ask(exec_id, link, kind, when, times[at] if at < len(times) else None))
            # Private groups and conversations never feed the listening brief.
            if listening and cells[i_pg].strip().lower() != "true" and cells[i_pc].strip().lower() != "true":
                found = terms_of(body) if body else []
                if found:
                    terms.add(day, found)
                threads.add(thread, day, is_reply=is_reply, community=cells[i_group].strip(),
                            title=cells[i_title].strip(), link=cells[i_url].strip(),
                            starter_terms=None if is_reply else found)
        if block.lines:  # lets the import report progress (and see a cancel) in this pass too
            yield Sums(block.lines[-1], 0, {}, {}, {}, [])
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
    # Timestamps are nearly all distinct; "YYYY-MM-DD hh:mm:ss UTC" is cached by its date part.
    key = text[:10] if len(text) > 10 and text[4] == "-" and text[7] == "-" and text[10] in " T" else text
    day = cache.get(key)
    if day is None:
        day = parse_date(text)
        if day is None:
            raise BadCell("the date is empty")
        if len(cache) > MAX_DATE_CACHE:
            cache.clear()
        cache[key] = day
    return day
