"""The exec page's "Habit & ladder" tab: the current commitment with its streak and strength, and the
exec's place on the adoption ladder with the readiness evidence and the history of moves."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, QLocale, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from esncoach.models import CheckInResult, HabitSchedule
from esncoach.services import habits, ladder
from esncoach.store.workspace import Workspace
from esncoach.views.latest_load import LatestLoad
from esncoach.views.form_dialog import FormDialog
from esncoach.views.habits.ladder_dialog import LadderDialog
from esncoach.views.messages import show_error
from esncoach.views.dates import date_text

RESULT_COLOURS = {CheckInResult.DONE: QColor("#2e8b57"), CheckInResult.SKIPPED: QColor("#b0b0b0"),
                  CheckInResult.MISSED: QColor("#c0392b")}
CHART_DAYS = 91
MIN_CHART_DAYS = 14
"""The x axis starts where the habit's data starts (a new habit fills the width), but shows two weeks at least."""


class StrengthChart(QWidget):
    """Habit strength over the last three months as a line, with each check-in as a coloured tick below."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.series: habits.StrengthSeries | None = None
        self.start = dt.date.today()
        self.end = dt.date.today()
        self.setMinimumHeight(140)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_series(self, series: habits.StrengthSeries | None, start: dt.date, end: dt.date) -> None:
        self.series, self.start, self.end = series, start, end
        self.update()

    def x_range(self) -> tuple[dt.date, dt.date]:
        """The days the x axis spans: from the first point or check-in (not months of nothing) to the end."""
        days = [d for d, _v in self.series.points] if self.series else []
        days += [m.day for m in self.series.marks] if self.series else []
        first = max(self.start, min(days)) if days else self.start
        first = min(first, self.end - dt.timedelta(days=MIN_CHART_DAYS))
        return max(first, self.start), self.end

    def axis_labels(self) -> list[tuple[dt.date, str]]:
        """Dates written under the x axis: its start, middle and end, in the user's locale."""
        lo, hi = self.x_range()
        days = [lo, lo + (hi - lo) / 2, hi]
        return [(d, QLocale().toString(QDate(d.year, d.month, d.day), "d MMM")) for d in days]

    def paintEvent(self, _event: object) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(44, 8, -8, -40)
        grid = QPen(self.palette().mid().color(), 1, Qt.PenStyle.DotLine)
        p.setPen(grid)
        for level in (0.0, 0.5, 1.0):
            y = rect.bottom() - level * rect.height()
            p.drawLine(QPointF(rect.left(), y), QPointF(rect.right(), y))
            p.drawText(QRectF(0, y - 8, 38, 16), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                       f"{level:.0%}")
        lo, hi = self.x_range()
        span = max(1, (hi - lo).days)

        def x_of(day: dt.date) -> float:
            return rect.left() + (day - lo).days / span * rect.width()

        p.setPen(self.palette().text().color())
        for n, (day, text) in enumerate(self.axis_labels()):
            align = (Qt.AlignmentFlag.AlignLeft, Qt.AlignmentFlag.AlignHCenter, Qt.AlignmentFlag.AlignRight)[n]
            x = x_of(day)
            box = QRectF(x - (0 if n == 0 else 80 if n == 2 else 40), rect.bottom() + 18, 80, 18)
            p.drawText(box, align | Qt.AlignmentFlag.AlignVCenter, text)

        if not self.series or not self.series.points:
            p.drawText(rect, Qt.AlignmentFlag.AlignCenter, self.tr("No check-ins yet"))
            return
        changes = {day for day, _desc in self.series.habit_changes}
        p.setPen(QPen(self.palette().mid().color(), 1, Qt.PenStyle.DashLine))
        for day in changes:
            if lo < day <= hi:  # a new commitment starts from zero: mark it, do not join the lines
                p.drawLine(QPointF(x_of(day), rect.top()), QPointF(x_of(day), rect.bottom()))
        path = QPainterPath()
        for n, (day, value) in enumerate(p_ for p_ in self.series.points if p_[0] >= lo):
            pt = QPointF(x_of(day), rect.bottom() - value * rect.height())
            path.moveTo(pt) if n == 0 or day in changes else path.lineTo(pt)
        p.setPen(QPen(QColor("#2f5d8a"), 2))
        p.drawPath(path)
        for mark in self.series.marks:
            if mark.day < lo:
                continue
            p.setPen(QPen(RESULT_COLOURS[mark.result], 2))
            x = x_of(mark.day)
            p.drawLine(QPointF(x, rect.bottom() + 6), QPointF(x, rect.bottom() + 16))
        p.end()


class CommitmentDialog(FormDialog):
    """Set a new commitment (the old one is kept as history) or correct the current one's wording/schedule."""

    def __init__(self, ws: Workspace, exec_id: int, parent: QWidget | None = None, *,
                 edit: habits.HabitStatus | None = None) -> None:
        super().__init__(self.tr("Edit the commitment") if edit else self.tr("New commitment"), parent)
        self._ws, self._exec_id, self._edit = ws, exec_id, edit
        self.description = QLineEdit()
        self.description.setMaxLength(habits.DESCRIPTION_MAX)
        self.description.setPlaceholderText(self.tr("e.g. five minutes each morning checking the activity stream"))
        self.schedule = QComboBox()
        self.schedule.addItem(self.tr("Every day"), HabitSchedule.DAILY)
        self.schedule.addItem(self.tr("Every weekday"), HabitSchedule.WEEKDAYS)
        self.schedule.addItem(self.tr("N times per period"), HabitSchedule.TIMES_PER_PERIOD)
        self.times = QSpinBox()
        self.times.setRange(1, 366)
        self.times.setValue(3)
        self.period = QSpinBox()
        self.period.setRange(1, habits.MAX_PERIOD_DAYS)
        self.period.setValue(7)
        self.period.setSuffix(self.tr(" days"))
        per = QHBoxLayout()
        per.addWidget(self.times)
        per.addWidget(QLabel(self.tr("times every")))
        per.addWidget(self.period)
        per.addStretch()
        self.started = QDateEdit(QDate.currentDate())
        self.started.setCalendarPopup(True)
        self.started.setDisplayFormat("d MMM yyyy")
        self.form.addRow(self.tr("&Commitment"), self.description)
        self.form.addRow(self.tr("&Schedule"), self.schedule)
        self.form.addRow("", per)
        if edit is None:
            self.form.addRow(self.tr("S&tarts on"), self.started)
        else:
            self.description.setText(edit.description)
            self.schedule.setCurrentIndex(self.schedule.findData(edit.schedule))
            self.times.setValue(edit.times)
            self.period.setValue(edit.period_days)
        self.field_widgets = {"commitment": self.description, "times": self.times, "period_days": self.period,
                              "started_on": self.started}
        self.schedule.currentIndexChanged.connect(self._on_schedule)
        self._on_schedule()

    def _on_schedule(self) -> None:
        per_period = self.schedule.currentData() == HabitSchedule.TIMES_PER_PERIOD
        self.times.setEnabled(per_period)
        self.period.setEnabled(per_period)

    def save(self) -> int:
        if self._edit is not None:
            from esncoach.services.team_conflicts import ConflictError
            from esncoach.store.errors import StoreError

            try:
                self._version = habits.update_commitment(
                    self._ws, habit_id=self._edit.habit_id, description=self.description.text(),
                    schedule=self.schedule.currentData(), times=self.times.value(), period_days=self.period.value(),
                    expected_version=getattr(self, "_version", self._edit.version or None))
            except ConflictError as exc:
                # A colleague corrected it first: both are shown; the user's stays in the form, theirs is stored.
                from esncoach.views.team.conflict import resolve_conflict

                resolve_conflict(self, exc)
                self._version = exc.version
                raise StoreError(self.tr("A colleague changed this commitment while you were editing: theirs is "
                                         "kept, yours is still in the form. Save again to replace theirs, or "
                                         "Cancel to keep it.")) from exc
            return self._edit.habit_id
        d = self.started.date()
        return habits.set_commitment(self._ws, exec_id=self._exec_id, description=self.description.text(),
                                     schedule=self.schedule.currentData(), times=self.times.value(),
                                     period_days=self.period.value(), started_on=dt.date(d.year(), d.month(), d.day()))


class HabitTab(QWidget):
    """Habit on the left, ladder on the right; both change only through dialogs that keep history."""

    sig_data_changed = Signal()
    """The stage or the habit changed; the header and exec list may show something new."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = ws
        self._exec_id: int | None = None
        self.status: habits.HabitStatus | None = None
        self.loader = LatestLoad(self, self.tr("Habit and ladder"))
        layout = QHBoxLayout(self)

        habit_box = QGroupBox(self.tr("Current commitment"))
        hl = QVBoxLayout(habit_box)
        self.description = QLabel()
        self.description.setWordWrap(True)
        font = self.description.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.description.setFont(font)
        self.schedule_label = QLabel()
        self.stats = QLabel()
        self.strength_bar = QProgressBar()
        self.strength_bar.setRange(0, 100)
        self.strength_bar.setFormat(self.tr("Strength %p%"))
        self.chart = StrengthChart()
        checkin_row = QHBoxLayout()
        checkin_row.addWidget(QLabel(self.tr("Today:")))
        self.done_button = QPushButton(self.tr("&Done"))
        self.skip_button = QPushButton(self.tr("S&kipped"))
        self.miss_button = QPushButton(self.tr("&Missed"))
        for b in (self.done_button, self.skip_button, self.miss_button):
            checkin_row.addWidget(b)
        checkin_row.addStretch()
        buttons = QHBoxLayout()
        self.new_habit = QPushButton(self.tr("New commitment…"))
        self.edit_habit = QPushButton(self.tr("Edit…"))
        buttons.addWidget(self.new_habit)
        buttons.addWidget(self.edit_habit)
        buttons.addStretch()
        self.history = QListWidget()
        self.history.setMaximumHeight(90)
        self.history.setWordWrap(True)
        for w in (self.description, self.schedule_label, self.stats, self.strength_bar):
            hl.addWidget(w)
        hl.addWidget(self.chart, 1)
        hl.addLayout(checkin_row)
        hl.addLayout(buttons)
        hl.addWidget(QLabel(self.tr("Earlier commitments")))
        hl.addWidget(self.history)
        layout.addWidget(habit_box, 3)

        ladder_box = QGroupBox(self.tr("Adoption ladder"))
        ll = QVBoxLayout(ladder_box)
        self.stage_label = QLabel()
        self.stage_label.setFont(font)
        self.readiness = QLabel()
        self.readiness.setWordWrap(True)
        self.readiness.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.readiness.setTextFormat(Qt.TextFormat.RichText)
        move = QHBoxLayout()
        self.up_button = QPushButton(self.tr("Move up…"))
        self.back_button = QPushButton(self.tr("Move back…"))
        move.addWidget(self.up_button)
        move.addWidget(self.back_button)
        move.addStretch()
        self.stage_history = QListWidget()
        self.stage_history.setWordWrap(True)
        self.stage_history.setSpacing(2)
        self.stage_history.setAlternatingRowColors(True)
        self.stage_history.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        ll.addWidget(self.stage_label)
        ll.addWidget(self.readiness)
        ll.addLayout(move)
        ll.addWidget(self.stage_history, 1)
        layout.addWidget(ladder_box, 2)

        self.done_button.clicked.connect(lambda: self._check_in(CheckInResult.DONE))
        self.skip_button.clicked.connect(lambda: self._check_in(CheckInResult.SKIPPED))
        self.miss_button.clicked.connect(lambda: self._check_in(CheckInResult.MISSED))
        self.new_habit.clicked.connect(self._on_new_habit)
        self.edit_habit.clicked.connect(self._on_edit_habit)
        self.up_button.clicked.connect(lambda: self.move_stage(back=False))
        self.back_button.clicked.connect(lambda: self.move_stage(back=True))

    def set_exec(self, exec_id: int | None) -> None:
        """Show another exec: the tab says it is loading now and fills when the exec is read (on a worker)."""
        self._exec_id = exec_id
        if exec_id is None:
            self.loader.drop()
            return
        ws, today = self._ws, dt.date.today()
        self.status = None
        for w in (self.done_button, self.skip_button, self.miss_button, self.edit_habit, self.up_button,
                  self.back_button):
            w.setEnabled(False)
        self.description.setText(self.tr("Loading…"))
        for label in (self.schedule_label, self.stats, self.stage_label, self.readiness):
            label.clear()
        self._set_strength(0)
        self.chart.set_series(None, today, today)
        self.history.clear()
        self.stage_history.clear()
        self.loader.load(lambda: self._read(ws, exec_id, today), lambda data: self._show(today, data))

    def _set_strength(self, percent: int) -> None:
        """Set the bar without QProgressBar's immediate repaint (a synchronous paint of the page, 10-15 ms on
        an exec switch): it is painted with everything else on the next turn of the event loop."""
        self.strength_bar.setUpdatesEnabled(False)
        self.strength_bar.setValue(percent)
        self.strength_bar.setUpdatesEnabled(True)

    @staticmethod
    def _read(ws: Workspace, exec_id: int, today: dt.date) -> dict[str, Any]:
        """Everything the tab shows about one exec (services only: this runs on a worker)."""
        st = habits.habit_status(ws, exec_id=exec_id, today=today)
        start = today - dt.timedelta(days=CHART_DAYS)
        return {
            "status": st,
            "series": (habits.strength_series(ws, exec_id=exec_id, start=start, end=today)
                       if st is not None else None),
            "history": habits.habit_history(ws, exec_id=exec_id),
            "readiness": ladder.readiness(ws, exec_id=exec_id, today=today),
            "stages": ladder.stage_history(ws, exec_id=exec_id),
        }

    def refresh(self) -> None:
        """Re-read the exec now (after a check-in or an edit)."""
        self.loader.drop()
        if self._exec_id is None:
            return
        today = dt.date.today()
        self._show(today, self._read(self._ws, self._exec_id, today))

    def _show(self, today: dt.date, data: dict[str, Any]) -> None:
        self.status = st = data["status"]
        has = st is not None
        for w in (self.done_button, self.skip_button, self.miss_button, self.edit_habit):
            w.setEnabled(has)
        if st is None:
            self.description.setText(self.tr("No commitment yet — agree one small regular thing to do."))
            self.schedule_label.clear()
            self.stats.clear()
            self._set_strength(0)
            self.chart.set_series(None, today, today)
        else:
            self.description.setText(st.description)
            self.schedule_label.setText(self.tr("%s · since %s · %d of %d %s")
                                        % (st.schedule_text, date_text(st.started_on), st.period_done,
                                           st.period_target, st.period_label))
            today_text = {None: self.tr("not checked in"), CheckInResult.DONE: self.tr("done"),
                          CheckInResult.SKIPPED: self.tr("skipped"), CheckInResult.MISSED: self.tr("missed")}
            self.stats.setText(self.tr("Streak: %d %s (best %d) · today: %s")
                               % (st.streak, st.streak_unit, st.best_streak, today_text[st.today_result]))
            self._set_strength(round(st.strength * 100))
            self.chart.set_series(data["series"], today - dt.timedelta(days=CHART_DAYS), today)
        self.history.clear()
        for h in data["history"]:
            if h.ended_on is not None:
                self.history.addItem(f"{date_text(h.started_on)} – {date_text(h.ended_on)}: {h.description} "
                                     f"({h.schedule_text.lower()}, {h.done_count} done)")
        self._fill_ladder(data["readiness"], data["stages"])

    def show_item(self, kind: str, item_id: int) -> bool:
        """Find-anything hook: habits and check-ins are shown on this tab."""
        return kind in ("habit", "check_in")

    def _fill_ladder(self, r: Any, stages: list[Any]) -> None:
        self.stage_label.setText(self.tr("At “%s”") % r.stage.label)
        if r.next_stage is None:
            self.readiness.setText(self.tr("At the top of the ladder."))
        else:
            ok = "".join(f"<li>✓ {x}</li>" for x in r.reasons)
            missing = "".join(f"<li>✗ {x}</li>" for x in r.missing)
            head = (self.tr("<b style='color:#2e8b57'>Looks ready for “%s”.</b>") if r.ready
                    else self.tr("<b>Not yet ready for “%s”.</b>")) % r.next_stage.label
            self.readiness.setText(f"{head}<ul style='margin-left:-20px'>{ok}{missing}</ul>")
        self.up_button.setEnabled(r.next_stage is not None)
        self.back_button.setEnabled(r.stage.rank > 0)
        self.stage_history.clear()
        for h in reversed(stages):
            move = (f"{h.from_stage.label} → {h.stage.label}" if h.from_stage else f"Start: {h.stage.label}")
            item = QListWidgetItem(f"{date_text(h.changed_on)} · {move}\n{h.reason}")
            item.setToolTip(h.reason)
            self.stage_history.addItem(item)

    def _check_in(self, result: CheckInResult) -> None:
        if self._exec_id is None:
            return
        try:
            habits.check_in(self._ws, exec_id=self._exec_id, day=dt.date.today(), result=result)
        except Exception as exc:  # noqa: BLE001
            show_error(self, self.tr("Could not check in"), exc)
        self.refresh()
        self.sig_data_changed.emit()

    def _on_new_habit(self) -> None:
        if self._exec_id is not None and CommitmentDialog(self._ws, self._exec_id, self).exec():
            self.refresh()
            self.sig_data_changed.emit()

    def _on_edit_habit(self) -> None:
        if self._exec_id is not None and self.status is not None and CommitmentDialog(
            self._ws, self._exec_id, self, edit=self.status
        ).exec():
            self.refresh()

    def move_stage(self, *, back: bool = False) -> LadderDialog | None:
        if self._exec_id is None:
            return None
        dialog = LadderDialog(self._ws, self._exec_id, self, back=back)
        dialog.finished.connect(lambda result: self._after_move(result))
        dialog.open()
        return dialog

    def _after_move(self, result: int) -> None:
        if result:
            self.refresh()
            self.sig_data_changed.emit()
