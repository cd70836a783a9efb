"""Small pieces the format readers share: per-row figures and the report period of Graph exports."""

from __future__ import annotations

import datetime as dt
import re

from esncoach.imports.csvstream import BadCell, parse_count, parse_date

_DIGITS = re.compile(r"(\d+)")


def figures(cells: list[str], columns: dict[str, int | None]) -> dict[str, float]:
    """metric -> value for the columns present and filled; raises BadCell naming the column at fault."""
    values: dict[str, float] = {}
    n = len(cells)
    for metric, index in columns.items():
        if index is None:
            continue
        text = cells[index] if index < n else ""
        try:
            value = parse_count(text)
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
