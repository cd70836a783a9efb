"""``esncoach actions add``: record an action item for an exec (optionally on one of their sessions)."""

from __future__ import annotations

import argparse

from esncoach.cli.common import action_parsers, add_db_options, open_from_args
from esncoach.services import execs, sessions, validation
from esncoach.store.errors import ValidationError


def register(sub: argparse._SubParsersAction) -> None:
    actions = action_parsers(sub, "actions", "add action items")
    add = actions.add_parser("add", help="add an action item for an executive; prints its id")
    add_db_options(add)
    add.add_argument("--exec", required=True, metavar="NAME", help="name or email of the executive")
    add.add_argument("--text", required=True, metavar="TEXT", help="what is to be done")
    add.add_argument("--due", metavar="YYYY-MM-DD", help="when it is due")
    add.add_argument("--session", type=int, metavar="ID", help="the session it came from (see sessions list --json)")
    add.set_defaults(handler=_add)


def _add(args: argparse.Namespace) -> int:
    due = validation.date(args.due, "due date")
    with open_from_args(args) as ws:
        ex = execs.find_exec(ws, args.exec)
        if args.session is not None:
            try:
                owner = sessions.get_session(ws, args.session).exec_id
            except ValidationError:
                owner = None
            if owner != ex.id:
                raise ValidationError("session", f"{ex.name} has no session with id {args.session}.")
        item_id = sessions.add_action_item(ws, exec_id=ex.id, text=args.text, due=due, session_id=args.session)
    print(item_id)
    return 0
