"""Icons by name from resources/icons/*.svg, loaded once."""

from __future__ import annotations

import os
from functools import cache

from PySide6.QtGui import QIcon

from esncoach.paths import resources_dir


@cache
def _folder() -> str:
    """Found once: ``resources_dir`` resolves symlinks, 23 times over while the main window is first built (#18)."""
    return str(resources_dir() / "icons")


@cache
def icon(name: str) -> QIcon:
    """The icon ``resources/icons/<name>.svg`` (an empty icon if it is missing, never an exception)."""
    path = os.path.join(_folder(), f"{name}.svg")
    return QIcon(path) if os.path.exists(path) else QIcon()
