"""Microsoft 365 admin centre "Viva Engage activity" user detail, as the admin centre's Export button writes it.

The admin centre's header differs from the Graph report's (``Username, Display name, User state,
State change date (UTC), Last activity date (UTC), Posted, Read, Liked, Product assigned``) and carries
no period: the window chosen on the page (7, 30, 90 or 180 days) is not in the file. It comes from the
caller (``--from``/``--to`` or the wizard), else it is assumed to be the 30 days ending on the latest
"Last activity date", with a warning; a row that contradicts that assumption (activity counted for
someone whose last activity is before the window) stops the import with a request for the period.
"""

from __future__ import annotations

from collections.abc import Iterator

from esncoach.imports.csvstream import BadCell, CsvTable, cell, parse_date
from esncoach.imports.errors import RowError
from esncoach.imports.readers_common import DEFAULT_WINDOW_DAYS, ask_for_period, assumed_window, figures
from esncoach.imports.records import Item, ReadContext, Record, Who

NAME = "viva_admin_user_detail"
LABEL = "Viva Engage user activity (Microsoft 365 admin centre export)"
REQUIRED = ("username", "display name", "posted", "read", "liked")
LAST_ACTIVITY = ("last activity date (utc)", "last activity date")


def read(table: CsvTable, ctx: ReadContext) -> Iterator[Item]:
    """One Record per user: messages posted, messages read and likes given over the chosen window."""
    ctx.analytics.source = NAME
    period = ctx.period
    assumed = period is None
    if period is None:
        period = assumed_window(ctx, *LAST_ACTIVITY, days=DEFAULT_WINDOW_DAYS)
    start, end = period
    user, name, last = table.index("username"), table.index("display name"), table.index(*LAST_ACTIVITY)
    columns = {"messages": table.index("posted"), "reads": table.index("read"), "likes": table.index("liked")}
    for line, cells, problem in table.records():
        if cells is None:
            yield RowError(line, problem)
            continue
        try:
            values = figures(cells, columns, table.parse_count)
            last_day = parse_date(cell(cells, last))
        except BadCell as exc:
            yield RowError(line, str(exc))
            continue
        if assumed and any(values.values()) and last_day is not None and last_day < start:
            raise ask_for_period(ctx, period, line, f"activity counted for someone last active on {last_day.isoformat()}")
        email = cell(cells, user).strip().lower()
        display = cell(cells, name).strip()
        if not email and not display:
            yield RowError(line, "the row names no user (username and display name are empty)")
            continue
        who = Who(email=email, name=display) if "@" in email else Who(handle=email, name=display)
        ctx.analytics.add_person(start, end, values)  # only the spread of values, no identities
        yield Record(line, who, start, end, values)
