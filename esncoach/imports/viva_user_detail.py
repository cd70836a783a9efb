"""Microsoft 365 / Graph "Viva Engage activity user detail": per-user totals over the report period."""

from __future__ import annotations

from collections.abc import Iterator

from esncoach.imports.csvstream import BadCell, CsvTable, cell
from esncoach.imports.errors import RowError
from esncoach.imports.readers_common import figures, report_period
from esncoach.imports.records import Item, ReadContext, Record, Who

NAME = "viva_user_detail"
LABEL = "Viva Engage activity user detail (Microsoft 365)"
REQUIRED = ("report refresh date", "user principal name", "posted count", "read count", "liked count",
            "report period")


def read(table: CsvTable, ctx: ReadContext) -> Iterator[Item]:
    """One Record per user: messages posted, messages read and likes given over the period."""
    ctx.analytics.source = NAME
    refresh, period = table.index("report refresh date"), table.index("report period")
    upn, name = table.index("user principal name"), table.index("display name")
    columns = {"messages": table.index("posted count"), "reads": table.index("read count"),
               "likes": table.index("liked count")}
    for line, cells, problem in table.records():
        if cells is None:
            yield RowError(line, problem)
            continue
        try:
            start, end = report_period(cell(cells, refresh), cell(cells, period))
            values = figures(cells, columns, table.parse_count)
        except BadCell as exc:
            yield RowError(line, str(exc))
            continue
        email = cell(cells, upn).strip().lower()
        display = cell(cells, name).strip()
        who = Who(email=email, name=display) if email or display else None
        if who is None:
            yield RowError(line, "the row names no user (user principal name and display name are empty)")
            continue
        ctx.analytics.add_person(start, end, values)  # only the spread of values, no identities
        yield Record(line, who, start, end, values)
