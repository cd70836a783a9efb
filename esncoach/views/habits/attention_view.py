"""The "needs attention" list as a reusable widget (the portfolio dashboard embeds it) and a small window."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from esncoach.services import attention, ladder
from esncoach.store.workspace import Workspace
from esncoach.views.window_size import fit_to_screen

ExecIdRole = Qt.ItemDataRole.UserRole + 1
SeverityRole = Qt.ItemDataRole.UserRole + 2
_ModelIndex = QModelIndex | QPersistentModelIndex


class AttentionModel(QAbstractListModel):
    """One row per exec needing attention: the name, then the reasons on a second line."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.items: list[attention.AttentionItem] = []

    def set_items(self, items: list[attention.AttentionItem]) -> None:
        self.beginResetModel()
        self.items = items
        self.endResetModel()

    def rowCount(self, parent: _ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.items)

    def data(self, index: _ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self.items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{item.exec_name}\n   " + "\n   ".join(r.text for r in item.reasons)
        if role == Qt.ItemDataRole.ToolTipRole:
            return item.summary()
        if role == ExecIdRole:
            return item.exec_id
        if role == SeverityRole:
            return item.severity
        if role == Qt.ItemDataRole.DecorationRole:
            return QColor("#c0392b") if item.severity >= 4 else QColor("#e67e22")
        if role == Qt.ItemDataRole.ForegroundRole:
            return None
        return None


class AttentionList(QWidget):
    """The execs who need the CM now, most urgent first; Enter or double-click opens one."""

    sig_exec_activated = Signal(int)
    """The user chose an exec on the list (their id)."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = ws
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.model = AttentionModel(self)
        self.view = QListView()
        self.view.setModel(self.model)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(True)
        self.view.setSpacing(2)
        self.view.setIconSize(QSize(10, 10))
        self.view.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        self.empty = QLabel(self.tr("Nobody needs attention right now. 🎉"))
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet("color: palette(placeholder-text);")
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty)
        self.view.activated.connect(self._on_activated)
        self.view.doubleClicked.connect(self._on_activated)
        self.refresh()

    def refresh(self) -> None:
        """Re-judge every exec against the rules (cheap: a few queries and scores)."""
        items = attention.needs_attention(self._ws)
        self.model.set_items(items)
        self.empty.setVisible(not items)
        self.view.setVisible(bool(items))
        if items and not self.view.currentIndex().isValid():
            self.view.setCurrentIndex(self.model.index(0, 0))

    def _on_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.sig_exec_activated.emit(index.data(ExecIdRole))


class AttentionWindow(QDialog):
    """The list in its own window, reached from Tools → Needs attention (Ctrl+Shift+U)."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = ws
        self.setWindowTitle(self.tr("Needs attention"))
        fit_to_screen(self, 600, 640)
        layout = QVBoxLayout(self)
        hint = QLabel(self.tr("Habit strength falling, last session long ago, or action items overdue. "
                              "Enter opens the executive."))
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.list = AttentionList(ws, self)
        layout.addWidget(self.list, 3)
        layout.addWidget(QLabel(self.tr("Looks ready for the next stage")))
        self.ready = QListWidget()
        self.ready.setWordWrap(True)
        self.ready.setAlternatingRowColors(True)
        layout.addWidget(self.ready, 1)
        self.ready.itemActivated.connect(
            lambda item: self.list.sig_exec_activated.emit(item.data(Qt.ItemDataRole.UserRole)))
        self._fill_ready()
        bar = QHBoxLayout()
        refresh = QPushButton(self.tr("Refresh"))
        close = QPushButton(self.tr("Close"))
        for b in (refresh, close):
            b.setAutoDefault(False)  # Enter on the list opens the exec; it must not also press a button
        refresh.clicked.connect(self.list.refresh)
        refresh.clicked.connect(self._fill_ready)
        close.clicked.connect(self.close)
        bar.addStretch()
        bar.addWidget(refresh)
        bar.addWidget(close)
        layout.addLayout(bar)
        self.list.view.setFocus()

    def _fill_ready(self) -> None:
        self.ready.clear()
        for r in ladder.suggestions(self._ws):
            item = QListWidgetItem(f"{r.exec_name}: {r.stage.label} → {r.next_stage.label if r.next_stage else ''}\n   "
                                   + "; ".join(r.reasons))
            item.setData(Qt.ItemDataRole.UserRole, r.exec_id)
            self.ready.addItem(item)
        if not self.ready.count():
            self.ready.addItem(self.tr("Nobody yet."))


def open_attention(window) -> None:  # type: ignore[no-untyped-def]
    """Menu hook: show the needs-attention window; choosing an exec selects them in the main window."""
    dialog = AttentionWindow(window.ws, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def _select(exec_id: int) -> None:
        window.select_exec(exec_id)
        window.raise_()
        window.activateWindow()

    dialog.list.sig_exec_activated.connect(_select)
    dialog.show()
