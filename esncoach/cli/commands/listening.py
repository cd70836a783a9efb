"""``esncoach listening``: rising themes on the network and busy threads an exec has not joined."""

from __future__ import annotations

import argparse

from esncoach.cli.common import add_db_options, open_from_args, print_json


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "listening", help="rising themes and busy threads an exec has not joined",
        description="From the last Messages.csv import: terms and phrases used more in the last N days than in "
                    "the 60 before, and the busiest threads the exec has not posted in.")
    add_db_options(parser)
    parser.add_argument("--exec", required=True, metavar="NAME", help="the exec's name, a unique prefix, or email")
    parser.add_argument("--days", type=int, default=14, metavar="N", help="recent window in days (default 14)")
    parser.add_argument("--json", action="store_true", help="print JSON for scripts")
    parser.set_defaults(handler=_listening)


def _listening(args: argparse.Namespace) -> int:
    from esncoach.services import execs, listening

    with open_from_args(args) as ws:
        ex = execs.find_exec(ws, args.exec)
        brief = listening.listening_brief(ws, exec_id=ex.id, days=args.days)
    if args.json:
        print_json(brief.as_json())
        return 0
    if brief.ends_on is None:
        print("No Messages.csv with message bodies has been imported yet.")
        return 0
    print(f"Listening brief for {ex.name}: the {brief.days} days to {brief.ends_on.isoformat()}")
    print("Rising themes:" if brief.themes else "Rising themes: none")
    for t in brief.themes:
        print(f"  {t.term:<30} {t.count:>5} uses, {t.rise:.1f}× the usual rate")
    print("Busy threads not joined:" if brief.threads else "Busy threads not joined: none")
    for t in brief.threads:
        print(f"  {t.replies:>4} replies, last {t.last_activity.isoformat()}  {t.title_or_start}  {t.thread}")
    return 0
