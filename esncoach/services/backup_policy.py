"""When to back up and how many backups to keep, from the workspace's own settings.

The GUI calls ``maybe_auto_backup`` from a timer (on a worker thread) and ``back_up_now`` from
File ▸ Back up now; risky operations call ``back_up_now(..., reason="before-…")`` themselves.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from esncoach.services import settings
from esncoach.services.progress import ProgressSink, no_progress
from esncoach.store import backups
from esncoach.store.backups import BackupInfo
from esncoach.store.workspace import Workspace

FOLDER = settings.declare(backups.FOLDER_SETTING, "")
"""Backups folder; empty means ``<db dir>/<db stem>-backups``."""
INTERVAL_MINUTES = settings.declare("backup.interval_minutes", 30)
"""Minimum time between two automatic backups."""
KEEP_DAILY = settings.declare("backup.keep_daily", 12)
KEEP_WEEKLY = settings.declare("backup.keep_weekly", 10)
KEEP_MONTHLY = settings.declare("backup.keep_monthly", 9)


def backup_folder(ws: Workspace) -> Path:
    """Where this workspace's backups go."""
    value = settings.get(ws, FOLDER)
    return Path(value).expanduser() if isinstance(value, str) and value else backups.default_folder(ws.path)


def list_workspace_backups(ws: Workspace) -> list[BackupInfo]:
    """This workspace's finished backups, newest first."""
    return backups.list_backups(backup_folder(ws), ws.path)


def thin(ws: Workspace, *, now: dt.datetime | None = None) -> list[Path]:
    """Delete backups beyond the 12 daily / 10 weekly / 9 monthly (by default) that are kept."""
    return backups.thin_backups(
        backup_folder(ws),
        ws.path,
        daily=int(settings.get(ws, KEEP_DAILY)),
        weekly=int(settings.get(ws, KEEP_WEEKLY)),
        monthly=int(settings.get(ws, KEEP_MONTHLY)),
        now=now,
    )


def back_up_now(
    ws: Workspace, *, reason: str = "manual", now: dt.datetime | None = None, progress: ProgressSink = no_progress
) -> BackupInfo:
    """Take a backup whatever the timer says (menu item, before a restore or an import), then thin."""
    mark = ws.change_counter
    info = backups.create_backup(ws.path, ws.key, folder=backup_folder(ws), reason=reason, now=now, progress=progress)
    ws.backup_change_mark = mark
    thin(ws, now=now)
    return info


def changed_since_backup(ws: Workspace, newest: BackupInfo | None) -> bool:
    """Whether the data may differ from the newest backup.

    Within one run the workspace counts its flushes; for changes made in an earlier run (before this
    process took any backup) the file's modification time is compared with the newest backup's.
    """
    if newest is None:
        return True
    if ws.backup_change_mark is not None:
        return ws.change_counter != ws.backup_change_mark
    if ws.change_counter > 0:
        return True
    latest_write = 0.0
    for candidate in (ws.path, ws.path.with_name(ws.path.name + "-wal")):
        try:
            stat = candidate.stat()
        except OSError:
            continue
        if stat.st_size:  # opening creates an empty -wal; only one with frames in it means unsaved writes
            latest_write = max(latest_write, stat.st_mtime)
    newest_ts = newest.taken_at.replace(tzinfo=dt.UTC).timestamp()
    return latest_write > newest_ts


def maybe_auto_backup(ws: Workspace, *, now: dt.datetime | None = None) -> Path | None:
    """Back up if something changed and the interval has passed since the newest backup; else None.

    Qt-free and thread-safe with respect to the UI: it reads through its own connection, so views run
    it with ``run_task`` (see ``esncoach.views.workspace.backup_dialog.start_auto_backup``).
    """
    now = now or backups.utcnow()
    existing = list_workspace_backups(ws)
    newest = existing[0] if existing else None
    interval = dt.timedelta(minutes=max(int(settings.get(ws, INTERVAL_MINUTES)), 0))
    if newest is not None and now - newest.taken_at < interval:
        return None
    if not changed_since_backup(ws, newest):
        return None
    return back_up_now(ws, reason="auto", now=now).path
