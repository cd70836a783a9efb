"""What the command line prints is safe for a terminal: no raw control characters, ever.

A name stored with ESC, BEL, a bidi override or a byte that is not UTF-8 (from an older version, an
archive or a file) must not be able to rewrite the user's terminal, so stdout and stderr pass through
``escape`` while a command runs. The escapes are JSON's own (``\\u001b``), so ``--json`` output stays
valid JSON with the same meaning.
"""

from __future__ import annotations

import argparse
import io
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

# C0 controls except tab and newline, DEL, C1 controls, bidi embeddings/overrides/isolates and marks,
# zero-width characters, line/paragraph separators and the byte-order mark.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]"
)
_SURROGATE = re.compile("[\udc80-\udcff]")
# Options whose values are file names: any bytes the OS allows are fine there.
PATH_METAVARS = {"PATH", "FILE", "DIR", "FOLDER", "BACKUP", "FILE.pdf", "FILE.csv", "FILE.ics"}
PATH_DESTS = {"db", "passphrase_file", "password_file", "archive_passphrase_file", "out", "out_dir", "file",
              "source", "archive", "folder"}


def _replace(match: re.Match[str]) -> str:
    char = match.group()
    if "\udc80" <= char <= "\udcff":  # a byte that was not UTF-8 (surrogateescape)
        return f"\\x{ord(char) - 0xDC00:02x}"
    return f"\\u{ord(char):04x}"


def escape(text: str) -> str:
    """``text`` with every character that could drive a terminal shown as a visible escape."""
    return _UNSAFE.sub(_replace, _SURROGATE.sub(_replace, text))


class EscapingStream(io.TextIOBase):
    """A text stream that escapes what it is given before handing it on."""

    def __init__(self, target: TextIO) -> None:
        super().__init__()
        self._target = target

    def write(self, text: str) -> int:  # type: ignore[override]
        # A carriage return that starts a write is the program's own progress line (``print("\r…")``);
        # one anywhere else came with the data and is shown escaped.
        lead = "\r" if text.startswith("\r") else ""
        self._target.write(lead + escape(text[len(lead):]))
        return len(text)

    def flush(self) -> None:
        self._target.flush()

    def isatty(self) -> bool:
        return self._target.isatty()

    def fileno(self) -> int:
        return self._target.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self._target, "encoding", "utf-8")

    def __getattr__(self, name: str) -> Any:
        return getattr(self._target, name)


@contextmanager
def escaped_streams() -> Iterator[None]:
    """Route ``print`` through ``escape`` for the duration of a command."""
    old_out, old_err = sys.stdout, sys.stderr
    for stream in (old_out, old_err):
        # A terminal that cannot show a character (PYTHONIOENCODING=ascii) gets \xe9, not a traceback.
        try:
            stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            pass
    sys.stdout = EscapingStream(old_out)  # type: ignore[assignment]
    sys.stderr = EscapingStream(old_err)  # type: ignore[assignment]
    try:
        yield
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            sys.stdout, sys.stderr = old_out, old_err


def _text_values(args: argparse.Namespace) -> Iterator[tuple[str, str]]:
    for dest, value in vars(args).items():
        if dest in PATH_DESTS:
            continue
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str):
                yield dest, item


def refuse_undecodable(args: argparse.Namespace) -> None:
    """Refuse a text argument holding bytes that are not UTF-8 (``--name $'Ren\\xe9'``) in one sentence;
    file names may hold any bytes the OS allows."""
    from esncoach.store.errors import ValidationError

    for dest, value in _text_values(args):
        if _SURROGATE.search(value):
            option = "--" + dest.replace("_", "-")
            raise ValidationError(
                dest,
                f"The value of {option} (“{escape(value)}”) is not UTF-8 text; pass it in UTF-8 "
                "(check the terminal's or the script's encoding).",
            )
