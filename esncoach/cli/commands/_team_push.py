"""``esncoach team push``: copy a solo workspace's execs onto the team server and assign them to a CM."""

from __future__ import annotations

import argparse
from pathlib import Path

from esncoach.cli.common import add_db_options, open_from_args, print_json, resolve_key


def add_to(actions: argparse._SubParsersAction) -> None:
    """Register ``team push`` under ``esncoach team``."""
    push = actions.add_parser("push", help="copy a workspace file's execs onto the team server (safe to repeat)")
    add_db_options(push)
    push.add_argument("--from", dest="source", required=True, metavar="LOCAL.db", help="the workspace file")
    push.add_argument("--cm", required=True, metavar="ROLE", help="the CM the execs are assigned to")
    push.add_argument("--json", action="store_true", help="print JSON for scripts")
    push.set_defaults(handler=_push)


def _push(args: argparse.Namespace) -> int:
    from esncoach.services.team_push import push
    from esncoach.store.errors import StoreError
    from esncoach.store.server import is_server_url
    from esncoach.store.workspace import Workspace

    if not is_server_url(args.db):
        raise StoreError("Push needs the team server in --db: postgresql://ROLE@HOST:PORT/DBNAME.")
    source = Path(args.source).expanduser()
    key = resolve_key(source, args.passphrase_file, create=False)
    with Workspace.open(source, key, create=False) as local:
        args.passphrase_file = None
        with open_from_args(args) as server:
            result = push(local, server, cm=args.cm)
    if args.json:
        print_json({"added": list(result.added), "already_there": list(result.already_there), "rows": result.rows})
    else:
        print(f"Copied {len(result.added)} executive(s) ({result.rows} rows) to the team server for {args.cm}; "
              f"{len(result.already_there)} were there already.")
    return 0
