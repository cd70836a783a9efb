"""``esncoach team checkout|checkin|release``: take execs offline from the team server and bring them back."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from esncoach.cli.common import open_from_args, print_json, resolve_key


def _server_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="URL", required=True, help="the team server: postgresql://ROLE@HOST:PORT/DBNAME")
    parser.add_argument("--password-file", metavar="FILE", help="read the login password from FILE")
    parser.add_argument("--passphrase-file", metavar="FILE", help="the offline workspace's passphrase, read from FILE")


def add_to(actions: argparse._SubParsersAction) -> None:
    """Register ``team checkout``, ``team checkin`` and ``team release`` under ``esncoach team``."""
    out = actions.add_parser("checkout", help="take execs offline into an encrypted workspace on this computer")
    _server_options(out)
    out.add_argument("--exec", dest="exec_names", action="append", required=True, metavar="NAME",
                     help="an executive to take offline (repeat for several)")
    out.add_argument("--to", dest="target", required=True, metavar="LOCAL.db", help="the offline workspace file")
    out.set_defaults(handler=_checkout)

    back = actions.add_parser("checkin", help="bring an offline workspace's work back to the team server")
    _server_options(back)
    back.add_argument("--from", dest="source", required=True, metavar="LOCAL.db", help="the offline workspace file")
    back.add_argument("--json", action="store_true", help="print JSON for scripts")
    back.set_defaults(handler=_checkin)

    rel = actions.add_parser("release", help="end the lease on an exec taken offline (the programme lead)")
    rel.add_argument("--db", metavar="URL", required=True, help="the team server: postgresql://ROLE@HOST:PORT/DBNAME")
    rel.add_argument("--password-file", metavar="FILE", help="read the login password from FILE")
    rel.add_argument("--exec", dest="exec_name", required=True, metavar="NAME")
    rel.set_defaults(handler=_release, passphrase_file=None)


def _require_url(args: argparse.Namespace) -> None:
    from esncoach.store.errors import StoreError
    from esncoach.store.server import is_server_url

    if not is_server_url(args.db):
        raise StoreError("The team server goes in --db: postgresql://ROLE@HOST:PORT/DBNAME.")


def _open_local(path: Path, passphrase_file: str | None, *, create: bool):  # type: ignore[no-untyped-def]
    from esncoach.store.workspace import Workspace

    key = resolve_key(path, passphrase_file, create=create)
    ws = Workspace.open(path, key, create=create)
    return ws.discard_on_error() if create else ws


def _checkout(args: argparse.Namespace) -> int:
    from esncoach.services.team_checkout import checkout

    _require_url(args)
    target = Path(args.target).expanduser()
    phrase, args.passphrase_file = args.passphrase_file, None
    with open_from_args(args) as server:  # the server first: a refused login leaves no new file behind
        with _open_local(target, phrase, create=True) as local:
            result = checkout(server, local, names=args.exec_names)
    print(f"Took {len(result.execs)} executive(s) offline into {target.name} ({result.rows} rows): "
          f"{', '.join(result.execs)}.")
    return 0


def _checkin(args: argparse.Namespace) -> int:
    from esncoach.services.team_checkout_merge import checkin
    from esncoach.store.errors import StoreError

    _require_url(args)
    source = Path(args.source).expanduser()
    if not source.exists():
        raise StoreError(f"There is no offline workspace at {source}.")
    phrase, args.passphrase_file = args.passphrase_file, None
    with open_from_args(args) as server, _open_local(source, phrase, create=False) as local:
        result = checkin(server, local)
    if args.json:
        print_json({"execs": [e.as_json() for e in result.execs]})
        return 0
    for e in result.execs:
        print(f"{e.name}: {e.added} added, {e.changed} changed, {e.deleted} deleted, {e.conflicts} conflicts")
    if not result.execs:
        print("Nothing to bring back.")
    if any(e.conflicts for e in result.execs):
        print("Conflicting rows kept both versions (the offline one as a new revision or a note "
              "“from the offline copy”).", file=sys.stderr)
    return 0


def _release(args: argparse.Namespace) -> int:
    from esncoach.services.team_checkout import release

    _require_url(args)
    with open_from_args(args) as ws:
        lease = release(ws, exec_name=args.exec_name)
    print(f"{lease.exec_name}: released (was {lease.sentence}). Its offline work is kept at check-in.")
    return 0
