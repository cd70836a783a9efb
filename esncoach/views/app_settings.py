"""Every per-machine preference (window state, last workspace, chosen screen) declared once with its default.

Coaching rules that belong to the data (thresholds, rubric) are workspace settings instead
(``esncoach.services.settings``); this file is only about this computer and this user.
"""

from __future__ import annotations

import os
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QByteArray, QSettings

T = TypeVar("T")


class Option(Generic[T]):
    """A typed QSettings entry with a default; used as a class attribute of AppSettings."""

    def __init__(self, key: str, default: T) -> None:
        self.key = key
        self.default = default

    def __set_name__(self, owner: type, name: str) -> None:
        owner._options[name] = self  # type: ignore[attr-defined]

    def __get__(self, obj: AppSettings | None, owner: type) -> T:
        if obj is None:
            return self  # type: ignore[return-value]
        raw = obj.qsettings.value(self.key, None)
        if raw is None:
            return self.default
        return _coerce(raw, self.default)

    def __set__(self, obj: AppSettings, value: T) -> None:
        obj.qsettings.setValue(self.key, value)


def _coerce(raw: Any, default: Any) -> Any:
    """INI-backed QSettings hands everything back as strings; turn them into the default's type."""
    if isinstance(default, bool):
        return raw if isinstance(raw, bool) else str(raw).lower() in ("true", "1", "yes")
    if isinstance(default, int):
        try:
            return int(raw)
        except (TypeError, ValueError):
            return default
    if isinstance(default, QByteArray):
        return raw if isinstance(raw, QByteArray) else default
    return raw


class AppSettings:
    """The one wrapper over QSettings; ESNCOACH_SETTINGS_DIR points it at a private INI file (tests)."""

    _options: dict[str, Option[Any]] = {}

    last_workspace: Option[str] = Option("workspace/last", "")
    recent_workspaces: Option[str] = Option("workspace/recent", "")
    window_geometry: Option[QByteArray] = Option("window/geometry", QByteArray())
    window_state: Option[QByteArray] = Option("window/state", QByteArray())
    splitter_state: Option[QByteArray] = Option("window/splitter", QByteArray())
    exec_list_header: Option[QByteArray] = Option("window/exec_list_header", QByteArray())
    show_archived: Option[bool] = Option("execs/show_archived", False)
    coach_screen: Option[str] = Option("coaching/screen", "")
    coach_dark: Option[bool] = Option("coaching/dark", True)
    page_size: Option[str] = Option("reports/page_size", "auto")
    welcome_shown: Option[bool] = Option("app/welcome_shown", False)
    today_at_start: Option[bool] = Option("today/at_start", True)
    reminders_enabled: Option[bool] = Option("reminders/enabled", True)

    def __init__(self) -> None:
        folder = os.environ.get("ESNCOACH_SETTINGS_DIR")
        if folder:
            self.qsettings = QSettings(os.path.join(folder, "esncoach.ini"), QSettings.Format.IniFormat)
        else:
            self.qsettings = QSettings("esncoach", "esncoach")

    def remember_workspace(self, path: str) -> None:
        """Make ``path`` the last workspace and put it first in the recent list (at most 8)."""
        recent = [p for p in self.recent_workspaces.split("\n") if p and p != path]
        self.recent_workspaces = "\n".join([path, *recent][:8])
        self.last_workspace = path

    def recent(self) -> list[str]:
        return [p for p in self.recent_workspaces.split("\n") if p]

    def sync(self) -> None:
        self.qsettings.sync()
