"""Where esncoach keeps things on this machine (the user data folder from platformdirs)."""

from __future__ import annotations

import os
from pathlib import Path


def data_dir() -> Path:
    """The per-user folder for workspaces; ESNCOACH_DATA_DIR overrides it (tests, portable installs)."""
    override = os.environ.get("ESNCOACH_DATA_DIR")
    if override:
        return Path(override)
    from platformdirs import user_data_dir

    return Path(user_data_dir("esncoach", appauthor=False))


def runtime_dir() -> Path:
    """A private per-user folder for lock files; ESNCOACH_RUNTIME_DIR overrides it.

    ``$XDG_RUNTIME_DIR/esncoach`` where the session has one (a tmpfs only this user can enter),
    otherwise ``esncoach-<uid>`` in the temporary folder (the store checks it is ours and 0700).
    """
    override = os.environ.get("ESNCOACH_RUNTIME_DIR")
    if override:
        return Path(override)
    xdg = os.environ.get("XDG_RUNTIME_DIR")
    if xdg and os.path.isdir(xdg) and os.access(xdg, os.W_OK | os.X_OK):
        return Path(xdg) / "esncoach"
    import tempfile

    uid = os.getuid() if hasattr(os, "getuid") else os.environ.get("USERNAME", "user")
    return Path(tempfile.gettempdir()) / f"esncoach-{uid}"


def default_workspace() -> Path:
    """The workspace opened when the user never chose another."""
    return data_dir() / "workspace.esncoach.db"


def demo_workspace() -> Path:
    """Where 'Open demo workspace' creates (or reopens) the demo."""
    return data_dir() / "demo.esncoach.db"


def resources_dir() -> Path:
    """The top-level resources/ folder (beside the package in a checkout, inside the bundle when frozen)."""
    import sys

    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"
