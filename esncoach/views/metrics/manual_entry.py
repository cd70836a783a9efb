"""A quick grid to type an exec's or the network's figures week by week or month by month.

For networks with no export: rows are periods, columns are figures; an empty cell means "no figure"
(and emptying a cell removes what was typed there before).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from esncoach.imports.csvstream import BadCell, parse_count
from esncoach.services import execs as execs_service
from esncoach.services import metrics as metrics_service
from esncoach.services.metrics import MANUAL_METRICS, ManualPeriod
from esncoach.store.errors import StoreError, ValidationError
from esncoach.store.workspace import Workspace
from esncoach.views.dates import date_text
from esncoach.views.form_dialog import ask_discard
from esncoach.views.messages import show_error
from esncoach.views.window_size import fit_to_screen

WEEK, MONTH = "week", "month"
DEFAULT_PERIODS = {WEEK: 8, MONTH: 6}
NETWORK = -1


def periods_ending(kind: str, last_day: dt.date, count: int) -> list[tuple[dt.date, dt.date]]:
    """``count`` Monday–Sunday weeks or calendar months, oldest first, the last one containing ``last_day``."""
    out: list[tuple[dt.date, dt.date]] = []
    if kind == WEEK:
        start = last_day - dt.timedelta(days=last_day.weekday())
        for i in range(count - 1, -1, -1):
            s = start - dt.timedelta(days=7 * i)
            out.append((s, s + dt.timedelta(days=6)))
        return out
    year, month = last_day.year, last_day.month
    for _ in range(count):
        out.append((dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return out[::-1]


def _period_label(kind: str, start: dt.date) -> str:
    return f"Week of {date_text(start)}" if kind == WEEK else f"{start:%B %Y}"


class ManualEntryDialog(QDialog):
    """Type figures for an exec or the network, one row per week or month."""

    sig_saved = Signal()
    """Figures were stored; views showing them should refresh."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None, exec_id: int | None = None) -> None:
        super().__init__(parent)
        self._ws = ws
        self.setWindowTitle(self.tr("Type engagement figures"))
        self.who = QComboBox()
        self.who.addItem(self.tr("The whole network"), NETWORK)
        for row in execs_service.list_execs(ws, include_archived=False):
            self.who.addItem(row.name, row.id)
        if exec_id is not None:
            self.who.setCurrentIndex(max(0, self.who.findData(exec_id)))
        self.kind = QComboBox()
        self.kind.addItem(self.tr("Weeks"), WEEK)
        self.kind.addItem(self.tr("Months"), MONTH)
        self.until = QDateEdit(QDate.currentDate())
        self.until.setCalendarPopup(True)
        self.until.setDisplayFormat("yyyy-MM-dd")
        self.count = QSpinBox()
        self.count.setRange(1, 52)
        self.count.setValue(DEFAULT_PERIODS[WEEK])
        top = QFormLayout()
        top.addRow(self.tr("Figures for:"), self.who)
        row = QHBoxLayout()
        row.addWidget(self.count)
        row.addWidget(self.kind)
        row.addWidget(QLabel(self.tr("up to")))
        row.addWidget(self.until)
        row.addStretch(1)
        top.addRow(self.tr("Periods:"), row)
        self.model = QStandardItemModel(self)
        self._typed = False
        self.model.itemChanged.connect(self._on_item_changed)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        hint = QLabel(self.tr("Leave a cell empty when there is no figure. Figures replace what was imported or "
                              "typed for the same period."))
        hint.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._on_save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(hint)
        layout.addWidget(buttons)
        self.periods: list[tuple[dt.date, dt.date]] = []
        self.who.currentIndexChanged.connect(self._reload)
        self.kind.currentIndexChanged.connect(self._on_kind_changed)
        self.until.dateChanged.connect(self._reload)
        self.count.valueChanged.connect(self._reload)
        fit_to_screen(self, 820, 420)
        self._reload()

    def exec_id(self) -> int | None:
        data = self.who.currentData()
        return None if data == NETWORK else int(data)

    def _on_kind_changed(self) -> None:
        self.count.blockSignals(True)
        self.count.setValue(DEFAULT_PERIODS[self.kind.currentData()])
        self.count.blockSignals(False)
        self._reload()

    def _reload(self) -> None:
        kind = self.kind.currentData()
        self.periods = periods_ending(kind, self.until.date().toPython(), self.count.value())
        stored = metrics_service.manual_figures(self._ws, exec_id=self.exec_id(), start=self.periods[0][0],
                                                end=self.periods[-1][1])
        self.model.clear()
        self._typed = False
        self.model.setHorizontalHeaderLabels([m.replace("_", " ").capitalize() for m in MANUAL_METRICS])
        for start, end in self.periods:
            values = stored.get((start, end), {})
            items = []
            for metric in MANUAL_METRICS:
                value = values.get(metric)
                item = QStandardItem("" if value is None else f"{value:g}")
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                items.append(item)
            self.model.appendRow(items)
            self.model.setVerticalHeaderItem(self.model.rowCount() - 1, QStandardItem(_period_label(kind, start)))

    def set_cell(self, row: int, metric: str, text: str) -> None:
        """Type into one cell (used by tests and by paste)."""
        self.model.item(row, MANUAL_METRICS.index(metric)).setText(text)

    def entered(self) -> list[ManualPeriod]:
        """The grid as periods; raises ValidationError naming the cell that is not a number."""
        out = []
        for row, (start, end) in enumerate(self.periods):
            values: dict[str, Any] = {}
            for col, metric in enumerate(MANUAL_METRICS):
                text = self.model.item(row, col).text()
                try:
                    values[metric] = parse_count(text)
                except BadCell as exc:
                    raise ValidationError(metric, f"{_period_label(self.kind.currentData(), start)}, "
                                                  f"{metric.replace('_', ' ')}: {exc}.") from None
            out.append(ManualPeriod(start, end, values))
        return out

    def _on_save(self) -> None:
        try:
            metrics_service.save_manual_figures(self._ws, exec_id=self.exec_id(), periods=self.entered())
        except StoreError as exc:
            show_error(self, self.tr("The figures were not saved"), exc)
            return
        self._typed = False
        self.sig_saved.emit()
        self.accept()

    def _on_item_changed(self, *_args: object) -> None:
        self._typed = True

    def reject(self) -> None:
        """Esc/Cancel/close: ask before dropping typed figures."""
        if getattr(self, "_typed", False):
            answer = ask_discard(self)
            if answer == QMessageBox.StandardButton.Save:
                self._on_save()
                return
            if answer != QMessageBox.StandardButton.Discard:
                return
        super().reject()


def open_manual_entry(parent: QWidget | None, ws: Workspace, exec_id: int | None = None,
                      on_saved: Callable[[], None] | None = None) -> None:
    """Open the grid for an exec (or the network when ``exec_id`` is None), window-modal over ``parent``."""
    dialog = ManualEntryDialog(ws, parent, exec_id)
    if on_saved is not None:
        dialog.sig_saved.connect(on_saved)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.show()
