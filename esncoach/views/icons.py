"""Icons by name from resources/icons/*.svg, loaded once."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QIcon

from esncoach.paths import resources_dir


@cache
def icon(name: str) -> QIcon:
    """The icon ``resources/icons/<name>.svg`` (an empty icon if it is missing, never an exception)."""
    path = resources_dir() / "icons" / f"{name}.svg"
    return QIcon(str(path)) if path.exists() else QIcon()
