"""The exec list as a Qt item model, with a proxy that filters by any word the CM types."""

from __future__ import annotations

import datetime as dt
import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt

from esncoach.views.dates import date_text

if TYPE_CHECKING:  # the services (SQLAlchemy) load after the first paint; rows may be store.first_list.ListedExec
    from esncoach.services.execs import ExecRow

ExecIdRole = Qt.ItemDataRole.UserRole + 1
SortRole = Qt.ItemDataRole.UserRole + 2
Index = QModelIndex | QPersistentModelIndex
_ROLES = frozenset(int(r) for r in (ExecIdRole, SortRole, Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
                                    Qt.ItemDataRole.ForegroundRole))
"""The roles ``data`` answers: the view asks for a dozen per cell, most of them answered None at once."""


@lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """Lower-case without accents, so 'elodie' finds 'Élodie' and sorting ignores diacritics.

    Kept per text: sorting 200 execs asks for each name's key some 15 times, and every keystroke in the filter
    folds every row's words again (#18)."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))


class ExecTableModel(QAbstractTableModel):
    """One row per exec: name, title, ladder stage, last session, next action."""

    HEADERS = ("Name", "Title", "Stage", "Last session", "Next action")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[ExecRow] = []
        self._today = dt.date.today()

    def set_rows(self, rows: list[ExecRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._today = dt.date.today()
        self.endResetModel()

    def replace_rows(self, rows: list[ExecRow]) -> bool:
        """Swap in ``rows`` without a reset when they are the same execs in the same order, so selection,
        current row, scroll position and sort stay as the user left them (start-up's first paint, #18).
        Other rows reset the model; returns whether the swap was in place."""
        if [r.id for r in rows] != [r.id for r in self._rows]:
            self.set_rows(rows)
            return False
        self._rows = list(rows)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(self.HEADERS) - 1))
        return True

    def row_at(self, row: int) -> ExecRow:
        return self._rows[row]

    def row_of(self, exec_id: int) -> int:
        return next((i for i, r in enumerate(self._rows) if r.id == exec_id), -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(self.HEADERS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in _ROLES or not index.isValid():
            return None
        r = self._rows[index.row()]
        col = index.column()
        if role == ExecIdRole:
            return r.id
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(r, col)
        if role == SortRole:
            return self._sort_key(r, col)
        if role == Qt.ItemDataRole.ToolTipRole and col == 4 and r.next_action:
            return r.next_action
        if role == Qt.ItemDataRole.ForegroundRole and r.archived:
            from PySide6.QtGui import QPalette
            from PySide6.QtWidgets import QApplication

            return QApplication.palette().color(QPalette.ColorRole.PlaceholderText)
        if role == Qt.ItemDataRole.ForegroundRole and col == 4 and r.next_action_due and r.next_action_due < self._today:
            from PySide6.QtGui import QColor

            return QColor("#c0392b")
        return None

    def _display(self, r: ExecRow, col: int) -> str:
        if col == 0:
            return r.name + (self.tr(" (archived)") if r.archived else "")
        if col == 1:
            return r.title
        if col == 2:
            return r.stage.label
        if col == 3:
            return date_text(r.last_session) if r.last_session else "—"
        if r.next_action_due:
            return f"{r.next_action} (due {date_text(r.next_action_due, year=False)})"
        return r.next_action

    @staticmethod
    def _sort_key(r: ExecRow, col: int) -> Any:
        if col == 2:
            return r.stage.rank
        if col == 3:
            return r.last_session.isoformat() if r.last_session else ""
        if col == 4:
            return r.next_action_due.isoformat() if r.next_action_due else "9999"
        return fold(r.name if col == 0 else r.title)


class ExecFilterProxy(QSortFilterProxyModel):
    """Keeps rows whose name, title, department, email or stage contain every typed word."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._words: list[str] = []
        self._show_archived = False
        self.setSortRole(SortRole)

    def set_query(self, text: str) -> None:
        self.beginFilterChange()
        self._words = fold(text).split()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_show_archived(self, show: bool) -> None:
        self.beginFilterChange()
        self._show_archived = show
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        assert isinstance(model, ExecTableModel)
        r = model.row_at(source_row)
        if r.archived and not self._show_archived:
            return False
        haystack = fold(" ".join([r.name, r.title, r.department, r.email or "", r.stage.label]))
        return all(w in haystack for w in self._words)
