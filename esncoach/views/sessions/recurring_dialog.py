"""Executive ▸ Plan recurring sessions…: "every 2 weeks on Tuesday at 09:30, until a date or N times".

The form plans one planned session per occurrence (``services.recurrence``) and can save the series as
one .ics file with an RRULE for Outlook. The preview line lists the dates before anything is stored.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QLocale, QTime
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from esncoach.services import calendar_export, execs, recurrence, sessions
from esncoach.store.errors import StoreError, ValidationError
from esncoach.store.workspace import Workspace
from esncoach.views.messages import show_error


class RecurringSessionDialog(QDialog):
    """The recurring-series form; Save plans every occurrence (and optionally writes the .ics series)."""

    def __init__(self, ws: Workspace, exec_id: int, parent: QWidget | None = None, *,
                 today: dt.date | None = None, prefill: dict[str, Any] | None = None) -> None:
        super().__init__(parent)
        self._ws = ws
        self._exec_id = exec_id
        self._today = today or dt.date.today()
        self.series: recurrence.SeriesRow | None = None
        draft = sessions.new_session_draft(ws, exec_id=exec_id)
        prefill = prefill or {}
        self._mentor_id = prefill.get("mentor_id", draft.mentor_id)
        if prefill:
            draft = dataclasses.replace(draft, **{k: v for k, v in prefill.items() if k != "mentor_id"})
        exec_row = execs.get_exec(ws, exec_id)
        self.setWindowTitle(self.tr("Recurring sessions — %s") % exec_row.name)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.title = QLineEdit(draft.title)
        self.title.setMaxLength(sessions.TITLE_MAX)
        self.kind = QComboBox()
        for kind, label in sessions.KIND_LABELS.items():
            self.kind.addItem(self.tr(label), kind)
        self.kind.setCurrentIndex(max(0, self.kind.findData(draft.kind)))
        self.first = QDateEdit(QDate(draft.starts_at.date()))
        self.first.setCalendarPopup(True)
        self.first.setDisplayFormat("ddd d MMM yyyy")
        self.start = QTimeEdit(QTime(draft.starts_at.hour, draft.starts_at.minute))
        self.start.setDisplayFormat("HH:mm")
        self.end = QTimeEdit(QTime(draft.starts_at.hour, draft.starts_at.minute).addSecs(60 * draft.duration_min))
        self.end.setDisplayFormat("HH:mm")
        times = QHBoxLayout()
        times.addWidget(self.start)
        times.addWidget(QLabel(self.tr("to")))
        times.addWidget(self.end)
        times.addStretch()
        self.every = QSpinBox()
        self.every.setRange(1, recurrence.MAX_INTERVAL_WEEKS)
        self.every.setValue(2)
        self.weekday = QLabel()
        every = QHBoxLayout()
        every.addWidget(self.every)
        every.addWidget(self.weekday, 1)
        self.by_date = QRadioButton(self.tr("&until"))
        self.by_count = QRadioButton(self.tr("&for"))
        group = QButtonGroup(self)
        group.addButton(self.by_date)
        group.addButton(self.by_count)
        self.until = QDateEdit(QDate(draft.starts_at.date() + dt.timedelta(weeks=12)))
        self.until.setCalendarPopup(True)
        self.until.setDisplayFormat("ddd d MMM yyyy")
        self.count = QSpinBox()
        self.count.setRange(2, recurrence.MAX_OCCURRENCES)
        self.count.setValue(6)
        self.count.setSuffix(self.tr(" sessions"))
        self.by_count.setChecked(True)
        ends = QHBoxLayout()
        for w in (self.by_date, self.until, self.by_count, self.count):
            ends.addWidget(w)
        ends.addStretch()
        self.agenda = QPlainTextEdit(draft.agenda)
        self.agenda.setTabChangesFocus(True)
        self.agenda.setMaximumHeight(120)
        self.export = QCheckBox(self.tr("Also save the series as a calendar file (.ics) for Outlook"))
        form.addRow(self.tr("&Title"), self.title)
        form.addRow(self.tr("&Kind"), self.kind)
        form.addRow(self.tr("First &date"), self.first)
        form.addRow(self.tr("Time"), times)
        every_label = QLabel(self.tr("&Every"))
        every_label.setBuddy(self.every)
        form.addRow(every_label, every)
        form.addRow(self.tr("Ends"), ends)
        form.addRow(self.tr("&Agenda"), self.agenda)
        form.addRow("", self.export)
        layout.addLayout(form)
        self.preview = QLabel()
        self.preview.setWordWrap(True)
        layout.addWidget(self.preview)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("&Plan sessions"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        for signal in (self.first.dateChanged, self.until.dateChanged, self.every.valueChanged,
                       self.count.valueChanged, self.by_date.toggled):
            signal.connect(self._update_preview)
        self._initial = self._snapshot()
        self._update_preview()
        self.setMinimumWidth(560)
        self.title.setFocus()
        self.title.selectAll()

    # ----- reading the form ------------------------------------------------------------------------
    def rule(self) -> recurrence.RecurrenceRule:
        """The rule the form describes."""
        if self.by_date.isChecked():
            return recurrence.RecurrenceRule(self.every.value(), until=self.until.date().toPython())
        return recurrence.RecurrenceRule(self.every.value(), count=self.count.value())

    def _times(self) -> tuple[dt.datetime, dt.datetime]:
        day = self.first.date().toPython()
        return (dt.datetime.combine(day, self.start.time().toPython()),
                dt.datetime.combine(day, self.end.time().toPython()))

    def _snapshot(self) -> tuple[str, str]:
        return self.title.text(), self.agenda.toPlainText()

    def _update_preview(self) -> None:
        first = self.first.date().toPython()
        self.weekday.setText(self.tr("week(s) on %s") % QLocale().dayName(first.isoweekday()))
        try:
            rule = self.rule()
            rule.validate(first)
        except ValidationError as exc:
            self.preview.setText(str(exc))
            return
        days = rule.dates(first)
        shown = ", ".join(QLocale().toString(QDate(d), "ddd d MMM") for d in days[:8])
        more = "…" if len(days) > 8 else ""
        self.preview.setText(self.tr("%n session(s): ", "", len(days)) + shown + more)

    # ----- closing ---------------------------------------------------------------------------------
    def accept(self) -> None:
        starts, ends = self._times()
        try:
            self.series = recurrence.plan_series(
                self._ws, exec_id=self._exec_id, starts_at=starts, ends_at=ends, title=self.title.text(),
                rule=self.rule(), kind=self.kind.currentData(), agenda=self.agenda.toPlainText(), today=self._today,
                mentor_id=self._mentor_id)
        except StoreError as exc:
            show_error(self, self.tr("Cannot plan the series"), exc)
            return
        if self.export.isChecked():
            self.export_series()
        super().accept()

    def export_series(self, path: str | None = None) -> Path | None:
        """Ask where, then write the planned series as one .ics event with its RRULE."""
        if self.series is None:
            return None
        if path is None:
            suggested = str(Path.home() / f"sessions-{self.series.first:%Y-%m-%d}-series.ics")
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Save the series"), suggested,
                                                  self.tr("Calendar invitations (*.ics)"))
            if not path:
                return None
        try:
            return calendar_export.export_series(self._ws, series_id=self.series.id, path=path)
        except (StoreError, OSError) as exc:
            show_error(self, self.tr("Cannot save the series"), exc)
            return None

    def reject(self) -> None:
        if self._snapshot() != self._initial:
            answer = QMessageBox.question(self, self.tr("Discard this series?"),
                                          self.tr("Close without planning these sessions? What you typed is lost."),
                                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                          QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                return
        super().reject()


def add_repeat_button(session_dialog: Any) -> QPushButton | None:
    """Put "Repeat…" on a *new* session's dialog: it turns the session being typed into a recurring series."""
    if session_dialog.session_id is not None:
        return None
    button = session_dialog.buttons.addButton(session_dialog.tr("&Repeat…"), QDialogButtonBox.ButtonRole.ActionRole)
    button.setToolTip(session_dialog.tr("Plan this session every week or every few weeks instead of once"))
    button.setAutoDefault(False)
    button.clicked.connect(lambda: repeat_from_session_dialog(session_dialog))
    session_dialog.repeat_button = button
    return button


def repeat_from_session_dialog(session_dialog: Any) -> RecurringSessionDialog | None:
    """Open the series form with what the session form holds; planning it closes the session form."""
    if session_dialog.session_id is not None:  # autosaved meanwhile: it is a real session now
        show_error(session_dialog, session_dialog.tr("Repeat"),
                   session_dialog.tr("This session is already saved; plan the series from Executive ▸ "
                                     "Plan recurring sessions… instead."))
        return None
    day = session_dialog.date.date().toPython()
    start = dt.datetime.combine(day, session_dialog.start.time().toPython())
    end = dt.datetime.combine(day, session_dialog.end.time().toPython())
    prefill = {"title": session_dialog.title.text(), "kind": session_dialog.kind.currentData(),
               "starts_at": start, "duration_min": max(15, int((end - start).total_seconds() // 60)),
               "agenda": session_dialog.agenda.toPlainText(), "mentor_id": session_dialog.mentor.currentData()}
    dialog = RecurringSessionDialog(session_dialog._ws, session_dialog._exec_id, session_dialog, prefill=prefill)

    def _finished(result: int) -> None:
        if result and dialog.series is not None:
            session_dialog.autosave_timer.stop()
            QDialog.done(session_dialog, QDialog.DialogCode.Accepted)  # the series replaces the single session
        dialog.deleteLater()

    dialog.finished.connect(_finished)
    dialog.open()
    return dialog


def plan_recurring_for_current(window: Any) -> RecurringSessionDialog | None:
    """Menu hook: plan a recurring series for the selected exec."""
    exec_id = window.current_exec_id()
    if exec_id is None:
        show_error(window, window.tr("Recurring sessions"), window.tr("Select an executive first."))
        return None
    dialog = RecurringSessionDialog(window.ws, exec_id, window)
    dialog.setObjectName("recurringSessionDialog")

    def _finished(result: int) -> None:
        if result and dialog.series is not None:
            window.refresh()
            window.statusBar().showMessage(
                window.tr("Planned %n session(s)", "", len(dialog.series.session_ids)) + ": " + dialog.series.text,
                8000)
        dialog.deleteLater()

    dialog.finished.connect(_finished)
    dialog.open()
    return dialog


def export_series_for_current(window: Any) -> Path | None:
    """Menu hook: save the series of the selected exec's next planned session as one .ics file."""
    exec_id = window.current_exec_id()
    if exec_id is None:
        show_error(window, window.tr("Export series"), window.tr("Select an executive first."))
        return None
    nxt = sessions.next_planned(window.ws, exec_id=exec_id)
    series = recurrence.series_of(window.ws, session_id=nxt.id) if nxt else None
    if series is None:
        show_error(window, window.tr("Export series"),
                   window.tr("The next planned session is not part of a recurring series; plan one first."))
        return None
    suggested = str(Path.home() / f"sessions-{series.first:%Y-%m-%d}-series.ics")
    path, _ = QFileDialog.getSaveFileName(window, window.tr("Save the series"), suggested,
                                          window.tr("Calendar invitations (*.ics)"))
    if not path:
        return None
    try:
        written = calendar_export.export_series(window.ws, series_id=series.id, path=path)
    except (StoreError, OSError) as exc:
        show_error(window, window.tr("Cannot save the series"), exc)
        return None
    window.statusBar().showMessage(window.tr("Saved %s") % written, 6000)
    return written
