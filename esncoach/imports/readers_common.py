"""Small pieces the format readers share: per-row figures and the report period of Graph exports."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from esncoach.imports.csvstream import BadCell, cell, parse_count, parse_date
from esncoach.imports.errors import ImportFailed
from esncoach.imports.records import ReadContext

_DIGITS = re.compile(r"(\d+)")


def figures(cells: list[str], columns: dict[str, int | None],
            parse: Callable[[str], float | None] = parse_count) -> dict[str, float]:
    """metric -> value for the columns present and filled; raises BadCell naming the column at fault."""
    values: dict[str, float] = {}
    n = len(cells)
    for metric, index in columns.items():
        if index is None:
            continue
        text = cells[index] if index < n else ""
        try:
            value = parse(text)
        except BadCell as exc:
            raise BadCell(f"{metric.replace('_', ' ')}: {exc}") from None
        if value is not None:
            values[metric] = value
    return values


def report_period(refresh_text: str, period_text: str) -> tuple[dt.date, dt.date]:
    """The N days ending on the refresh date, as Microsoft 365 usage reports define their period."""
    try:
        end = parse_date(refresh_text)
    except BadCell as exc:
        raise BadCell(f"report refresh date: {exc}") from None
    if end is None:
        raise BadCell("the report refresh date is empty")
    match = _DIGITS.search(period_text or "")
    if not match:
        raise BadCell(f"report period “{period_text.strip()[:20]}” is not a number of days")
    days = int(match[1])
    if not 1 <= days <= 366:
        raise BadCell(f"report period of {days} days is not one Microsoft 365 produces (7, 30, 90 or 180)")
    return end - dt.timedelta(days=days - 1), end


DEFAULT_WINDOW_DAYS = 30
"""What a report without dates is assumed to cover: the admin centres' and Slack's default window."""


def assumed_window(ctx: ReadContext, *date_columns: str, days: int = DEFAULT_WINDOW_DAYS) -> tuple[dt.date, dt.date]:
    """The ``days`` ending on the latest date in ``date_columns`` (a pre-pass; the reader then reads again)."""
    ctx.passes = 2
    latest: dt.date | None = None
    with ctx.reopen() as table:
        col = table.index(*date_columns)
        for _line, cells, _problem in table.records():
            if cells is None:
                continue
            try:
                day = parse_date(cell(cells, col))
            except BadCell:
                continue
            if day is not None and (latest is None or day > latest):
                latest = day
    ctx.current_pass = 1
    if latest is None:
        latest = dt.date.today()
    start = latest - dt.timedelta(days=days - 1)
    ctx.warn(f"The file does not say which period it covers; assumed the {days} days {start.isoformat()} to "
             f"{latest.isoformat()} (give the period with --from and --to, or choose it in the import wizard, if "
             "that is wrong).")
    return start, latest


def ask_for_period(ctx: ReadContext, period: tuple[dt.date, dt.date], line: int, why: str) -> ImportFailed:
    """The one sentence refusing a file whose assumed window its own rows contradict."""
    name = getattr(ctx.path, "name", str(ctx.path))
    days = (period[1] - period[0]).days + 1
    return ImportFailed(
        f"“{name}” does not say which period it covers, and the assumed {days} days {period[0].isoformat()} to "
        f"{period[1].isoformat()} cannot be right (line {line}: {why}): give the period with --from YYYY-MM-DD "
        "--to YYYY-MM-DD (or choose it in the import wizard).")
