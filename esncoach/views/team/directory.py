"""View ▸ Team directory…: every exec of the programme with stage and CMs, for every team member.

A CM's exec list holds the execs they coach; this window shows the whole programme as far as the
server's rules allow a member to see it (name, title, department, stage, CMs), read-only. The user's own
execs are in bold; Enter (or a double-click) on one shows it in the main window, on a colleague's says
whose it is. Typing goes to the filter from the start.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont
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

    def __init__(self, rows: list[team.DirectoryRow], me: str | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows = rows
        self.me = me

    def is_mine(self, row: int) -> bool:
        return self.me is not None and self.me in self.rows[row].cms

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _tr(COLUMNS[section])
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.FontRole and self.is_mine(index.row()):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            return _tr("Yours: Enter shows it") if self.is_mine(index.row()) else _tr(
                "A colleague's: name, title, department, stage and CMs only")
        if role != Qt.ItemDataRole.DisplayRole:
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

    sig_show_exec = Signal(int)
    """The user asked to see one of their own execs in the main window (its id)."""

    def __init__(self, rows: list[team.DirectoryRow], parent: QWidget | None = None, me: str | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_tr("Team directory"))
        self.resize(860, 560)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(QApplication.translate(
            "team", "Every executive of the programme and their CMs (%n executives).", "", len(rows))))
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(_tr("Filter by name, title, department or CM"))
        layout.addWidget(self.filter)
        self.model = DirectoryModel(rows, me, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setSortLocaleAware(True)  # Élodie among the Es, as in the exec list
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        self.table.setTabKeyNavigation(False)
        self.table.activated.connect(self._on_activated)
        layout.addWidget(self.table, 1)
        self.status = QLabel(_tr("Your executives are in bold. ↓ to the list, Enter shows one, Esc closes."))
        self.status.setObjectName("directory_status")
        layout.addWidget(self.status)
        self.filter.returnPressed.connect(self._on_filter_return)
        self.filter.installEventFilter(self)
        self.filter.setFocus()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if obj is self.filter and event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Down:  # type: ignore[attr-defined]
            self.table.setFocus()
            if not self.table.currentIndex().isValid() and self.proxy.rowCount():
                self.table.setCurrentIndex(self.proxy.index(0, 0))
            return True
        return super().eventFilter(obj, event)

    def _on_filter_return(self) -> None:
        if self.proxy.rowCount() == 1:  # the one match: as if chosen in the list
            self._on_activated(self.proxy.index(0, 0))

    def _on_activated(self, index: QModelIndex) -> None:
        row = self.proxy.mapToSource(index).row()
        found = self.model.rows[row]
        if self.model.is_mine(row):
            self.sig_show_exec.emit(found.exec_id)
            self.close()
            return
        cms = ", ".join(found.cms) or _tr("nobody yet")
        self.status.setText(_tr("{name} is coached by {cms}: you see their name, title, department, stage "
                                "and CMs only.").format(name=found.name, cms=cms))


def open_directory(window: Any) -> DirectoryDialog | None:
    """View ▸ Team directory…; on a workspace file there is no team to show."""
    if not window.ws.is_server:
        QMessageBox.information(window, _tr("Team directory"),
                                _tr("The team directory belongs to team workspaces on a PostgreSQL server."))
        return None
    dialog = DirectoryDialog(team.directory(window.ws), window, me=getattr(window.ws, "role", None))
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.sig_show_exec.connect(window.select_exec)
    window.directory_dialog = dialog
    dialog.show()
    return dialog
