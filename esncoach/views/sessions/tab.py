"""The exec page's "Sessions" tab: every session, the selected one in full, and the open action items."""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from esncoach.models import SessionStatus
from esncoach.services import sessions
from esncoach.services.sessions import OWNER_LABELS, STATUS_LABELS, SessionRow
from esncoach.store.workspace import Workspace
from esncoach.views.icons import icon
from esncoach.views.latest_load import LatestLoad
from esncoach.views.messages import show_error
from esncoach.views.sessions.dialog import SessionDialog
from esncoach.views.dates import date_text, weekday_date_text

SessionIdRole = Qt.ItemDataRole.UserRole + 1
_ModelIndex = QModelIndex | QPersistentModelIndex


class SessionTableModel(QAbstractTableModel):
    """An exec's sessions, newest first."""

    HEADERS = ("When", "Kind", "Title", "Status", "Open")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[SessionRow] = []

    def set_rows(self, rows: list[SessionRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: _ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(self.HEADERS[section])
        return None

    def data(self, index: _ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            open_items = sum(1 for i in row.action_items if not i.done and not i.superseded)
            return (
                f"{date_text(row.starts_at)} {row.starts_at:%H:%M}", self.tr(row.kind_label), row.title,
                self.tr(STATUS_LABELS[row.status]), str(open_items) if open_items else "",
            )[col]
        if role == SessionIdRole:
            return row.id
        if role == Qt.ItemDataRole.ForegroundRole:
            if row.status == SessionStatus.CANCELLED:
                return QBrush(QColor("#999999"))
            if row.status == SessionStatus.PLANNED:
                return QBrush(QColor("#2f5d8a"))
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.title if col == 2 else (self.tr("Open action items") if col == 4 else None)
        return None


def session_html(row: SessionRow) -> str:
    """The session as the detail pane shows it."""
    esc = html.escape
    parts = [f"<h3>{esc(row.title)}</h3>",
             f"<p><b>{esc(row.kind_label)}</b> · {weekday_date_text(row.starts_at)}, {row.starts_at:%H:%M}–{row.ends_at:%H:%M}"
             f" · {esc(STATUS_LABELS[row.status])}" + (f" · with {esc(row.mentor_name)}" if row.mentor_name else "")
             + "</p>"]
    for label, text in (("Agenda", row.agenda), ("Notes", row.notes), ("Outcomes", row.outcomes)):
        if text.strip():
            body = esc(text if len(text) < 20_000 else text[:20_000] + "…").replace("\n", "<br>")
            parts.append(f"<h4>{label}</h4><p>{body}</p>")
    if row.action_items:
        parts.append("<h4>Action items</h4><ul>")
        for i in row.action_items:
            mark = "☑" if i.done else ("↪" if i.superseded else "☐")
            due = f", due {date_text(i.due, year=False)}" if i.due else ""
            parts.append(f"<li>{mark} {esc(i.text)} <i>({esc(i.owner_name or OWNER_LABELS[i.owner])}{due})</i></li>")
        parts.append("</ul>")
    return "".join(parts)


class SessionsTab(QWidget):
    """Sessions of the selected exec: plan, edit, mark held, export the next one as .ics."""

    sig_data_changed = Signal()
    """Sessions or action items changed; the exec list's last session / next action may differ."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = ws
        self.loader = LatestLoad(self, self.tr("Sessions"))
        self._exec_id: int | None = None
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.new_button = QPushButton(icon("add"), self.tr("New…"))
        self.new_button.setToolTip(self.tr("Starts from the agenda template of the exec's stage (Ctrl+Shift+S)"))
        self.edit_button = QPushButton(icon("edit"), self.tr("Open…"))
        self.held_button = QPushButton(icon("check"), self.tr("Mark held"))
        self.coach_button = QPushButton(icon("coach"), self.tr("Coach"))
        self.coach_button.setToolTip(self.tr("Hold the selected planned session in full-screen coaching mode"))
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setToolTip(self.tr("Mark the selected session cancelled (kept in the history)"))
        self.delete_button = QPushButton(self.tr("Delete"))
        self.ics_button = QPushButton(icon("export"), self.tr("Export .ics…"))
        self.ics_button.setToolTip(self.tr("Save the next planned session as a calendar invitation for Outlook or any calendar"))
        self.templates_button = QPushButton(icon("session"), self.tr("Templates…"))
        self.templates_button.setToolTip(self.tr("Edit the agenda template of each ladder stage"))
        self.templates_button.setProperty("workspaceWide", True)  # stays on while the exec is held offline (#20)
        for b in (self.new_button, self.edit_button, self.coach_button, self.held_button, self.cancel_button,
                  self.delete_button):
            bar.addWidget(b)
        # Rarely used, and also in the menus: icons only, so the bar fits a laptop-width exec page.
        for b, text in ((self.ics_button, self.tr("Export .ics…")), (self.templates_button, self.tr("Templates…"))):
            b.setText("")
            b.setAccessibleName(text)
            b.setToolTip(text + " — " + b.toolTip())
        bar.addStretch()
        bar.addWidget(self.ics_button)
        bar.addWidget(self.templates_button)
        layout.addLayout(bar)

        splitter = QSplitter(Qt.Orientation.Vertical)
        upper = QSplitter(Qt.Orientation.Horizontal)
        self.model = SessionTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for col, width in ((0, 128), (1, 140), (3, 74), (4, 44)):
            header.resizeSection(col, width)
        self.table.setWordWrap(False)
        self.table.setMinimumWidth(360)
        self.detail = QTextBrowser()
        self.detail.setOpenLinks(False)
        self.detail.setMinimumWidth(220)
        upper.addWidget(self.table)
        upper.addWidget(self.detail)
        upper.setStretchFactor(0, 3)
        upper.setStretchFactor(1, 2)
        upper.setSizes([520, 320])
        self.upper = upper
        splitter.addWidget(upper)
        items_box = QGroupBox(self.tr("Open action items (tick when done)"))
        items_layout = QVBoxLayout(items_box)
        self.open_items = QListWidget()
        items_layout.addWidget(self.open_items)
        splitter.addWidget(items_box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([420, 140])
        layout.addWidget(splitter, 1)

        self.new_button.clicked.connect(self.new_session)
        self.edit_button.clicked.connect(self.open_current)
        self.held_button.clicked.connect(lambda: self._set_status(SessionStatus.HELD))
        self.coach_button.clicked.connect(self.coach_session)
        self.cancel_button.clicked.connect(lambda: self._set_status(SessionStatus.CANCELLED))
        self.delete_button.clicked.connect(self._delete)
        self.ics_button.clicked.connect(self.export_ics)
        self.templates_button.clicked.connect(self._templates)
        self.table.doubleClicked.connect(lambda _i: self.open_current())
        self.table.activated.connect(lambda _i: self.open_current())
        self.table.selectionModel().currentRowChanged.connect(self._on_current)
        self.open_items.itemChanged.connect(self._on_item_ticked)
        self._update_buttons()

    def set_exec(self, exec_id: int | None) -> None:
        """Show another exec: the list empties now and fills when its sessions are read (on a worker)."""
        self._exec_id = exec_id
        if exec_id is None:
            self.refresh()
            return
        ws = self._ws
        self._show(None, [], [])
        self.loader.load(lambda: self._read(ws, exec_id), lambda rows: self._show(None, *rows))

    @staticmethod
    def _read(ws: Workspace, exec_id: int) -> tuple[list[SessionRow], list[Any]]:
        return sessions.list_sessions(ws, exec_id=exec_id), sessions.open_action_items(ws, exec_id=exec_id)

    NARROW = 1300
    """Below this width the detail goes under the list, so session titles are not cut off on a laptop."""

    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().resizeEvent(event)
        wanted = Qt.Orientation.Vertical if self.width() < self.NARROW else Qt.Orientation.Horizontal
        if self.upper.orientation() != wanted:
            self.upper.setOrientation(wanted)
            self.upper.setSizes([3, 2] if wanted == Qt.Orientation.Vertical else [520, 320])

    def refresh(self, select_id: int | None = None) -> None:
        """Re-read the exec's sessions now (after an edit), keeping or moving to ``select_id``."""
        self.loader.drop()
        rows, items = self._read(self._ws, self._exec_id) if self._exec_id is not None else ([], [])
        self._show(select_id, rows, items)

    def _show(self, select_id: int | None, rows: list[SessionRow], items: list[Any]) -> None:
        current = select_id if select_id is not None else self.current_session_id()
        self.model.set_rows(rows)
        target = next((n for n, r in enumerate(rows) if r.id == current), None)
        if target is None and rows:
            upcoming = [n for n, r in enumerate(rows) if r.status != SessionStatus.PLANNED]
            target = upcoming[0] if upcoming else 0
        if target is not None:
            self.table.selectRow(target)
        else:
            self.detail.clear()
        self._fill_open_items(items)
        self._update_buttons()

    def _fill_open_items(self, items: list[Any]) -> None:
        self.open_items.blockSignals(True)
        self.open_items.clear()
        if self._exec_id is not None:
            today = dt.date.today()
            for i in items:
                due = f" — due {date_text(i.due, year=False)}" if i.due else ""
                late = self.tr("  (overdue)") if i.is_overdue(today) else ""
                item = QListWidgetItem(f"{i.text}  ·  {i.owner_name or OWNER_LABELS[i.owner]}{due}{late}")
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Unchecked)
                item.setData(Qt.ItemDataRole.UserRole, i.id)
                if late:
                    item.setForeground(QBrush(QColor("#c0392b")))
                self.open_items.addItem(item)
        self.open_items.blockSignals(False)

    def show_item(self, kind: str, item_id: int) -> bool:
        """Find-anything hook: select a session, or the session an action item belongs to."""
        if kind not in ("session", "action"):
            return False
        if self.loader.loading:
            self.refresh()  # the exec was just selected: read its sessions now rather than wait for the worker
        if kind == "action":
            owner = next((r.id for r in self.model.rows for i in r.action_items if i.id == item_id), None)
            if owner is None:
                return False
            kind, item_id = "session", owner
        if kind != "session":
            return False
        row = next((n for n, r in enumerate(self.model.rows) if r.id == item_id), None)
        if row is None:
            return False
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))
        return True

    def current_session_id(self) -> int | None:
        index = self.table.currentIndex()
        return index.data(SessionIdRole) if index.isValid() else None

    def _current_row(self) -> SessionRow | None:
        index = self.table.currentIndex()
        return self.model.rows[index.row()] if index.isValid() else None

    def _on_current(self, *_args: object) -> None:
        row = self._current_row()
        self.detail.setHtml(session_html(row) if row else "")
        self._update_buttons()

    def _update_buttons(self) -> None:
        has_exec = self._exec_id is not None
        row = self._current_row()
        self.new_button.setEnabled(has_exec)
        self.ics_button.setEnabled(has_exec)
        for b in (self.edit_button, self.delete_button):
            b.setEnabled(row is not None)
        started = row is not None and row.starts_at <= dt.datetime.now()
        self.held_button.setEnabled(row is not None and row.status != SessionStatus.HELD and started)
        self.held_button.setToolTip("" if row is None or started else self.tr("This session has not started yet."))
        self.cancel_button.setEnabled(row is not None and row.status == SessionStatus.PLANNED)
        self.coach_button.setEnabled(row is not None and row.status == SessionStatus.PLANNED
                                     and hasattr(self.window(), "start_coaching"))

    # ----- commands ------------------------------------------------------------------------------
    def coach_session(self) -> None:
        """Hold the selected planned session in coaching mode (the main window hides meanwhile)."""
        row = self._current_row()
        start = getattr(self.window(), "start_coaching", None)
        if row is not None and self._exec_id is not None and start is not None:
            start(self._exec_id, row.id)

    def new_session(self) -> SessionDialog | None:
        if self._exec_id is None:
            return None
        dialog = SessionDialog(self._ws, self._exec_id, None, self)
        self._run(dialog)
        return dialog

    def open_current(self) -> None:
        sid = self.current_session_id()
        if sid is None or self._exec_id is None:
            return
        self._run(SessionDialog(self._ws, self._exec_id, sid, self))

    def _run(self, dialog: SessionDialog) -> None:
        dialog.finished.connect(lambda _r, d=dialog: self._after_dialog(d))
        dialog.open()

    def _after_dialog(self, dialog: SessionDialog) -> None:
        if dialog.session_id is not None:
            self.refresh(dialog.session_id)
            self.sig_data_changed.emit()
        dialog.deleteLater()

    def _set_status(self, status: SessionStatus) -> None:
        sid = self.current_session_id()
        if sid is None:
            return
        try:
            sessions.set_status(self._ws, session_id=sid, status=status)
        except Exception as exc:  # noqa: BLE001 - shown; data unchanged
            show_error(self, self.tr("Could not change the session"), exc)
        self.refresh(sid)
        self.sig_data_changed.emit()

    def _delete(self) -> None:
        row = self._current_row()
        if row is None:
            return
        answer = QMessageBox.question(self, self.tr("Delete session"),
                                      self.tr("Delete “%s” and its action items?") % row.title)
        if answer == QMessageBox.StandardButton.Yes:
            sessions.delete_session(self._ws, session_id=row.id)
            self.refresh()
            self.sig_data_changed.emit()

    def _on_item_ticked(self, item: QListWidgetItem) -> None:
        if item.checkState() != Qt.CheckState.Checked:
            return
        try:
            sessions.set_action_done(self._ws, item_id=item.data(Qt.ItemDataRole.UserRole), done=True)
        except Exception as exc:  # noqa: BLE001
            show_error(self, self.tr("Could not update the action item"), exc)
        self.refresh()
        self.sig_data_changed.emit()

    def export_ics(self, path: str | None = None) -> Path | None:
        """Ask where, then write the next planned session as an .ics invitation."""
        if self._exec_id is None:
            return None
        nxt = sessions.next_planned(self._ws, exec_id=self._exec_id)
        if nxt is None:
            show_error(self, self.tr("Export next session"),
                       self.tr("No session is planned for this executive; plan one first."))
            return None
        if path is None:
            suggested = str(Path.home() / f"session-{nxt.starts_at:%Y-%m-%d}.ics")
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Export next session"), suggested,
                                                  self.tr("Calendar invitations (*.ics)"))
            if not path:
                return None
        try:
            from esncoach.services import calendar_export  # icalendar loads on first export, not with the tab

            return calendar_export.export_next_session(self._ws, exec_id=self._exec_id, path=path)
        except Exception as exc:  # noqa: BLE001
            show_error(self, self.tr("Export next session"), exc)
            return None

    def _templates(self) -> None:
        from esncoach.views.sessions.templates_dialog import TemplatesDialog

        TemplatesDialog(self._ws, self).exec()


def export_next_ics(window) -> None:  # type: ignore[no-untyped-def]
    """Menu hook: export the selected exec's next session as an .ics invitation."""
    exec_id = window.current_exec_id()
    if exec_id is None:
        show_error(window, window.tr("Export next session"), window.tr("Select an executive first."))
        return
    tab = SessionsTab(window.ws, window)
    tab.hide()
    tab.set_exec(exec_id)
    written = tab.export_ics()
    tab.deleteLater()
    if written is not None:
        window.statusBar().showMessage(window.tr("Saved %s") % written, 6000)
