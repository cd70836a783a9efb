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
from collections.abc import Iterator

from esncoach.imports.csvstream import BadCell, CsvTable, cell, norm_header, parse_date
from esncoach.imports.errors import ImportFailed, RowError
from esncoach.imports.readers_common import figures
from esncoach.imports.records import Item, ReadContext, Record, person_from_text

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
    """One Record per row, about a person or (without one) the network."""
    cols = resolve_columns(table.keys, ctx.column_map)
    if cols["date"] is None:
        raise ImportFailed("No column holds the date: map one to “date”.")
    metric_cols = {m: cols[m] for m in METRICS if cols[m] is not None}
    if not metric_cols:
        raise ImportFailed("No column holds a figure: map at least one of " + ", ".join(METRICS) + ".")
    date_col, end_col, person_col = cols["date"], cols["end_date"], cols["person"]
    days_col = cols["period_days"]
    dates: dict[str, object] = {}
    people: dict[str, object] = {}
    for line, cells, problem in table.records():
        if cells is None:
            yield RowError(line, problem)
            continue
        try:
            start = _date(cell(cells, date_col), dates)
            if start is None:
                raise BadCell("the date is empty")
            end = _date(cell(cells, end_col), dates) if end_col is not None else None
            if end is None and days_col is not None and cell(cells, days_col).strip():
                end = start + dt.timedelta(days=_period_days(cell(cells, days_col)) - 1)
            end = end or start
            if end < start:
                raise BadCell("the end date is before the date")
            values = figures(cells, metric_cols, table.parse_count)
        except BadCell as exc:
            yield RowError(line, str(exc))
            continue
        if not values:
            yield RowError(line, "the row has no figures")
            continue
        text = cell(cells, person_col)
        who = people.get(text)
        if who is None and text not in people:
            who = person_from_text(text)
            if len(people) > MAX_PEOPLE_CACHE:
                people.clear()
            people[text] = who
        yield Record(line, who, start, end, values)


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
