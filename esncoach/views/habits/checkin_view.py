"""The keyboard check-in list: every exec's current habit for a day, entered with single keys.

D done · S skipped · M missed · Space/Delete clear · N note · ↑/↓ move · [ and ] previous/next day ·
T today. After a mark the cursor moves to the next exec, so a whole portfolio takes a few keystrokes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from esncoach.models import CheckInResult
from esncoach.services import habits
from esncoach.store.errors import StoreError
from esncoach.store.workspace import Workspace
from esncoach.views.messages import show_error
from esncoach.views.window_size import fit_to_screen

ExecIdRole = Qt.ItemDataRole.UserRole + 1
_ModelIndex = QModelIndex | QPersistentModelIndex
RESULT_TEXT = {CheckInResult.DONE: "✔ Done", CheckInResult.SKIPPED: "– Skipped", CheckInResult.MISSED: "✘ Missed"}
RESULT_COLOUR = {CheckInResult.DONE: "#2e8b57", CheckInResult.SKIPPED: "#808080", CheckInResult.MISSED: "#c0392b"}
KEYS = {Qt.Key.Key_D: CheckInResult.DONE, Qt.Key.Key_S: CheckInResult.SKIPPED, Qt.Key.Key_M: CheckInResult.MISSED}


class CheckInModel(QAbstractTableModel):
    """One row per exec with a current habit: the day's result, the period's progress, streak and strength."""

    HEADERS = ("Executive", "Habit", "Schedule", "Check-in", "Progress", "Streak", "Strength", "Note")
    COL_RESULT = 3

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[tuple[int, str, habits.HabitStatus]] = []

    def set_rows(self, rows: list[tuple[int, str, habits.HabitStatus]]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def replace_row(self, row: int, status: habits.HabitStatus) -> None:
        eid, name, _old = self.rows[row]
        self.rows[row] = (eid, name, status)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.HEADERS) - 1))

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
        eid, name, st = self.rows[index.row()]
        col = index.column()
        if role == ExecIdRole:
            return eid
        if role == Qt.ItemDataRole.DisplayRole:
            result = self.tr(RESULT_TEXT[st.today_result]) if st.today_result else "·"
            return (name, st.description, st.schedule_text, result,
                    f"{st.period_done}/{st.period_target} {self.tr(st.period_label)}",
                    f"{st.streak} {st.streak_unit}", f"{st.strength:.0%}", st.today_note)[col]
        if role == Qt.ItemDataRole.ForegroundRole and col == self.COL_RESULT and st.today_result:
            return QBrush(QColor(RESULT_COLOUR[st.today_result]))
        if role == Qt.ItemDataRole.ToolTipRole and col in (1, 7):
            return (st.description, st.today_note)[col == 7] or None
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (5, 6):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class CheckInTable(QTableView):
    """A table that turns single keys into check-ins."""

    sig_mark = Signal(int, object)
    """Row and CheckInResult (None clears) the user asked for with a key."""
    sig_note = Signal(int)
    """Row whose note the user wants to edit (N)."""
    sig_day_step = Signal(int)
    """-1 / +1 day ([ / ]), or 0 for today (T)."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        row = self.currentIndex().row()
        key = Qt.Key(event.key())
        plain = not (event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier))
        if plain and key in KEYS and row >= 0:
            self.sig_mark.emit(row, KEYS[key])
        elif plain and key in (Qt.Key.Key_Space, Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and row >= 0:
            self.sig_mark.emit(row, None)
        elif plain and key == Qt.Key.Key_N and row >= 0:
            self.sig_note.emit(row)
        elif plain and key == Qt.Key.Key_BracketLeft:
            self.sig_day_step.emit(-1)
        elif plain and key == Qt.Key.Key_BracketRight:
            self.sig_day_step.emit(1)
        elif plain and key == Qt.Key.Key_T:
            self.sig_day_step.emit(0)
        else:
            super().keyPressEvent(event)


class CheckInWindow(QDialog):
    """A small window over the main one: pick the day, then D/S/M down the list."""

    sig_checked_in = Signal(int)
    """An exec's check-in changed (their id)."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None, *, today: dt.date | None = None) -> None:
        super().__init__(parent)
        self._ws = ws
        self._today = today or dt.date.today()
        self.setWindowTitle(self.tr("Check-ins"))
        fit_to_screen(self, 1040, 480)
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.prev_button = QPushButton("◀")
        self.prev_button.setToolTip(self.tr("Previous day ( [ )"))
        self.day = QDateEdit()
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("dddd d MMMM yyyy")
        self.day.setMaximumDate(self._qdate(self._today))
        self.day.setDate(self._qdate(self._today))
        self.next_button = QPushButton("▶")
        self.next_button.setToolTip(self.tr("Next day ( ] )"))
        self.today_button = QPushButton(self.tr("Today"))
        for w in (self.prev_button, self.day, self.next_button, self.today_button):
            bar.addWidget(w)
        for b in (self.prev_button, self.next_button, self.today_button):
            b.setAutoDefault(False)  # Enter in the list must not press a button
        bar.addStretch()
        layout.addLayout(bar)
        self.model = CheckInModel(self)
        self.table = CheckInTable()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(7, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        layout.addWidget(self.table, 1)
        self.hint = QLabel(self.tr("D done · S skipped · M missed · Space clear · N note · [ ] previous/next day · "
                                   "T today"))
        self.hint.setStyleSheet("color: palette(placeholder-text);")
        self.summary = QLabel()
        foot = QHBoxLayout()
        foot.addWidget(self.hint, 1)
        foot.addWidget(self.summary)
        layout.addLayout(foot)

        self.prev_button.clicked.connect(lambda: self.step_day(-1))
        self.next_button.clicked.connect(lambda: self.step_day(1))
        self.today_button.clicked.connect(lambda: self.step_day(0))
        self.day.dateChanged.connect(lambda _d: self.refresh())
        self.table.sig_mark.connect(self.mark)
        self.table.sig_note.connect(self.edit_note)
        self.table.sig_day_step.connect(self.step_day)
        self.refresh()
        self.table.setFocus()
        if self.model.rowCount():
            self.table.selectRow(0)

    @staticmethod
    def _qdate(day: dt.date) -> QDate:
        return QDate(day.year, day.month, day.day)

    def current_day(self) -> dt.date:
        d = self.day.date()
        return dt.date(d.year(), d.month(), d.day())

    def step_day(self, step: int) -> None:
        target = self._today if step == 0 else self.current_day() + dt.timedelta(days=step)
        self.day.setDate(self._qdate(min(target, self._today)))
        self.table.setFocus()

    def refresh(self) -> None:
        row = max(self.table.currentIndex().row(), 0)
        day = self.current_day()
        rows = [(eid, name, st) for eid, name, st in habits.all_statuses(self._ws, today=day)
                if st is not None and st.started_on <= day]
        self.model.set_rows(rows)
        if rows:
            self.table.selectRow(min(row, len(rows) - 1))
        self._update_summary()
        self.next_button.setEnabled(day < self._today)

    def _update_summary(self) -> None:
        done = sum(1 for _e, _n, st in self.model.rows if st.today_result is not None)
        self.summary.setText(self.tr("%d of %d entered") % (done, len(self.model.rows)))

    def mark(self, row: int, result: CheckInResult | None) -> None:
        """Record a result for the exec on the row, then move to the next row."""
        eid = self.model.rows[row][0]
        day = self.current_day()
        try:
            habits.check_in(self._ws, exec_id=eid, day=day, result=result, today=self._today)
        except StoreError as exc:
            show_error(self, self.tr("Could not check in"), exc)
            return
        self._reload_row(row, eid, day)
        self.sig_checked_in.emit(eid)
        if result is not None and row + 1 < self.model.rowCount():
            self.table.selectRow(row + 1)

    def edit_note(self, row: int, text: str | None = None) -> None:
        """Ask for (or take) a note for the row's check-in on the day."""
        eid, name, st = self.model.rows[row]
        if text is None:
            text, ok = QInputDialog.getText(self, self.tr("Check-in note"), self.tr("Note for %s:") % name,
                                            text=st.today_note)
            if not ok:
                return
        try:
            habits.set_check_in_note(self._ws, exec_id=eid, day=self.current_day(), note=text, today=self._today)
        except StoreError as exc:
            show_error(self, self.tr("Could not save the note"), exc)
            return
        self._reload_row(row, eid, self.current_day())
        self.sig_checked_in.emit(eid)

    def _reload_row(self, row: int, eid: int, day: dt.date) -> None:
        status = habits.habit_status(self._ws, exec_id=eid, today=day)
        if status is not None:
            self.model.replace_row(row, status)
        self._update_summary()


def open_checkins(window) -> None:  # type: ignore[no-untyped-def]
    """Menu hook: the check-in list for every exec (non-modal, so the main window stays usable)."""
    existing = getattr(window, "_checkin_window", None)
    try:
        if existing is not None and existing.isVisible():
            existing.raise_()
            existing.activateWindow()
            return
    except RuntimeError:  # closed and deleted already
        pass
    dialog = CheckInWindow(window.ws, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.finished.connect(lambda _r: window.refresh())
    window._checkin_window = dialog
    dialog.show()
