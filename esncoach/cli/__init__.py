"""The ``esncoach`` command: with a subcommand it scripts the workspace, without one it opens the GUI.

Subcommands live one per module in ``esncoach.cli.commands``; each module's ``register(sub)`` adds its
parsers with ``set_defaults(handler=...)``, so a feature adds a command without touching this file.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence

from esncoach import __version__


def _command_modules() -> list[str]:
    from esncoach.cli import commands

    return sorted(m.name for m in pkgutil.iter_modules(commands.__path__) if not m.name.startswith("_"))


def _top_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="esncoach",
        description="Coach executives onto the enterprise social network. Without a command, opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"esncoach {__version__}")
    parser.add_argument("--db", metavar="PATH", help="workspace file (default: the last one used)")
    parser.add_argument("--passphrase-file", metavar="FILE", help="read the workspace passphrase from FILE")
    parser.add_argument("--coach", metavar="NAME", help="open straight into coaching mode for this exec")
    return parser


def build_parser() -> argparse.ArgumentParser:
    """The full parser: GUI options at the top level, one subparser per command module."""
    parser = _top_parser()
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in _command_modules():
        module = importlib.import_module(f"esncoach.cli.commands.{name}")
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``esncoach`` script and ``python -m esncoach``."""
    from esncoach.store.errors import StoreError

    args_list = list(sys.argv[1:] if argv is None else argv)
    if not {"-h", "--help"} & set(args_list):
        # Launching the app names no command: skip importing every command module (start-up time).
        gui_args, rest = _top_parser().parse_known_args(args_list)
        if not rest:
            from esncoach.app import run_gui

            return run_gui(gui_args)
    parser = build_parser()
    args = parser.parse_args(args_list)
    handler = getattr(args, "handler", None)
    if handler is None:
        from esncoach.app import run_gui

        return run_gui(args)
    try:
        return int(handler(args) or 0)
    except StoreError as exc:
        print(f"esncoach: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("esncoach: interrupted", file=sys.stderr)
        return 130
    except OSError as exc:
        print(f"esncoach: {exc.strerror or exc}{f': {exc.filename}' if exc.filename else ''}", file=sys.stderr)
        return 2
