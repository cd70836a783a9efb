"""Microsoft 365 / Graph "Viva Engage groups activity detail" (``getYammerGroupsActivityDetail``): per community.

Figures per community (messages posted, read, liked, members) over the report period are kept as
community figures (``CommunityFigure``), not added to the network's series: a message can be counted
in several communities, so their sum is not the network's total. The owner's name is never stored.
"""

from __future__ import annotations

from collections.abc import Iterator

from esncoach.imports.csvstream import BadCell, CsvTable, cell
from esncoach.imports.errors import RowError
from esncoach.imports.readers_common import figures, report_period
from esncoach.imports.records import Item, ReadContext, Record

NAME = "viva_groups_activity"
LABEL = "Viva Engage groups activity detail (Microsoft 365)"
REQUIRED = ("report refresh date", "group display name", "posted count", "read count", "liked count",
            "report period")
MAX_NAME = 300


def read(table: CsvTable, ctx: ReadContext) -> Iterator[Item]:
    """One empty network Record per community (so it counts as imported) and its figures in ``ctx.analytics``."""
    ctx.analytics.source = NAME
    refresh, period = table.index("report refresh date"), table.index("report period")
    group, deleted = table.index("group display name"), table.index("is deleted")
    columns = {"messages": table.index("posted count"), "reads": table.index("read count"),
               "likes": table.index("liked count"), "members": table.index("member count")}
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
        name = cell(cells, group).strip()[:MAX_NAME]
        if not name:
            yield RowError(line, "the group display name is empty")
            continue
        if cell(cells, deleted).strip().lower() == "true":
            name += " (deleted)"
        ctx.analytics.add_community(name, start, end, values)
        yield Record(line, None, start, end, {})
