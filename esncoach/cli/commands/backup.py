"""``esncoach backup``: take a verified encrypted backup now (or only if one is due), or list them."""

from __future__ import annotations

import argparse

from esncoach.cli.common import add_db_options, open_from_args, print_json


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "backup",
        help="back up the workspace (encrypted with its own key) and thin old backups",
        description="Writes <db dir>/<db stem>-backups/<stem>-<UTC time>-<reason>.db unless the workspace "
        "setting backup.folder names another folder; prints the new backup's path.",
    )
    add_db_options(parser)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--if-due", action="store_true", help="only if the data changed and the interval passed")
    mode.add_argument("--list", action="store_true", help="list existing backups instead")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.set_defaults(handler=_backup)


def _backup(args: argparse.Namespace) -> int:
    from esncoach.services import backup_policy
    from esncoach.store.backups import describe_backup

    with open_from_args(args) as ws:
        if args.list:
            found = backup_policy.list_workspace_backups(ws)
            if args.json:
                print_json([describe_backup(b) for b in found])
            else:
                for b in found:
                    print(f"{b.taken_at:%Y-%m-%d %H:%M:%S}Z  {b.reason:<16} {b.size:>10}  {b.path}")
            return 0
        if args.if_due:
            path = backup_policy.maybe_auto_backup(ws)
            if path is None:
                print("no backup needed: nothing changed, or the last one is recent")
                return 0
            made = backup_policy.list_workspace_backups(ws)[0]
        else:
            made = backup_policy.back_up_now(ws, reason="manual")
    if args.json:
        print_json(describe_backup(made))
    else:
        print(made.path)
    return 0
