"""Microsoft 365 / Graph "Teams user activity user detail": channel posts, replies and chats per user.

Channel posts and replies are the network activity we compare; chat counts are kept under their own
metric name (``chat_messages``) because chats are private conversations, not network posts.
"""

from __future__ import annotations

from collections.abc import Iterator

from esncoach.imports.csvstream import BadCell, CsvTable, cell
from esncoach.imports.errors import RowError
from esncoach.imports.readers_common import figures, report_period
from esncoach.imports.records import CHAT_MESSAGES, Item, ReadContext, Record, Who

NAME = "teams_user_activity"
LABEL = "Microsoft Teams user activity detail (Microsoft 365)"
REQUIRED = ("report refresh date", "user principal name", "post messages", "reply messages", "report period")


def read(table: CsvTable, ctx: ReadContext) -> Iterator[Item]:
    """One Record per user; messages = posts + replies, as in the other formats."""
    ctx.analytics.source = NAME
    refresh, period = table.index("report refresh date"), table.index("report period")
    upn, name = table.index("user principal name"), table.index("display name")
    columns = {"posts": table.index("post messages"), "replies": table.index("reply messages"),
               "team_chat": table.index("team chat message count"),
               "private_chat": table.index("private chat message count")}
    for line, cells, problem in table.records():
        if cells is None:
            yield RowError(line, problem)
            continue
        try:
            start, end = report_period(cell(cells, refresh), cell(cells, period))
            raw = figures(cells, columns, table.parse_count)
        except BadCell as exc:
            yield RowError(line, str(exc))
            continue
        email = cell(cells, upn).strip().lower()
        if not email:
            yield RowError(line, "the user principal name is empty")
            continue
        values: dict[str, float] = {}
        if "posts" in raw or "replies" in raw:
            values["messages"] = raw.get("posts", 0.0) + raw.get("replies", 0.0)
        if "replies" in raw:
            values["replies"] = raw["replies"]
        if "team_chat" in raw or "private_chat" in raw:
            values[CHAT_MESSAGES] = raw.get("team_chat", 0.0) + raw.get("private_chat", 0.0)
        ctx.analytics.add_person(start, end, values)  # only the spread of values, no identities
        yield Record(line, Who(email=email, name=cell(cells, name).strip()), start, end, values)
