"""Export the workspace (or one exec) to a passphrase-encrypted archive, and import one back.

Hooks for the main window's File menu: ``open_export_dialog(window)`` and ``open_import_dialog(window)``
(the workspace defaults to ``window.ws``; the exec offered for export is ``window.current_exec_id()``).
The work itself runs through ``run_task``; see ``esncoach.store.archive`` for the format.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from esncoach.store import archive
from esncoach.store.archive import ArchiveInfo
from esncoach.store.errors import KeyUnavailableError
from esncoach.store.keys import KeyMaterial, passphrase_key
from esncoach.store.workspace import Workspace
from esncoach.views.messages import describe
from esncoach.views.tasks import Task, run_task

ARCHIVE_FILTER = "esncoach archives (*.esnarchive);;All files (*)"
MIN_ARCHIVE_PASSPHRASE = 8


def _path_row(parent: QWidget, edit: QLineEdit, browse: Any) -> QHBoxLayout:
    row = QHBoxLayout()
    row.addWidget(edit)
    button = QPushButton(parent.tr("Browse…"), parent)
    button.clicked.connect(browse)
    row.addWidget(button)
    return row


class _ArchiveDialogBase(QDialog):
    """Shared bits: an error line, OK/Cancel, and one background task at a time."""

    sig_done = Signal(object)
    """The task's result (ArchiveInfo on export, ImportResult on import), on the UI thread."""

    def __init__(self, parent: QWidget | None, ws: Workspace) -> None:
        super().__init__(parent)
        self.ws = ws
        self.task: Task | None = None
        self.layout_ = QVBoxLayout(self)
        self.form = QFormLayout()
        self.layout_.addLayout(self.form)
        self.error = QLabel()
        self.error.setObjectName("archiveError")
        self.error.setStyleSheet("color: #c0392b;")
        self.error.setWordWrap(True)
        self.error.hide()

    def _finish_layout(self) -> None:
        self.layout_.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        self.layout_.addWidget(self.buttons)

    def fail(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def start(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def _run(self, title: str, work: Any) -> None:
        self.buttons.setEnabled(False)

        def done(result: Any) -> None:
            self.sig_done.emit(result)
            refresh = getattr(self.parent(), "refresh", None)
            if callable(refresh):
                refresh()
            self.accept()

        def failed(exc: BaseException) -> None:
            self.fail(describe(exc))

        self.task = run_task(self, title, work, done, on_error=failed)
        self.task.sig_finished.connect(lambda: self.buttons.setEnabled(True))


class ExportArchiveDialog(_ArchiveDialogBase):
    """Choose what to export (everything, or the current exec), where, and the archive's passphrase."""

    def __init__(self, parent: QWidget | None, ws: Workspace, *, exec_id: int | None = None, exec_name: str = "") -> None:
        super().__init__(parent, ws)
        self.setWindowTitle(self.tr("Export an encrypted archive"))
        self.setMinimumWidth(480)
        self.exec_id = exec_id
        self.whole = QRadioButton(self.tr("The whole workspace (to move to another computer)"))
        self.one = QRadioButton(self.tr("Only %s (to hand over to another CM)") % (exec_name or "this executive"))
        self.whole.setChecked(True)
        self.one.setEnabled(exec_id is not None)
        self.form.addRow(self.tr("Export"), self.whole)
        self.form.addRow("", self.one)
        self.out = QLineEdit(str(ws.path.with_suffix(".esnarchive")))
        self.form.addRow(self.tr("&File"), _path_row(self, self.out, self._browse))
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat = QLineEdit()
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.form.addRow(self.tr("Archive &passphrase"), self.passphrase)
        self.form.addRow(self.tr("&Repeat"), self.repeat)
        note = QLabel(self.tr("Whoever imports the archive needs this passphrase. It cannot be recovered."))
        note.setWordWrap(True)
        self.layout_.addWidget(note)
        self._finish_layout()

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export archive"), self.out.text(), ARCHIVE_FILTER)
        if path:
            self.out.setText(path)

    def start(self) -> None:
        text = self.passphrase.text()
        if len(text) < MIN_ARCHIVE_PASSPHRASE:
            self.fail(self.tr("Use at least %d characters.") % MIN_ARCHIVE_PASSPHRASE)
            return
        if text != self.repeat.text():
            self.fail(self.tr("The two passphrases differ."))
            return
        try:
            phrase = passphrase_key(text)
        except KeyUnavailableError as exc:
            self.fail(str(exc))
            return
        out = Path(self.out.text()).expanduser()
        exec_id = self.exec_id if self.one.isChecked() else None
        ws = self.ws
        self._run(self.tr("Exporting"),
                  lambda progress: archive.export_archive(ws, out, phrase, exec_id=exec_id, progress=progress))


class ImportArchiveDialog(_ArchiveDialogBase):
    """Open an archive with its passphrase, then import everything (empty workspace) or merge one exec."""

    def __init__(self, parent: QWidget | None, ws: Workspace) -> None:
        super().__init__(parent, ws)
        self.setWindowTitle(self.tr("Import an encrypted archive"))
        self.setMinimumWidth(480)
        self.info: ArchiveInfo | None = None
        self.key: KeyMaterial | None = None
        self.source = QLineEdit()
        self.form.addRow(self.tr("&Archive"), _path_row(self, self.source, self._browse))
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.form.addRow(self.tr("Archive &passphrase"), self.passphrase)
        self.read_button = QPushButton(self.tr("&Open archive"))
        self.read_button.clicked.connect(self.read_archive)
        self.form.addRow("", self.read_button)
        self.everything = QRadioButton(self.tr("Import everything (only into an empty workspace)"))
        self.merge = QRadioButton(self.tr("Add the selected executive to this workspace"))
        self.merge.setChecked(True)
        self.execs = QListWidget()
        for widget in (self.everything, self.merge, self.execs):
            widget.setEnabled(False)
            self.layout_.addWidget(widget)
        self._finish_layout()
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Import archive"), str(self.ws.path.parent), ARCHIVE_FILTER)
        if path:
            self.source.setText(path)

    def read_archive(self) -> None:
        """Check the passphrase and list what the archive holds (reads only)."""
        try:
            self.key = passphrase_key(self.passphrase.text())
            self.info = archive.read_archive_info(Path(self.source.text()).expanduser(), self.key)
        except Exception as exc:  # noqa: BLE001 - shown in the dialog
            self.fail(describe(exc))
            return
        self.error.hide()
        self.execs.clear()
        for exec_id, name in self.info.execs:
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, exec_id)
            self.execs.addItem(item)
        if self.execs.count():
            self.execs.setCurrentRow(0)
        for widget in (self.everything, self.merge, self.execs):
            widget.setEnabled(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(True)

    def start(self) -> None:
        if self.info is None or self.key is None:
            return
        source, key, ws = Path(self.source.text()).expanduser(), self.key, self.ws
        if self.everything.isChecked():
            self._run(self.tr("Importing"), lambda progress: archive.import_whole(ws, source, key, progress=progress))
            return
        item = self.execs.currentItem()
        if item is None:
            self.fail(self.tr("Choose an executive to add."))
            return
        exec_id = int(item.data(Qt.ItemDataRole.UserRole))
        self._run(self.tr("Importing"), lambda progress: archive.merge_exec(ws, source, key, exec_id, progress=progress))


def _ws_of(parent: QWidget | None, ws: Workspace | None) -> Workspace:
    found = ws if ws is not None else getattr(parent, "ws", None)
    if found is None:
        raise ValueError("no open workspace")
    return found


def open_export_dialog(parent: QWidget | None, ws: Workspace | None = None) -> ExportArchiveDialog:
    """File ▸ Export archive…"""
    workspace = _ws_of(parent, ws)
    exec_id = parent.current_exec_id() if hasattr(parent, "current_exec_id") else None  # type: ignore[union-attr]
    name = ""
    if exec_id is not None:
        from esncoach.services import execs

        try:
            name = execs.get_exec(workspace, exec_id).name
        except Exception:  # noqa: BLE001 - the label is cosmetic
            name = ""
    dialog = ExportArchiveDialog(parent, workspace, exec_id=exec_id, exec_name=name)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def open_import_dialog(parent: QWidget | None, ws: Workspace | None = None) -> ImportArchiveDialog:
    """File ▸ Import archive…"""
    dialog = ImportArchiveDialog(parent, _ws_of(parent, ws))
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
