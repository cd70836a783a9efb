"""Executive ▸ Import list…: choose the HR list, see what it would add, update and refuse, then import.

The preview is read-only: nothing is written until Import, and Cancel (or Esc) leaves the workspace
exactly as it was. The write runs in the background through ``run_task``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from esncoach.services import backup_policy, exec_import
from esncoach.store.workspace import Workspace
from esncoach.views.messages import show_error
from esncoach.views.tasks import run_task

ACTION_TEXT = {"add": "Add", "update": "Update", "unchanged": "No change", "refuse": "Refused"}
ACTION_COLOUR = {"add": "#2e8b57", "update": "#1f6fb2", "unchanged": "#808080", "refuse": "#c0392b"}
CSV_FILTER = "Lists (*.csv *.txt *.tsv);;All files (*)"


class ImportListDialog(QDialog):
    """The preview of an executive list: one row per line of the file, with what importing would do."""

    sig_imported = Signal(object)
    """The import was written; carries the counts dict of ``exec_import.apply_plan``."""

    def __init__(self, ws: Workspace, plan: exec_import.ImportPlan, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = ws
        self.plan = plan
        self.counts: dict[str, int] | None = None
        self.setWindowTitle(self.tr("Import executives — %s") % plan.path.name)
        layout = QVBoxLayout(self)
        c = plan.counts()
        summary = ", ".join([
            self.tr("%n to add", "", c["add"]), self.tr("%n to update", "", c["update"]),
            self.tr("%n unchanged", "", c["unchanged"]), self.tr("%n refused", "", c["refuse"]),
        ])
        self.summary = QLabel(summary + ". " + (self.tr("Nothing is written until you press Import.") if plan.writes
                                                  else self.tr("Importing this list would change nothing.")))
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.table = QTableWidget(len(plan.rows), 4)
        self.table.setHorizontalHeaderLabels([self.tr("Line"), self.tr("Action"), self.tr("Name"), self.tr("Details")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.table.horizontalHeader()
        for col in (0, 1):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for n, row in enumerate(plan.rows):
            detail = row.reason or (self.tr("Changes: %s") % ", ".join(row.changes) if row.changes else "")
            cells = [str(row.line), self.tr(ACTION_TEXT[row.action]), row.name or self.tr("(no name)"), detail]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if col == 1:
                    item.setForeground(QBrush(QColor(ACTION_COLOUR[row.action])))
                self.table.setItem(n, col, item)
        self.table.setColumnWidth(2, 220)
        layout.addWidget(self.table, 1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.addButton(self.tr("&Import"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setEnabled(plan.writes)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        screen = (parent.screen() if parent else None) or QApplication.primaryScreen()
        area = screen.availableGeometry() if screen else None
        self.resize(min(900, int(area.width() * 0.8)) if area else 900, min(600, int(area.height() * 0.8)) if area else 600)
        self.table.setFocus()
        if plan.rows:
            self.table.selectRow(0)

    def accept(self) -> None:
        """Write the plan in the background; the dialog closes when it is stored."""
        self.import_button.setEnabled(False)

        def _done(counts: Any) -> None:
            self.counts = counts
            self.sig_imported.emit(counts)
            super(ImportListDialog, self).accept()

        def _failed(exc: BaseException) -> None:
            self.import_button.setEnabled(self.plan.writes)
            show_error(self, self.tr("Import executives"), exc)

        self._task = run_task(self, self.tr("Importing executives"),
                              lambda progress: exec_import.apply_plan(
                                  self._ws, self.plan, progress=progress,
                                  before_write=lambda: backup_policy.back_up_now(self._ws, reason="before-import")),
                              _done, on_error=_failed)


def open_import_list(window: Any, path: str | None = None) -> ImportListDialog | None:
    """Menu hook (Executive ▸ Import list…): choose a CSV, preview it, import on confirmation."""
    if path is None:
        path, _ = QFileDialog.getOpenFileName(window, window.tr("Import a list of executives"), str(Path.home()),
                                              CSV_FILTER)
        if not path:
            return None
    try:
        plan = exec_import.plan_import(window.ws, path)
    except Exception as exc:  # noqa: BLE001 - one sentence; nothing was written
        show_error(window, window.tr("Import executives"), exc)
        return None
    dialog = ImportListDialog(window.ws, plan, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def _imported(counts: dict[str, int]) -> None:
        window.refresh()
        window.statusBar().showMessage(
            window.tr("Imported: %n added", "", counts["add"]) + ", " + window.tr("%n updated", "", counts["update"]),
            8000)

    dialog.sig_imported.connect(_imported)
    dialog.open()
    return dialog
