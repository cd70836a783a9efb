"""``esncoach team init|add-cm|assign|list``: set up and run a team workspace on a PostgreSQL server."""

from __future__ import annotations

import argparse
import sys

from esncoach.cli.common import add_db_options, open_from_args, print_json
from esncoach.store.errors import StoreError


def _server_db(parser: argparse.ArgumentParser, *, password_option: bool = True) -> None:
    if password_option:
        add_db_options(parser)
    else:
        parser.add_argument("--db", metavar="URL", required=True, help="postgresql://ROLE@HOST:PORT/DBNAME")
        parser.add_argument("--passphrase-file", metavar="FILE", help=argparse.SUPPRESS)


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("team", help="team workspaces on a PostgreSQL server")
    actions = parser.add_subparsers(dest="team_command", metavar="ACTION", required=True)

    init = actions.add_parser("init", help="set up the team workspace (run by the database owner)")
    _server_db(init)
    init.set_defaults(handler=_init)

    add = actions.add_parser("add-cm", help="create a CM's (or the lead's) login role")
    _server_db(add, password_option=False)
    add.add_argument("--role", required=True, help="the new login role")
    add.add_argument("--lead", action="store_true", help="the programme lead (reads all, assigns, coaches none)")
    add.add_argument("--password-file", metavar="FILE", help="the new role's password, read from FILE")
    add.set_defaults(handler=_add_cm)

    assign = actions.add_parser("assign", help="make a CM one of an exec's CMs")
    _server_db(assign)
    assign.add_argument("--exec", dest="exec_name", required=True, metavar="NAME")
    assign.add_argument("--cm", required=True, metavar="ROLE")
    assign.set_defaults(handler=_assign)

    ls = actions.add_parser("list", help="list the CMs and their execs")
    _server_db(ls)
    ls.add_argument("--json", action="store_true", help="print JSON for scripts")
    ls.set_defaults(handler=_list)

    from esncoach.cli.commands._team_push import add_to  # moving a solo workspace onto the server

    add_to(actions)
    from esncoach.cli.commands._team_checkout import add_to as add_offline  # taking execs offline (#20)

    add_offline(actions)


def _require_url(args: argparse.Namespace) -> None:
    from esncoach.store.server import is_server_url

    if not is_server_url(args.db):
        raise StoreError("A team workspace lives on a server: use --db postgresql://ROLE@HOST:PORT/DBNAME.")


def _init(args: argparse.Namespace) -> int:
    _require_url(args)
    with open_from_args(args, create=True) as ws:
        print(f"Team workspace ready: {ws.title}")  # type: ignore[attr-defined]
    return 0


def _add_cm(args: argparse.Namespace) -> int:
    from esncoach.services import team
    from esncoach.store.server import read_password_file

    _require_url(args)
    team.check_role_name(args.role)
    password = read_password_file(args.password_file) if args.password_file else None
    args.password_file = None  # the owner logs in the libpq way (PGPASSWORD, ~/.pgpass)
    with open_from_args(args) as ws:
        member = team.add_member(ws, role=args.role, lead=args.lead, password=password)
    print(f"{member.role}: {'programme lead' if member.lead else 'CM'}")
    if password is None:
        print("No password was set: give one with --password-file before they log in.", file=sys.stderr)
    return 0


def _assign(args: argparse.Namespace) -> int:
    from esncoach.services import team

    _require_url(args)
    with open_from_args(args) as ws:
        team.assign(ws, exec_name=args.exec_name, cm=args.cm)
    print(f"{args.exec_name} → {args.cm}")
    return 0


def _list(args: argparse.Namespace) -> int:
    from esncoach.services import team

    _require_url(args)
    with open_from_args(args) as ws:
        members = team.list_members(ws)
    if args.json:
        print_json({"cms": [m.as_json() for m in members]})
        return 0
    for m in members:
        what = "lead" if m.lead else "CM"
        print(f"{m.role:<20} {what:<5} {', '.join(m.execs) if m.execs else '—'}")
    return 0
