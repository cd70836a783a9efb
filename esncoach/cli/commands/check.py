"""``esncoach check``: is this workspace healthy, and which schema is it?

A file too damaged to open is reported with the way back: how many backups there are and the
``esncoach restore`` command that puts the newest one in place. Nothing is ever repaired silently.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from esncoach.cli.common import add_db_options, open_from_args
from esncoach.services.health import run_checks
from esncoach.store.errors import CorruptDatabaseError, StoreError, WrongKeyError


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "check", help="open the workspace and run integrity_check, cipher_integrity_check and foreign_key_check"
    )
    add_db_options(parser)
    parser.set_defaults(handler=_check)


def _check(args: argparse.Namespace) -> int:
    try:
        ws = open_from_args(args)
    except (CorruptDatabaseError, WrongKeyError) as exc:
        raise StoreError(f"{exc}{restore_hint(Path(args.db))}") from None
    with ws:
        report = run_checks(ws)
    if report.healthy:
        print(f"ok: schema {report.schema_version}, {report.exec_count} executives")
        return 0
    print(f"esncoach: damaged: {report.problem}.{restore_hint(Path(args.db))}", file=sys.stderr)
    return 1


def restore_hint(db: Path) -> str:
    """' N backups in DIR; restore the newest with: esncoach restore --db PATH --latest' (or '')."""
    from esncoach.store.backups import default_folder, list_backups

    db = db.expanduser().resolve()
    try:
        found = list_backups(default_folder(db), db)
    except StoreError:
        return ""
    if not found:
        return ""
    return (
        f" {len(found)} backup(s) in {default_folder(db)}, newest {found[0].taken_at:%Y-%m-%d %H:%M} UTC; "
        f"restore it with: esncoach restore --db {db} --latest"
    )
