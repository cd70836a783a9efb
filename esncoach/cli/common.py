"""What every subcommand shares: the --db/--passphrase-file options and opening the workspace."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path
from typing import Any

from esncoach.store import files
from esncoach.store.errors import KeyUnavailableError, StoreError
from esncoach.store.keys import (
    KeyMaterial,
    check_new_passphrase,
    forget_keyring_key,
    key_from_keyring,
    keyring_available,
    normalise_passphrase,
    passphrase_key,
    read_passphrase_file,
)
from esncoach.store.workspace import Workspace


def add_db_options(parser: argparse.ArgumentParser, *, required: bool = True) -> None:
    """The options naming the workspace file and how to unlock it."""
    parser.add_argument("--db", metavar="PATH", required=required,
                        help="workspace file, or a team server as postgresql://ROLE@HOST:PORT/DBNAME")
    parser.add_argument("--passphrase-file", metavar="FILE", help="read the workspace passphrase from FILE")
    parser.add_argument("--password-file", metavar="FILE",
                        help="team server: read the login password from FILE (else PGPASSWORD or ~/.pgpass)")


def resolve_key(db: Path, passphrase_file: str | None, *, create: bool) -> KeyMaterial:
    """Passphrase file first, then the keyring, then a prompt on a terminal; never a silent plain file.

    A passphrase for a new workspace must have at least ``MIN_NEW_PASSPHRASE`` characters (as in the dialog).
    """
    new = create and not _exists(db)
    if passphrase_file:
        key = read_passphrase_file(passphrase_file)
        if new:
            check_new_passphrase(key.secret)
        return key
    if keyring_available():
        return key_from_keyring(db, create=new)
    if sys.stdin is not None and sys.stdin.isatty():
        phrase = normalise_passphrase(getpass.getpass(f"Passphrase for {db.name}: "))
        if new:
            check_new_passphrase(phrase)
            again = normalise_passphrase(getpass.getpass("Repeat the passphrase (it cannot be recovered if forgotten): "))
            if again != phrase:
                raise KeyUnavailableError("The two passphrases differ.")
        return passphrase_key(phrase)
    raise KeyUnavailableError(
        "No system keyring is available and no passphrase was given: use --passphrase-file FILE."
    )


def _exists(db: Path) -> bool:
    try:
        return db.stat().st_size > 0
    except (OSError, RuntimeError):
        return False


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
    # Every check on the file runs before a key is looked up or made, so a refusal leaves nothing behind.
    db = files.resolve(args.db)
    new = not files.inspect(db, create=create).exists
    keyring_key = new and not args.passphrase_file and keyring_available()
    key = resolve_key(db, args.passphrase_file, create=create)
    try:
        ws = Workspace.open(db, key, create=create)
    except StoreError:
        if keyring_key:
            forget_keyring_key(db)
        raise
    # A command that fails after creating the file (a bad field, a full disk) takes the file away again.
    if not ws.created:
        return ws
    return ws.discard_on_error((lambda: forget_keyring_key(db)) if keyring_key else None)


def action_parsers(sub: argparse._SubParsersAction, name: str, help_text: str) -> argparse._SubParsersAction:
    """The ACTION subparsers of command group ``name`` (``esncoach NAME ACTION``), made if no module has yet.

    Lets a module add one action (``execs edit``) to a group another module registers.
    """
    parser = sub.choices.get(name)
    if parser is None:
        parser = sub.add_parser(name, help=help_text)
    for action in parser._actions:  # noqa: SLF001 - argparse keeps no public handle on a parser's subparsers
        if isinstance(action, argparse._SubParsersAction):
            return action
    return parser.add_subparsers(dest=f"{name}_command", metavar="ACTION", required=True)


def print_json(data: Any) -> None:
    """JSON on stdout for scripts: stable key order, UTF-8 kept readable."""
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False, default=str)
    sys.stdout.write("\n")
