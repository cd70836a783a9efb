"""View ▸ Team directory…: every exec of the programme with stage and CMs, for every team member.

A CM's exec list holds the execs they coach; this window shows the whole programme as far as the
server's rules allow a member to see it (name, title, department, stage, CMs), read-only.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from esncoach.models import LadderStage
from esncoach.services import team

COLUMNS = ("Name", "Title", "Department", "Stage", "CMs")


def _tr(text: str) -> str:
    return QApplication.translate("team", text)


class DirectoryModel(QAbstractTableModel):
    """The directory rows as a table."""

    def __init__(self, rows: list[team.DirectoryRow], parent: Any = None) -> None:
        super().__init__(parent)
        self.rows = rows

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _tr(COLUMNS[section])
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        row = self.rows[index.row()]
        if index.column() == 3:
            try:
                return LadderStage(row.stage).label
            except ValueError:
                return row.stage
        return (row.name, row.title, row.department, None, ", ".join(row.cms) or "—")[index.column()]


class DirectoryDialog(QDialog):
    """The programme's execs with a filter box; read-only."""

    def __init__(self, rows: list[team.DirectoryRow], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_tr("Team directory"))
        self.resize(860, 560)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(QApplication.translate(
            "team", "Every executive of the programme and their CMs (%n executives).", "", len(rows))))
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(_tr("Filter by name, title, department or CM"))
        layout.addWidget(self.filter)
        self.model = DirectoryModel(rows, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        layout.addWidget(self.table, 1)


def open_directory(window: Any) -> DirectoryDialog | None:
    """View ▸ Team directory…; on a workspace file there is no team to show."""
    if not window.ws.is_server:
        QMessageBox.information(window, _tr("Team directory"),
                                _tr("The team directory belongs to team workspaces on a PostgreSQL server."))
        return None
    dialog = DirectoryDialog(team.directory(window.ws), window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
