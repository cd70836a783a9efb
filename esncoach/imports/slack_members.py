"""Slack "member analytics" export: one row per member, totals over the window chosen when exporting.

The rows carry no period, so it comes from the wizard, else from the file name Slack gives the export
(e.g. ``Acme Member Analytics Feb 16, 2026 - Mar 17, 2026.csv`` or ``... Last 30 days - Mar 17, 2026``),
else it is assumed to be the 30 days ending on the latest "Last active" date, with a warning; when a
row contradicts that assumption (more active days than the window has) the import stops and asks for
the period (``esncoach import --from D --to D``) instead of rejecting row after row.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

from esncoach.imports.csvstream import BadCell, CsvTable, cell, parse_date
from esncoach.imports.errors import RowError
from esncoach.imports.readers_common import DEFAULT_WINDOW_DAYS, ask_for_period, assumed_window, figures
from esncoach.imports.records import Item, ReadContext, Record, Who

NAME = "slack_members"
LABEL = "Slack member analytics"
REQUIRED = ("name", "account type", "days active", "messages posted")

_DATE_IN_NAME = re.compile(r"(\d{4}-\d{2}-\d{2}|[A-Za-z]{3,9}\.? \d{1,2},? \d{4})")
_DAYS_IN_NAME = re.compile(r"(\d{1,3})[ _-]?days", re.IGNORECASE)


def period_from_file_name(path: Path) -> tuple[dt.date, dt.date] | None:
    """The export window when Slack's file name states it (two dates, or N days and an end date)."""
    dates = []
    for text in _DATE_IN_NAME.findall(path.stem.replace("_", " ")):
        try:
            day = parse_date(text)
        except BadCell:
            continue
        if day is not None:
            dates.append(day)
    if len(dates) >= 2 and dates[0] <= dates[-1]:
        return dates[0], dates[-1]
    days = _DAYS_IN_NAME.search(path.stem)
    if len(dates) == 1 and days and 1 <= int(days[1]) <= 3660:
        return dates[0] - dt.timedelta(days=int(days[1]) - 1), dates[0]
    return None


def read(table: CsvTable, ctx: ReadContext) -> Iterator[Item]:
    """One Record per member: messages posted, reactions added (as likes) and days active."""
    ctx.analytics.source = NAME
    period = ctx.period or period_from_file_name(Path(str(ctx.path)))
    assumed = period is None
    if period is None:
        period = assumed_window(ctx, "last active (utc)", "last active", days=DEFAULT_WINDOW_DAYS)
    start, end = period
    name, email = table.index("name", "full name"), table.index("email", "email address")
    handle = table.index("username", "display name")
    columns = {"messages": table.index("messages posted"), "likes": table.index("reactions added"),
               "active_days": table.index("days active")}
    for line, cells, problem in table.records():
        if cells is None:
            yield RowError(line, problem)
            continue
        try:
            values = figures(cells, columns, table.parse_count)
        except BadCell as exc:
            yield RowError(line, str(exc))
            continue
        if values.get("active_days", 0) > (end - start).days + 1:
            why = f"{values['active_days']:g} days active in a {(end - start).days + 1}-day window"
            if assumed:
                raise ask_for_period(ctx, period, line, why)
            yield RowError(line, why)
            continue
        who = Who(email=cell(cells, email).strip().lower(), handle=_handle(cell(cells, handle)),
                  name=cell(cells, name).strip())
        if not who.key:
            yield RowError(line, "the row names no member")
            continue
        ctx.analytics.add_person(start, end, values)  # only the spread of values, no identities
        yield Record(line, who, start, end, values)


def _handle(text: str) -> str:
    text = text.strip().lower()
    return ("@" + text.lstrip("@")) if text else ""
