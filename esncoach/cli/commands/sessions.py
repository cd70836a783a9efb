"""``esncoach sessions list|ics``: an exec's sessions, and the next one as an .ics invitation for a calendar."""

from __future__ import annotations

import argparse

from esncoach.cli.common import add_db_options, open_from_args, print_json
from esncoach.services import calendar_export, execs, sessions


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("sessions", help="list an exec's sessions or export the next one as .ics")
    actions = parser.add_subparsers(dest="sessions_command", metavar="ACTION", required=True)

    ls = actions.add_parser("list", help="list an exec's sessions, newest first")
    add_db_options(ls)
    ls.add_argument("--exec", required=True, metavar="NAME", help="name or email of the executive")
    ls.add_argument("--json", action="store_true", help="print JSON for scripts")
    ls.set_defaults(handler=_list)

    ics = actions.add_parser("ics", help="write the exec's next planned session as an .ics invitation")
    add_db_options(ics)
    ics.add_argument("--exec", required=True, metavar="NAME", help="name or email of the executive")
    ics.add_argument("--out", required=True, metavar="FILE", help="where to write the .ics file")
    ics.set_defaults(handler=_ics)


def _list(args: argparse.Namespace) -> int:
    with open_from_args(args) as ws:
        ex = execs.find_exec(ws, args.exec)
        rows = sessions.list_sessions(ws, exec_id=ex.id)
    if args.json:
        print_json([{
            "id": r.id, "starts_at": r.starts_at.isoformat(timespec="minutes"), "duration_min": r.duration_min,
            "kind": r.kind.value, "status": r.status.value, "title": r.title,
            "open_action_items": [i.text for i in r.action_items if not i.done and not i.superseded],
        } for r in rows])
        return 0
    if not rows:
        print(f"No sessions for {ex.name} yet.")
    for r in rows:
        print(f"{r.starts_at:%Y-%m-%d %H:%M}  {r.status.value:<9} {r.kind_label:<22} {r.title}")
    return 0


def _ics(args: argparse.Namespace) -> int:
    with open_from_args(args) as ws:
        ex = execs.find_exec(ws, args.exec)
        path = calendar_export.export_next_session(ws, exec_id=ex.id, path=args.out)
    print(f"Wrote {path}.")
    return 0
