"""Errors the store raises with a message fit to show a user; never containing a key."""

from __future__ import annotations


class StoreError(Exception):
    """Base of every problem opening or writing the workspace; str() is the user-facing sentence."""


class WrongKeyError(StoreError):
    """The key or passphrase does not decrypt the file (or the file is not a database at all)."""


class NotEsncoachError(StoreError):
    """The file is a database, but not one esncoach made (or an unencrypted SQLite file)."""


class NewerSchemaError(StoreError):
    """The file was written by a newer esncoach; we refuse rather than risk damaging it."""


class CorruptDatabaseError(StoreError):
    """The file decrypts but fails SQLite's integrity checks."""


class WorkspaceInUseError(StoreError):
    """Another esncoach process already has this file open."""


class KeyUnavailableError(StoreError):
    """No key could be obtained: no keyring entry, keyring failing, or no passphrase given."""


class ValidationError(StoreError):
    """Input that would not make sense stored (empty name, over-long field, end before start)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
