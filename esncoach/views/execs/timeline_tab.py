"""The exec page's "Timeline" tab: sessions, ladder moves, habit milestones and posts in one list, newest first."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QCheckBox, QHBoxLayout, QHeaderView, QTreeView, QVBoxLayout, QWidget

from esncoach.services import timeline
from esncoach.store.workspace import Workspace
from esncoach.views.icons import icon
from esncoach.views.latest_load import LatestLoad
from esncoach.views.dates import date_text

KIND_LABELS = {"session": "Sessions", "stage": "Ladder", "habit": "Habit", "post": "Posts"}
KIND_ICONS = {"session": "session", "stage": "coach", "habit": "habit", "post": "post"}
EventKindRole = Qt.ItemDataRole.UserRole + 1
EventRefRole = Qt.ItemDataRole.UserRole + 2


class TimelineTab(QWidget):
    """One chronological view of what happened; the check boxes filter by kind."""

    sig_session_activated = Signal(int)
    """A session row was activated (Enter / double-click): its id; the tab opens the session too."""
    sig_data_changed = Signal()
    """A session opened from the timeline was saved."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = ws
        self.loader = LatestLoad(self, self.tr("Timeline"))
        self._exec_id: int | None = None
        layout = QVBoxLayout(self)
        filters = QHBoxLayout()
        self.filters: dict[str, QCheckBox] = {}
        for kind, label in KIND_LABELS.items():
            box = QCheckBox(self.tr(label))
            box.setChecked(True)
            box.toggled.connect(self.refresh)
            self.filters[kind] = box
            filters.addWidget(box)
        filters.addStretch()
        layout.addLayout(filters)
        self.model = QStandardItemModel(0, 3, self)
        self.model.setHorizontalHeaderLabels([self.tr("When"), self.tr("What"), self.tr("Details")])
        self.view = QTreeView()
        self.view.setModel(self.model)
        self.view.setRootIsDecorated(False)
        self.view.setAlternatingRowColors(True)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setUniformRowHeights(True)
        header = self.view.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(1, 340)
        header.setStretchLastSection(True)
        layout.addWidget(self.view, 1)
        self.view.activated.connect(self._on_activated)

    def set_exec(self, exec_id: int | None) -> None:
        """Show another exec: the list empties now and fills when its events are read (on a worker)."""
        self._exec_id = exec_id
        self.model.removeRows(0, self.model.rowCount())
        if exec_id is None:
            self.loader.drop()
            return
        ws, kinds = self._ws, self._kinds()
        self.loader.load(lambda: timeline.timeline(ws, exec_id=exec_id, kinds=kinds), self._show)

    def _kinds(self) -> tuple[str, ...]:
        return tuple(k for k, box in self.filters.items() if box.isChecked())

    def refresh(self) -> None:
        """Re-read the events now (a filter changed, a session was edited)."""
        self.loader.drop()
        self.model.removeRows(0, self.model.rowCount())
        if self._exec_id is None:
            return
        self._show(timeline.timeline(self._ws, exec_id=self._exec_id, kinds=self._kinds()))

    def _show(self, events: list[Any]) -> None:
        self.model.removeRows(0, self.model.rowCount())
        for event in events:
            when_text = date_text(event.when) + (f" {event.when:%H:%M}" if event.kind == "session" else "")
            when = QStandardItem(when_text)
            what = QStandardItem(icon(KIND_ICONS[event.kind]), event.title)
            detail = QStandardItem(event.detail)
            detail.setToolTip(event.detail)
            what.setData(event.kind, EventKindRole)
            what.setData(event.ref_id, EventRefRole)
            if event.planned:
                for item in (when, what, detail):
                    item.setForeground(QBrush(QColor("#2f5d8a")))
                what.setText(self.tr("Planned: %s") % event.title)
            self.model.appendRow([when, what, detail])

    def _on_activated(self, index) -> None:  # type: ignore[no-untyped-def]
        what = self.model.item(index.row(), 1)
        if what is not None and what.data(EventKindRole) == "session" and self._exec_id is not None:
            from esncoach.views.sessions.dialog import SessionDialog

            session_id = what.data(EventRefRole)
            self.sig_session_activated.emit(session_id)
            dialog = SessionDialog(self._ws, self._exec_id, session_id, self)
            dialog.finished.connect(lambda result, d=dialog: self._after_dialog(result, d))
            dialog.open()

    def _after_dialog(self, result: int, dialog: QWidget) -> None:
        dialog.deleteLater()
        if result:
            self.refresh()
            self.sig_data_changed.emit()
