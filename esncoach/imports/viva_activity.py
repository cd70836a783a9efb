"""Microsoft 365 / Graph "Viva Engage activity counts": whole-network likes, posts and reads per day."""

from __future__ import annotations

from collections.abc import Iterator

from esncoach.imports.csvstream import BadCell, CsvTable, cell, parse_date
from esncoach.imports.errors import RowError
from esncoach.imports.readers_common import figures
from esncoach.imports.records import Item, ReadContext, Record

NAME = "viva_activity"
LABEL = "Viva Engage activity counts (Microsoft 365)"
REQUIRED = ("report date", "liked", "posted", "read")


def read(table: CsvTable, ctx: ReadContext) -> Iterator[Item]:
    """One network Record per day."""
    day_col = table.index("report date")
    columns = {"messages": table.index("posted"), "likes": table.index("liked"), "reads": table.index("read")}
    for line, cells, problem in table.records():
        if cells is None:
            yield RowError(line, problem)
            continue
        try:
            day = parse_date(cell(cells, day_col))
            if day is None:
                raise BadCell("the report date is empty")
            values = figures(cells, columns, table.parse_count)
        except BadCell as exc:
            yield RowError(line, str(exc))
            continue
        yield Record(line, None, day, day, values)
