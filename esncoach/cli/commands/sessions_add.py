"""``esncoach sessions add``: record a planned or held coaching session from a script; prints its id."""

from __future__ import annotations

import argparse
import datetime as dt

from esncoach.cli.common import action_parsers, add_db_options, open_from_args
from esncoach.models import SessionKind, SessionStatus
from esncoach.services import execs, sessions
from esncoach.store.errors import ValidationError

DEFAULT_MINUTES = 60


def register(sub: argparse._SubParsersAction) -> None:
    actions = action_parsers(sub, "sessions", "list, add or export an exec's sessions")
    add = actions.add_parser("add", help="add a coaching session (planned, or held with --held); prints its id")
    add_db_options(add)
    add.add_argument("--exec", required=True, metavar="NAME", help="name or email of the executive")
    add.add_argument("--when", required=True, metavar="YYYY-MM-DD HH:MM", help="when it starts (local time)")
    add.add_argument("--minutes", type=int, default=DEFAULT_MINUTES, metavar="N",
                     help=f"how long it lasts (default {DEFAULT_MINUTES})")
    add.add_argument("--kind", default=SessionKind.ONE_ON_ONE.value, choices=[k.value for k in SessionKind])
    add.add_argument("--title", metavar="T", help="default: the kind of session")
    add.add_argument("--agenda", default="", metavar="TEXT")
    add.add_argument("--notes", default="", metavar="TEXT")
    add.add_argument("--outcomes", default="", metavar="TEXT")
    add.add_argument("--held", action="store_true", help="the session took place (default: planned)")
    add.set_defaults(handler=_add)


def parse_when(value: str) -> dt.datetime:
    """``YYYY-MM-DD HH:MM`` (a ``T`` between the two works too) as a naive local datetime."""
    try:
        return dt.datetime.strptime(value.strip().replace("T", " "), "%Y-%m-%d %H:%M")
    except ValueError:
        raise ValidationError("when", f"--when “{value}” is not a date and time; use \"YYYY-MM-DD HH:MM\".") from None


def _add(args: argparse.Namespace) -> int:
    starts = parse_when(args.when)
    if args.held and starts > dt.datetime.now():
        raise ValidationError("status", f"A session on {starts:%d %b %Y, %H:%M} has not started yet, so it cannot be "
                                        "--held; leave --held out to plan it.")
    kind = SessionKind(args.kind)
    title = sessions.KIND_LABELS[kind] if args.title is None else args.title
    with open_from_args(args) as ws:
        ex = execs.find_exec(ws, args.exec)
        session_id = sessions.save_session(
            ws, exec_id=ex.id, starts_at=starts, ends_at=starts + dt.timedelta(minutes=args.minutes), title=title,
            kind=kind, status=SessionStatus.HELD if args.held else SessionStatus.PLANNED,
            agenda=args.agenda, notes=args.notes, outcomes=args.outcomes,
        )
    print(session_id)
    return 0
