"""``esncoach restore``: put a backup back, after backing up the current state (or list backups).

A workspace that is too damaged to open is moved aside (``<stem>.damaged-<time>.db``) and replaced by
the chosen backup; one that opens is restored in place in a single transaction.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from esncoach.cli.common import add_db_options, open_from_args, print_json, resolve_key
from esncoach.store.errors import CorruptDatabaseError, StoreError, WrongKeyError


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("restore", help="restore the workspace from one of its backups")
    add_db_options(parser)
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--from", dest="source", metavar="BACKUP", help="the backup file to restore")
    which.add_argument("--latest", action="store_true", help="the newest backup")
    which.add_argument("--list", action="store_true", help="list the backups (newest first) and exit")
    parser.add_argument(
        "--backups", metavar="DIR", help="backups folder (default: the workspace's setting, or next to it)"
    )
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.set_defaults(handler=_restore)


def _folder(args: argparse.Namespace, db: Path) -> Path:
    from esncoach.store.backups import default_folder

    return Path(args.backups).expanduser() if args.backups else default_folder(db)


def _restore(args: argparse.Namespace) -> int:
    from esncoach.store import backups

    db = Path(args.db).expanduser().resolve()
    if args.list:
        found = backups.list_backups(_folder(args, db), db)
        if args.json:
            print_json([backups.describe_backup(b) for b in found])
        for b in [] if args.json else found:
            print(f"{b.taken_at:%Y-%m-%d %H:%M:%S}Z  {b.reason:<16} {b.path}")
        return 0
    try:
        ws = open_from_args(args)
    except (CorruptDatabaseError, WrongKeyError) as exc:
        # Too damaged to open (a wrong key cannot verify the backup either, so nothing is lost by trying).
        key = resolve_key(db, args.passphrase_file, create=False)
        folder = Path(args.backups).expanduser() if args.backups else backups.configured_folder(db, key)
        source = _choose(args, folder, db)
        try:
            kept = backups.restore_file(db, key, source)
        except StoreError as refusal:
            raise StoreError(f"{exc} {refusal}") from None
        print(f"restored {db.name} from {source.name}" + (f"; the damaged file was kept as {kept}" if kept else ""))
        return 0
    with ws:
        from esncoach.services import backup_policy

        folder = Path(args.backups).expanduser() if args.backups else backup_policy.backup_folder(ws)
        source = _choose(args, folder, db)
        before = backups.restore_into(ws, source, folder=folder)
    print(f"restored {db.name} from {source.name}; the state before was saved as {before.path}")
    return 0


def _choose(args: argparse.Namespace, folder: Path, db: Path) -> Path:
    from esncoach.store import backups

    if args.source:
        source = Path(args.source).expanduser()
        if not source.is_file():
            raise StoreError(f"There is no backup at {source}.")
        return source
    found = backups.list_backups(folder, db)
    if not found:
        raise StoreError(f"There are no backups of {db.name} in {folder}.")
    return found[0].path
