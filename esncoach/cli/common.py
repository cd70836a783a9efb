"""What every subcommand shares: the --db/--passphrase-file options and opening the workspace."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path
from typing import Any

from esncoach.store.errors import KeyUnavailableError
from esncoach.store.keys import KeyMaterial, key_from_keyring, keyring_available, passphrase_key, read_passphrase_file
from esncoach.store.workspace import Workspace


def add_db_options(parser: argparse.ArgumentParser, *, required: bool = True) -> None:
    """The options naming the workspace file and how to unlock it."""
    parser.add_argument("--db", metavar="PATH", required=required,
                        help="workspace file, or a team server as postgresql://ROLE@HOST:PORT/DBNAME")
    parser.add_argument("--passphrase-file", metavar="FILE", help="read the workspace passphrase from FILE")
    parser.add_argument("--password-file", metavar="FILE",
                        help="team server: read the login password from FILE (else PGPASSWORD or ~/.pgpass)")


def resolve_key(db: Path, passphrase_file: str | None, *, create: bool) -> KeyMaterial:
    """Passphrase file first, then the keyring, then a prompt on a terminal; never a silent plain file."""
    if passphrase_file:
        return read_passphrase_file(passphrase_file)
    if keyring_available():
        return key_from_keyring(db, create=create and not _exists(db))
    if sys.stdin is not None and sys.stdin.isatty():
        phrase = getpass.getpass(f"Passphrase for {db.name}: ")
        if create and not _exists(db):
            again = getpass.getpass("Repeat the passphrase (it cannot be recovered if forgotten): ")
            if again != phrase:
                raise KeyUnavailableError("The two passphrases differ.")
        return passphrase_key(phrase)
    raise KeyUnavailableError(
        "No system keyring is available and no passphrase was given: use --passphrase-file FILE."
    )


def _exists(db: Path) -> bool:
    return db.exists() and db.stat().st_size > 0


def open_from_args(args: argparse.Namespace, *, create: bool = False) -> Workspace:
    """Open the workspace named by --db, unlocking it as ``resolve_key`` decides."""
    from esncoach.store import server

    if server.is_server_url(args.db):
        password_file = getattr(args, "password_file", None)
        password = server.read_password_file(password_file) if password_file else None
        warning = server.transport_warning(server.ServerAddress.parse(args.db))
        if warning:
            print(f"esncoach: warning: {warning}", file=sys.stderr)
        return Workspace.open(args.db, server.password_key(password), create=create)
    db = Path(args.db).expanduser()
    key = resolve_key(db, args.passphrase_file, create=create)
    return Workspace.open(db, key, create=create)


def print_json(data: Any) -> None:
    """JSON on stdout for scripts: stable key order, UTF-8 kept readable."""
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False, default=str)
    sys.stdout.write("\n")
