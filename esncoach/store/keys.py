"""Where the database key comes from: a random raw key in the OS keyring, or the user's passphrase.

A raw key skips SQLCipher's 256,000-round key derivation (~0.2 ms per connection instead of ~125 ms);
a passphrase is handed to SQLCipher unchanged with its default settings so standard SQLCipher 4 tools
can always open the file with ``PRAGMA key = '<passphrase>'``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, TypeVar

from esncoach.store.errors import KeyUnavailableError

KEYRING_SERVICE = "esncoach"
KEYRING_TIMEOUT_S = 5.0
PASSPHRASE_MAX = 1024
PASSPHRASE_FILE_MAX = 4096
"""Bytes read from a passphrase file at most: /dev/zero or a huge file is refused, not read to the end."""
MIN_NEW_PASSPHRASE = 8
"""The shortest passphrase accepted for a new workspace, in the command line and the dialog alike."""

T = TypeVar("T")


@dataclass(frozen=True)
class KeyMaterial:
    """A key ready to hand to SQLCipher; its repr never shows the secret."""

    kind: Literal["raw", "passphrase"]
    secret: str = field(repr=False)

    def pragma(self) -> str:
        """The PRAGMA that unlocks a connection, with the secret quoted as an SQL string literal."""
        if self.kind == "raw":
            return f"PRAGMA key = \"x'{self.secret}'\""
        return "PRAGMA key = '" + self.secret.replace("'", "''") + "'"

    def __str__(self) -> str:
        return f"<{self.kind} key>"


def passphrase_key(passphrase: str) -> KeyMaterial:
    """Wrap a user passphrase, refusing ones SQLCipher cannot take (empty or NUL)."""
    if not passphrase:
        raise KeyUnavailableError("The passphrase is empty.")
    if "\x00" in passphrase:
        raise KeyUnavailableError("The passphrase contains a NUL character, which SQLCipher cannot use.")
    if len(passphrase) > PASSPHRASE_MAX:
        raise KeyUnavailableError(f"The passphrase is longer than {PASSPHRASE_MAX} characters.")
    return KeyMaterial("passphrase", passphrase)


def normalise_passphrase(text: str) -> str:
    """The one rule for typed and filed passphrases: drop a leading UTF-8 byte-order mark (Notepad adds
    one) and ONE trailing newline (CRLF or LF, as editors add); every other character counts."""
    text = text.removeprefix("\ufeff")
    if text.endswith("\r\n"):
        return text[:-2]
    if text.endswith("\n"):
        return text[:-1]
    return text


def check_new_passphrase(passphrase: str) -> None:
    """Refuse a passphrase too short to protect a new workspace."""
    if len(passphrase) < MIN_NEW_PASSPHRASE:
        raise KeyUnavailableError(
            f"A new workspace needs a passphrase of at least {MIN_NEW_PASSPHRASE} characters; "
            f"this one has {len(passphrase)}."
        )


def read_passphrase_file(path: str | Path) -> KeyMaterial:
    """Read a passphrase from a file (at most 4 KiB, UTF-8), normalised by ``normalise_passphrase``."""
    try:
        with open(path, "rb") as fh:
            data = fh.read(PASSPHRASE_FILE_MAX + 1)
    except RuntimeError:
        raise KeyUnavailableError(f"The passphrase file {path} is a symbolic link loop.") from None
    except OSError as exc:
        raise KeyUnavailableError(f"Cannot read the passphrase file {path}: {exc.strerror or exc}.") from None
    if len(data) > PASSPHRASE_FILE_MAX:
        raise KeyUnavailableError(
            f"The passphrase file {path} is longer than {PASSPHRASE_FILE_MAX // 1024} KiB; it must hold only the "
            "passphrase."
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise KeyUnavailableError(f"The passphrase file {path} is not UTF-8 text.") from None
    return passphrase_key(normalise_passphrase(text))


def _with_timeout(fn: Callable[[], T], what: str) -> T:
    """Run a keyring call with a deadline: some backends block forever waiting for a locked wallet."""
    result: list[T] = []
    error: list[BaseException] = []

    def run() -> None:
        try:
            result.append(fn())
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread below
            error.append(exc)

    worker = threading.Thread(target=run, name="keyring", daemon=True)
    worker.start()
    worker.join(KEYRING_TIMEOUT_S)
    if worker.is_alive():
        raise KeyUnavailableError(f"The system keyring did not answer within {KEYRING_TIMEOUT_S:.0f} s ({what}).")
    if error:
        raise KeyUnavailableError(f"The system keyring failed ({what}): {type(error[0]).__name__}.") from None
    return result[0]


def keyring_available() -> bool:
    """True when a real keyring backend is configured (headless Linux often has only the 'fail' one)."""
    import keyring
    from keyring.backends import fail

    try:
        backend = _with_timeout(keyring.get_keyring, "looking up the backend")
    except KeyUnavailableError:
        return False
    return not isinstance(backend, fail.Keyring) and getattr(backend, "priority", 1) is not None


def _entry_name(db_path: Path) -> str:
    return str(Path(db_path).resolve())


def key_from_keyring(db_path: str | Path, *, create: bool) -> KeyMaterial:
    """Fetch this database's raw key from the keyring, or make and store one for a new database."""
    import keyring

    name = _entry_name(Path(db_path))
    stored = _with_timeout(lambda: keyring.get_password(KEYRING_SERVICE, name), "reading the key")
    if stored:
        return KeyMaterial("raw", stored)
    if not create:
        raise KeyUnavailableError(
            "The system keyring has no key for this database. If it was protected with a passphrase, "
            "open it with --passphrase-file or enter the passphrase."
        )
    import secrets  # only for a new key: not on the start-up path (#18)

    new_key = secrets.token_hex(32)
    _with_timeout(lambda: keyring.set_password(KEYRING_SERVICE, name, new_key), "storing the key")
    return KeyMaterial("raw", new_key)


def forget_keyring_key(db_path: str | Path) -> None:
    """Remove a key we stored for a database that failed to be created, so no orphan entry remains."""
    import keyring

    try:
        _with_timeout(lambda: keyring.delete_password(KEYRING_SERVICE, _entry_name(Path(db_path))), "removing")
    except KeyUnavailableError:
        return  # nothing stored, or a keyring we cannot reach: nothing to clean up
