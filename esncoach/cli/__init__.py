"""The ``esncoach`` command: with a subcommand it scripts the workspace, without one it opens the GUI.

Subcommands live one per module in ``esncoach.cli.commands``; each module's ``register(sub)`` adds its
parsers with ``set_defaults(handler=...)``, so a feature adds a command without touching this file.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from esncoach import __version__


def _command_modules() -> list[str]:
    import pkgutil  # not at the top: opening the app lists no commands (start-up, #18)

    from esncoach.cli import commands

    return sorted(m.name for m in pkgutil.iter_modules(commands.__path__) if not m.name.startswith("_"))


class OneLineParser(argparse.ArgumentParser):
    """Option mistakes are one line on stderr (exit 2), like every other refusal, not a usage block."""

    def error(self, message: str) -> NoReturn:  # type: ignore[override]
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def _top_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="esncoach",
        description="Coach executives onto the enterprise social network. Without a command, opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"esncoach {__version__}")
    parser.add_argument("--db", metavar="PATH", help="workspace file (default: the last one used)")
    parser.add_argument("--passphrase-file", metavar="FILE", help="read the workspace passphrase from FILE")
    parser.add_argument("--password-file", metavar="FILE", help="team server (--db postgresql://…): the login password")
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
    """Entry point of the ``esncoach`` script and ``python -m esncoach``.

    Everything esncoach writes (workspaces, sidecars, settings, exports) is owner-only: the umask is set
    here, once, before any file can be created, for the GUI and the commands alike.
    """
    previous_umask = os.umask(0o077)
    try:
        return _main(argv)
    finally:
        os.umask(previous_umask)


def _main(argv: Sequence[str] | None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not {"-h", "--help"} & set(args_list):
        # Launching the app names no command: skip importing every command module (start-up time).
        gui_args, rest = _top_parser().parse_known_args(args_list)
        if not rest:
            from esncoach.app import run_gui

            return run_gui(gui_args)
    from esncoach.cli import output

    with output.escaped_streams():
        parser = build_parser()
        args = parser.parse_args(_options_after_action(parser, args_list))
        handler = getattr(args, "handler", None)
        if handler is None:
            from esncoach.app import run_gui

            return run_gui(args)
        return _run(handler, args)


WORKSPACE_OPTIONS = {"--db": 1, "--passphrase-file": 1, "--password-file": 1}
"""Options every command takes, with how many values follow each."""


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:  # noqa: SLF001 - argparse offers no public way to walk its tree
        if isinstance(action, argparse._SubParsersAction):  # noqa: SLF001
            return dict(action.choices)
    return {}


def _options_after_action(parser: argparse.ArgumentParser, argv: list[str]) -> list[str]:
    """Accept the workspace options on either side of the command and its action.

    ``esncoach sessions --db P list`` and ``esncoach --db P sessions list`` mean ``esncoach sessions list
    --db P``: the options are moved behind the action, where the action's parser reads them.
    """
    commands = _subparsers(parser)
    moved: list[str] = []
    out: list[str] = []
    i = 0
    level = commands
    while i < len(argv):
        token = argv[i]
        name = token.split("=", 1)[0]
        if token == "--":
            out += argv[i:]
            break
        if level and name in WORKSPACE_OPTIONS:
            width = 0 if "=" in token else WORKSPACE_OPTIONS[name]
            moved += argv[i:i + 1 + width]
            i += 1 + width
            continue
        out.append(token)
        if level and token in level:
            level = _subparsers(level[token])  # the next level: a command's actions (none for a plain command)
            if not level:
                out += moved
                moved = []
        i += 1
    return out + moved


def _run(handler: object, args: argparse.Namespace) -> int:
    from esncoach.cli import output
    from esncoach.store.errors import StoreError

    try:
        output.refuse_undecodable(args)
        return int(handler(args) or 0)  # type: ignore[operator]
    except StoreError as exc:
        print("esncoach: " + " ".join(str(exc).split("\n")), file=sys.stderr)  # one line, whatever the message
        return 2
    except KeyboardInterrupt:
        print("esncoach: interrupted", file=sys.stderr)
        return 130
    except RuntimeError as exc:  # Path.resolve() on Python < 3.13 reports a symlink loop this way
        if not str(exc).startswith("Symlink loop"):
            raise
        name = str(exc).removeprefix("Symlink loop from ").strip("'\"")
        print(f"esncoach: {name} is a symbolic link that leads back to itself (a loop); point it at a real file "
              "or remove it.", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # ``esncoach … | head``: the reader has gone; end quietly as Unix tools do (128 + SIGPIPE).
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
    except OSError as exc:
        print(f"esncoach: {exc.strerror or exc}{f': {exc.filename}' if exc.filename else ''}", file=sys.stderr)
        return 2
