"""Backups in the GUI: the restore chooser, "Back up now", the automatic-backup timer, and the offer to
restore when a workspace is too damaged to open.

All work runs through ``run_task`` (never on the UI thread); this module only presents and forwards.
Hooks for the main window:
- ``open_restore_dialog(window)`` / ``back_up_now(window)`` (File menu; the workspace defaults to ``window.ws``);
- ``install_auto_backup(window, ws)`` once after opening a workspace (a QTimer calling ``start_auto_backup``);
- ``offer_restore_for_damaged(parent, path, key, error)`` when opening raised a CorruptDatabaseError.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QObject, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from esncoach.store import backups
from esncoach.store.backups import BackupInfo
from esncoach.store.keys import KeyMaterial
from esncoach.store.workspace import Workspace
from esncoach.views.dates import date_text
from esncoach.views.messages import describe, show_error
from esncoach.views.tasks import Task, run_task
from esncoach.views.window_size import fit_to_screen

log = logging.getLogger(__name__)

AUTO_BACKUP_CHECK_MS = 5 * 60 * 1000
"""How often the timer asks ``maybe_auto_backup``; the policy itself enforces the 30-minute interval."""

def _tr(text: str) -> str:
    return QCoreApplication.translate("BackupDialog", text)


REASON_LABELS = {
    "auto": "Automatic",
    "manual": "Backed up by you",
    "before-migration": "Before an upgrade",
    "before-restore": "Before a restore",
    "before-import": "Before an import",
}


def _local(taken_at: dt.datetime) -> str:
    local = taken_at.replace(tzinfo=dt.UTC).astimezone()
    return f"{date_text(local)} {local:%H:%M}"


def _size(size: int) -> str:
    return f"{size / 1_048_576:.1f} MB" if size >= 1_048_576 else f"{max(size // 1024, 1)} KB"


class BackupListModel(QAbstractTableModel):
    """The backups of one workspace, newest first: when, why, how big."""

    HEADERS = ("Taken", "Why", "Size")
    PathRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[BackupInfo] = []

    def set_backups(self, rows: list[BackupInfo]) -> None:
        """Replace the list (after a backup, a restore or thinning)."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def backup_at(self, row: int) -> BackupInfo:
        return self._rows[row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(self.HEADERS[section])
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        info = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (_local(info.taken_at), self.tr(REASON_LABELS.get(info.reason, info.reason)), _size(info.size))[
                index.column()
            ]
        if role == Qt.ItemDataRole.ToolTipRole:
            return str(info.path)
        if role == self.PathRole:
            return str(info.path)
        return None


class BackupDialog(QDialog):
    """Lists a workspace's backups; backs up now; restores the chosen one after a confirmation.

    With ``ws`` it restores into the open workspace; without (a damaged file that cannot be opened) it
    puts the backup in place of ``path`` and keeps the damaged file aside.
    """

    sig_restored = Signal(str)
    """Path of the backup just restored (emitted on the UI thread once the data is back)."""
    sig_backed_up = Signal(str)
    """Path of the backup just taken."""

    def __init__(
        self,
        parent: QWidget | None,
        *,
        ws: Workspace | None = None,
        path: Path | None = None,
        key: KeyMaterial | None = None,
        problem: str = "",
    ) -> None:
        super().__init__(parent)
        if ws is None and (path is None or key is None):
            raise ValueError("BackupDialog needs a workspace, or a path and key")
        self.ws = ws
        self.path = ws.path if ws is not None else Path(path)  # type: ignore[arg-type]
        self.key = ws.key if ws is not None else key
        self.task: Task | None = None
        self.setWindowTitle(self.tr("Backups of %s") % self.path.name)
        fit_to_screen(self, 560, 420)
        layout = QVBoxLayout(self)
        if problem:
            warning = QLabel(
                self.tr("This workspace cannot be opened:\n%s\n\nChoose a backup to put in its place. "
                        "The damaged file is kept next to it.") % problem
            )
            warning.setWordWrap(True)
            warning.setObjectName("damagedWarning")
            layout.addWidget(warning)
        self.folder_label = QLabel()
        self.folder_label.setWordWrap(True)
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.folder_label)
        self.model = BackupListModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(self._on_restore_clicked)
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.restore_button = QPushButton(self.tr("&Restore…"), self)
        self.backup_button = QPushButton(self.tr("&Back up now"), self)
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        if ws is not None:
            buttons.addButton(self.backup_button, QDialogButtonBox.ButtonRole.ActionRole)
        else:
            self.backup_button.hide()
        buttons.rejected.connect(self.reject)
        self.restore_button.clicked.connect(self._on_restore_clicked)
        self.backup_button.clicked.connect(self._on_backup_clicked)
        layout.addWidget(buttons)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.reload()

    def folder(self) -> Path:
        """Where this workspace's backups are."""
        if self.ws is not None:
            from esncoach.services import backup_policy  # not at import: the app opens the file before the ORM loads

            return backup_policy.backup_folder(self.ws)
        return backups.configured_folder(self.path, self.key) if self.key else backups.default_folder(self.path)

    def reload(self) -> None:
        """Re-read the backups folder."""
        folder = self.folder()
        found = backups.list_backups(folder, self.path)
        self.model.set_backups(found)
        self.folder_label.setText(
            self.tr("%n backup(s) in %1", "", len(found)).replace("%1", str(folder))
            if found
            else self.tr("No backups yet in %s.") % folder
        )
        if found:
            self.table.selectRow(0)
        self._update_buttons()

    def selected_backup(self) -> BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.backup_at(rows[0].row()) if rows else None

    def _update_buttons(self) -> None:
        busy = self.task is not None
        self.restore_button.setEnabled(not busy and self.selected_backup() is not None)
        self.backup_button.setEnabled(not busy)

    def confirm(self, text: str) -> bool:
        """Ask before replacing data (tests replace this method)."""
        answer = QMessageBox.question(
            self, self.tr("Restore backup"), text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _on_restore_clicked(self, *_: object) -> None:
        chosen = self.selected_backup()
        if chosen is None or self.task is not None:
            return
        when = _local(chosen.taken_at)
        if self.ws is not None:
            text = self.tr("Replace everything in this workspace with the backup from %s?\n\n"
                           "The current state is backed up first, so this can be undone.") % when
        else:
            text = self.tr("Put the backup from %s in place of the damaged workspace?") % when
        if not self.confirm(text):
            return
        ws, path, key, folder = self.ws, self.path, self.key, self.folder()
        if ws is not None:
            work = lambda progress: backups.restore_into(ws, chosen.path, folder=folder, progress=progress)  # noqa: E731
        else:
            work = lambda progress: backups.restore_file(path, key, chosen.path)  # type: ignore[arg-type]  # noqa: E731
        self._start(self.tr("Restoring"), work, lambda _result: self._on_restored(chosen))

    def _on_backup_clicked(self) -> None:
        if self.ws is None or self.task is not None:
            return
        ws = self.ws
        from esncoach.services import backup_policy

        self._start(
            self.tr("Backing up"),
            lambda progress: backup_policy.back_up_now(ws, progress=progress),
            lambda info: (self.reload(), self.sig_backed_up.emit(str(info.path))),
        )

    def _start(self, title: str, work: Any, on_done: Any) -> None:
        def finished() -> None:
            self.task = None
            self._update_buttons()

        self.task = run_task(self, title, work, on_done)
        self.task.sig_finished.connect(finished)
        self._update_buttons()

    def _on_restored(self, chosen: BackupInfo) -> None:
        self.reload()
        self.sig_restored.emit(str(chosen.path))
        refresh = getattr(self.parent(), "refresh", None)
        if callable(refresh):
            refresh()
        if self.ws is None:
            self.accept()


def _ws_of(parent: QWidget | None, ws: Workspace | None) -> Workspace:
    found = ws if ws is not None else getattr(parent, "ws", None)
    if found is None:
        raise ValueError("no open workspace")
    return found


def open_restore_dialog(parent: QWidget | None, ws: Workspace | None = None) -> BackupDialog:
    """File ▸ Restore from backup…: the chooser, window-modal, for the open workspace."""
    dialog = BackupDialog(parent, ws=_ws_of(parent, ws))
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.show()
    return dialog


def _status(parent: QWidget | None, text: str) -> None:
    window = parent.window() if parent is not None else None
    if isinstance(window, QMainWindow):
        window.statusBar().showMessage(text, 10_000)


def back_up_now(parent: QWidget | None, ws: Workspace | None = None) -> Task:
    """File ▸ Back up now: a verified backup on a worker thread; the status bar says where it went."""
    workspace = _ws_of(parent, ws)
    from esncoach.services import backup_policy

    return run_task(
        parent,  # type: ignore[arg-type]
        _tr("Backing up"),
        lambda progress: backup_policy.back_up_now(workspace, progress=progress),
        lambda info: _status(parent, _tr("Backed up to %s") % info.path),
    )


_running: dict[int, Task] = {}
_reported_failure: set[int] = set()


def start_auto_backup(parent: QWidget, ws: Workspace) -> Task | None:
    """Run ``maybe_auto_backup`` in the background unless one is already running; quiet unless it fails
    (the first failure in a session is shown, later ones go to the status bar and the log)."""
    if id(ws) in _running:
        return None
    from esncoach.services import backup_policy

    def done(path: Path | None) -> None:
        if path is not None:
            _status(parent, _tr("Automatic backup saved to %s") % path)

    def failed(exc: BaseException) -> None:
        log.warning("automatic backup failed: %s", describe(exc))
        if id(ws) not in _reported_failure:
            _reported_failure.add(id(ws))
            show_error(parent, _tr("Automatic backup failed"), exc)
        else:
            _status(parent, _tr("Automatic backup failed: %s") % describe(exc))

    task = run_task(parent, "", lambda _progress: backup_policy.maybe_auto_backup(ws), done,
                    on_error=failed, show_progress=False)
    _running[id(ws)] = task
    task.sig_finished.connect(lambda: _running.pop(id(ws), None))
    return task


def install_auto_backup(window: QWidget, ws: Workspace, interval_ms: int = AUTO_BACKUP_CHECK_MS) -> QTimer:
    """A timer (owned by ``window``) that checks every few minutes whether an automatic backup is due,
    and once right away (covers changes made in an earlier run)."""
    timer = QTimer(window)
    timer.setInterval(interval_ms)
    timer.timeout.connect(lambda: start_auto_backup(window, ws))
    timer.start()
    QTimer.singleShot(0, timer, lambda: start_auto_backup(window, ws))
    return timer


def offer_restore_for_damaged(parent: QWidget | None, path: Path, key: KeyMaterial, error: BaseException) -> bool:
    """After opening failed because the file is damaged: offer the backups; True if one was restored
    (the caller then opens the file again). Never repairs anything silently."""
    folder = backups.configured_folder(Path(path), key) if Path(path).exists() else backups.default_folder(Path(path))
    if not backups.list_backups(folder, Path(path)):
        show_error(parent, _tr("Workspace damaged"),
                   f"{describe(error)}\n\n" + _tr("There are no backups of it in %s.") % folder)
        return False
    dialog = BackupDialog(parent, path=Path(path), key=key, problem=describe(error))
    return dialog.exec() == QDialog.DialogCode.Accepted


def open_with_restore_offer(path: Path, key: KeyMaterial, parent: QWidget | None = None) -> Workspace:
    """``Workspace.open`` for the GUI: when the file turns out damaged, offer its backups and open again
    after a restore; otherwise (declined, nothing to restore, other refusals) the StoreError propagates.

    A key from the keyring (raw) that no longer decrypts the file means damage, not a typo, so that case
    is offered a restore too; a wrong passphrase is left to the caller's retry loop.
    """
    from esncoach.store.errors import CorruptDatabaseError, WrongKeyError

    try:
        return Workspace.open(path, key, create=False) if Path(path).exists() else Workspace.open(path, key)
    except (CorruptDatabaseError, WrongKeyError) as exc:
        if isinstance(exc, WrongKeyError) and key.kind != "raw":
            raise
        if not offer_restore_for_damaged(parent, Path(path), key, exc):
            raise
    return Workspace.open(path, key, create=False)
