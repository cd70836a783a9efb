"""A generic CSV: a ``date`` column plus any of the known metrics, and optionally a ``person`` column.

A row is about one day unless it says otherwise: an ``end`` column (``start,end``) or a ``period_days``
column makes it cover that period, and its figures are spread over the period's days (weekly totals are
then weekly totals, not one busy day). ``FORMAT_HELP`` is the description the wizard, ``esncoach import
--help`` and the README show.

Other column names map onto these through ``ReadContext.column_map`` (the wizard's mapping step);
without a mapping, common synonyms are recognised (``day``, ``posts``, ``reactions``, ``views``...).
A row without a person is a whole-network figure; rows about people are folded into the network total
for days where the file gives no whole-network figure of its own.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterator
from itertools import repeat
from operator import itemgetter

import numpy as np

from esncoach.imports.csvstream import BadCell, Block, CsvTable, cell, norm_header, parse_date
from esncoach.imports.errors import ImportFailed, RowError
from esncoach.imports.readers_common import figures
from esncoach.imports.records import Item, ReadContext, Record, SumKey, Sums, Who, person_from_text

NAME = "generic"
LABEL = "Generic CSV (date, metrics, optional person)"
METRICS = ("messages", "replies", "likes", "reads", "active_days", "replies_received")
TARGETS = ("date", "end_date", "period_days", "person", *METRICS)
MAX_PERIOD_DAYS = 366
FORMAT_HELP = (
    "Generic CSV: one row per day (or per period) with a header line. Columns: date (YYYY-MM-DD; also "
    "'day' or 'start'); for rows covering more than a day, end (the last day; also 'end date') or "
    "period_days (e.g. 7 for weekly rows); any of messages, replies, likes, reads, active_days, "
    "replies_received; optionally person (an e-mail or name; no person = the whole network). "
    "Example: start,end,messages,likes / 2026-09-07,2026-09-13,42,310"
)
"""How the generic CSV is written, in one paragraph (wizard, ``import --help``, README)."""
ALIASES: dict[str, tuple[str, ...]] = {
    "date": ("date", "day", "report date", "period start", "start date", "start", "week start"),
    "end_date": ("end date", "period end", "end", "week end"),
    "period_days": ("period days", "days in period", "period length"),
    "person": ("person", "email", "user", "name", "user principal name", "handle"),
    "messages": ("messages", "posts", "posted", "messages posted", "posted count"),
    "replies": ("replies", "comments", "reply messages"),
    "likes": ("likes", "reactions", "liked", "liked count", "reactions added"),
    "reads": ("reads", "views", "read", "read count", "seen"),
    "active_days": ("active days", "days active"),
    "replies_received": ("replies received", "responses"),
}
MAX_DATE_CACHE = 20_000
MAX_PEOPLE_CACHE = 50_000
MAX_CELL_CACHE = 100_000
NAN = float("nan")
REFUSED = -1.0
"""Stands for a figure the strict parser refused (never a value: counts are not negative)."""


def resolve_columns(keys: list[str], column_map: dict[str, str] | None = None) -> dict[str, int | None]:
    """target -> column index, from an explicit mapping (target -> header name) or else the aliases."""
    column_map = column_map or {}
    resolved: dict[str, int | None] = {}
    used: set[int] = set()
    for target in TARGETS:
        index: int | None = None
        if target in column_map:
            wanted = norm_header(column_map[target] or "")
            index = keys.index(wanted) if wanted and wanted in keys else None
        else:
            for alias in ALIASES[target]:
                if alias in keys and keys.index(alias) not in used:
                    index = keys.index(alias)
                    break
        if index is not None:
            used.add(index)
        resolved[target] = index
    return resolved


def looks_generic(keys: list[str]) -> bool:
    """A header the generic reader can read without a mapping: a date column and a metric column."""
    cols = resolve_columns(keys)
    return cols["date"] is not None and any(cols[m] is not None for m in METRICS)


def read(table: CsvTable, ctx: ReadContext) -> Iterator[Item]:
    """Sums per block of rows (``Sums``), and a Record or RowError for each row needing a closer look."""
    cols = resolve_columns(table.keys, ctx.column_map)
    if cols["date"] is None:
        raise ImportFailed("No column holds the date: map one to “date”.")
    metric_cols = {m: cols[m] for m in METRICS if cols[m] is not None}
    if not metric_cols:
        raise ImportFailed("No column holds a figure: map at least one of " + ", ".join(METRICS) + ".")
    rows = _Rows(table, ctx, cols, metric_cols)
    by_row = _reads_by_row(cols)
    for block in table.blocks():
        yield from rows.block(block, by_row=by_row)
    if rows.counted:
        yield Sums(0, 0, {}, {}, {}, rows.unmatched())


def _reads_by_row(cols: dict[str, int | None]) -> bool:
    """Whether every row takes the row-by-row path: rows covering a period do (rare, and small files)."""
    return cols["end_date"] is not None or cols["period_days"] is not None


class _Rows:
    """The generic reader's state: caches of cells already read, and the two ways of reading a block.

    The fast path works column by column: each distinct date, person and figure text is parsed once (by
    the same strict parsers as the row path) and then looked up, and the figures are summed with numpy.
    A row any of whose cells is not plainly readable (a bad or empty date, a bad figure, no figure at
    all) goes through ``row``, which gives exactly the Record or the RowError naming the fault.
    """

    def __init__(self, table: CsvTable, ctx: ReadContext, cols: dict[str, int | None],
                 metric_cols: dict[str, int | None]) -> None:
        self.ctx, self.parse_count = ctx, table.parse_count
        self.date_col, self.end_col, self.person_col = cols["date"], cols["end_date"], cols["person"]
        self.days_col = cols["period_days"]
        self.metric_cols = metric_cols
        self.metrics = tuple(metric_cols)
        self.dates: dict[str, object] = {}
        self.people: dict[str, object] = {}
        self.codes: dict[str, int] = {}  # person text -> exec id, 0 for another person, -1 for none
        self.whos: dict[str, Who | None] = {}  # person text -> the person, for the codes above
        self.counted: Counter[str] = Counter()  # rows per person text, until reported
        self.values: dict[str, float] = {}  # figure text -> value, NaN when null
        used = [self.date_col, *metric_cols.values()] + ([self.person_col] if self.person_col is not None else [])
        self.width = max(i for i in used if i is not None) + 1
        self.picks = [itemgetter(i) for i in used]  # one column at a time: the fastest transpose here
        self.ordinals: dict[str, int] = {}  # date text -> day ordinal (fast path)

    def row(self, line: int, cells: list[str]) -> Item:
        """One row read on its own: its Record, or the RowError saying what is wrong with it."""
        try:
            start = _date(cell(cells, self.date_col), self.dates)
            if start is None:
                raise BadCell("the date is empty")
            end = _date(cell(cells, self.end_col), self.dates) if self.end_col is not None else None
            if end is None and self.days_col is not None and cell(cells, self.days_col).strip():
                end = start + dt.timedelta(days=_period_days(cell(cells, self.days_col)) - 1)
            end = end or start
            if end < start:
                raise BadCell("the end date is before the date")
            values = figures(cells, self.metric_cols, self.parse_count)
        except BadCell as exc:
            return RowError(line, str(exc))
        if not values:
            return RowError(line, "the row has no figures")
        return Record(line, self._who(cell(cells, self.person_col)), start, end, values)

    def _who(self, text: str) -> Who | None:
        people = self.people
        who = people.get(text)
        if who is None and text not in people:
            who = person_from_text(text)
            if len(people) > MAX_PEOPLE_CACHE:
                people.clear()
            people[text] = who
        return who  # type: ignore[return-value]

    def block(self, block: Block, *, by_row: bool) -> Iterator[Item]:
        """The block's rejections and slow-path Records in line order, then one Sums for the rest."""
        lines, rows = block.lines, block.rows
        refused = [RowError(line, reason) for line, reason in block.refused]
        if by_row or not rows:
            items = refused + [self.row(line, cells) for line, cells in zip(lines, rows)]
            items.sort(key=lambda item: item.line)
            yield from items
            return
        if min(map(len, rows)) < self.width:  # short rows read as empty cells
            pad = [""] * self.width
            rows = [cells if len(cells) >= self.width else cells + pad[len(cells):] for cells in rows]
        columns = [list(map(pick, rows)) for pick in self.picks]
        days = np.array(_lookup(columns[0], self.ordinals, self._ordinal, -1), dtype=np.int64)
        found = np.array([_lookup(texts, self.values, self._value, REFUSED)
                          for texts in columns[1:1 + len(self.metrics)]], dtype=np.float64)
        # A date or figure the strict parsers refused (or an empty date), or no figure at all: the row path
        # gives the Record or says what is wrong.
        bad = np.isnan(found).all(axis=0) | (days < 0) | (found < 0).any(axis=0)
        people = columns[-1] if self.person_col is not None else None
        if bad.any():
            for i in np.flatnonzero(bad).tolist():
                refused.append(self.row(lines[i], rows[i]))
            refused.sort(key=lambda item: item.line)
            keep = ~bad
            found, days = found[:, keep], days[keep]
            if people is not None:
                people = [people[i] for i in np.flatnonzero(keep).tolist()]
        yield from refused
        if days.size:
            yield self._sums(lines[-1], days, people, found)

    def _sums(self, line: int, days: np.ndarray, people: list[str] | None, found: np.ndarray) -> Sums:
        n = days.size
        samples: dict[SumKey, float] = {}
        network: dict[SumKey, float] = {}
        matched: dict[int, int] = {}
        if people is None:
            _add(network, days, found, self.metrics, per_exec=False)
            return Sums(line, n, samples, network, matched, [])
        codes, whos = self.codes, self.whos
        new = set(people).difference(codes)
        if new and len(codes) > MAX_PEOPLE_CACHE:
            unmatched = self.unmatched()
            codes.clear()
            whos.clear()
            new = set(people)
        else:
            unmatched = []
        for text in new:
            who = whos[text] = person_from_text(text)
            codes[text] = -1 if who is None else (self.ctx.match(who) or 0)
        self.counted.update(people)
        code = np.fromiter(map(codes.__getitem__, people), np.int64, n)
        person = code >= 0
        _add(samples, days[person], found[:, person], self.metrics, per_exec=False)  # each person's share
        if not person.all():
            _add(network, days[~person], found[:, ~person], self.metrics, per_exec=False)
        execs = code > 0
        if execs.any():
            ids, rows = np.unique(code[execs], return_counts=True)
            matched = dict(zip(ids.tolist(), rows.tolist()))
            _add(samples, (code[execs] << 32) | days[execs], found[:, execs], self.metrics, per_exec=True)
        return Sums(line, n, samples, network, matched, unmatched)

    def unmatched(self) -> list[tuple[Who, int]]:
        """Rows counted so far per person matching no exec (then forgotten, so memory stays bounded)."""
        codes, whos = self.codes, self.whos
        found = [(whos[text], rows) for text, rows in self.counted.items() if codes[text] == 0]
        self.counted.clear()
        return [(who, rows) for who, rows in found if who is not None and who.key]

    def _ordinal(self, text: str) -> int | None:
        try:
            day = parse_date(text)
        except BadCell:
            return None
        return None if day is None else day.toordinal()

    def _value(self, text: str) -> float | None:
        try:
            value = self.parse_count(text)
        except BadCell:
            return None
        return NAN if value is None else value


def _lookup(texts: list[str], cache: dict, parse: Callable[[str], object], missing: object) -> list:
    """Each text's parsed value, ``missing`` where it cannot be parsed; each distinct text is parsed once."""
    found = list(map(cache.get, texts, repeat(missing, len(texts))))
    if missing in found:  # texts not seen before, or not readable
        if len(cache) > MAX_CELL_CACHE:
            cache.clear()
        for text in set(texts).difference(cache):
            value = parse(text)
            if value is not None:
                cache[text] = value
        found = list(map(cache.get, texts, repeat(missing, len(texts))))
    return found


def _add(into: dict[SumKey, float], keys: np.ndarray, found: np.ndarray, metrics: tuple[str, ...], *,
         per_exec: bool) -> None:
    """Sum ``found`` (metrics × rows, NaN = no figure) per key into ``into``.

    ``keys`` are day ordinals for the network, or ``exec_id << 32 | ordinal`` per exec.
    """
    if not keys.size:
        return
    unique, at = np.unique(keys, return_inverse=True)
    present = ~np.isnan(found)
    filled = np.where(present, found, 0.0)
    if per_exec:
        labels = [(k >> 32, dt.date.fromordinal(k & 0xFFFFFFFF)) for k in unique.tolist()]
    else:
        labels = [(None, dt.date.fromordinal(k)) for k in unique.tolist()]
    for metric, values, seen in zip(metrics, filled, present):
        totals = np.bincount(at, weights=values, minlength=unique.size).tolist()
        counts = np.bincount(at, weights=seen, minlength=unique.size).tolist()
        for (exec_id, day), total, count in zip(labels, totals, counts):
            if count:
                key = (exec_id, metric, day, day)
                into[key] = into.get(key, 0.0) + total


def _period_days(text: str) -> int:
    try:
        days = float(text.strip())
    except ValueError:
        raise BadCell(f"period_days “{text.strip()}” is not a number of days") from None
    if days != int(days) or not 1 <= days <= MAX_PERIOD_DAYS:
        raise BadCell(f"period_days must be a whole number of days from 1 to {MAX_PERIOD_DAYS}")
    return int(days)


def _date(text: str, cache: dict[str, object]):  # noqa: ANN202 - returns dt.date | None
    if text in cache:
        return cache[text]
    day = parse_date(text)
    if len(cache) > MAX_DATE_CACHE:
        cache.clear()
    cache[text] = day
    return day
