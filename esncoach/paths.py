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
