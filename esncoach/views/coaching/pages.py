"""The steps of a coaching session, one calm page each; they show a CoachingBrief and report edits."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from esncoach.models import ActionOwner, CheckInResult, HabitSchedule
from esncoach.services import habits, sessions
from esncoach.services.coaching_mode import CoachingBrief
from esncoach.views.coaching.redacted_text import RedactedText
from esncoach.views.coaching.screen_filter import ScreenRedaction
from esncoach.store.errors import ValidationError
from esncoach.store.workspace import Workspace
from esncoach.views.dates import date_text

OWNER_CHOICES = [(ActionOwner.EXEC, "You"), (ActionOwner.ASSISTANT, "Your assistant"),
                 (ActionOwner.MENTOR, "Your mentor"), (ActionOwner.CM, "Me (your coach)")]
UNANSWERED_SHOWN = 5
"""Coaching mode lists this many unanswered asks (the newest); the rest are counted."""
MARKS = {CheckInResult.DONE: "✓", CheckInResult.SKIPPED: "–", CheckInResult.MISSED: "✗"}


def _hours_text(hours: float) -> str:
    if hours < 1:
        return QApplication.translate("CommitmentsPage", "under an hour")
    if hours < 48:
        return QApplication.translate("CommitmentsPage", "%n hour(s)", "", round(hours))
    return QApplication.translate("CommitmentsPage", "%n day(s)", "", round(hours / 24))


def label(text: str = "", role: str = "", wrap: bool = True) -> QLabel:
    """A label styled by role (heading, muted, figure, hint…) through the coaching style sheet."""
    widget = QLabel(text)
    if role:
        widget.setProperty("role", role)
    widget.setWordWrap(wrap)
    return widget


class CoachPage(QWidget):
    """A page: a heading and content; ``show_brief`` fills it, edits go through the workspace."""

    title = ""
    sig_edited = Signal()
    """Text the session record keeps was changed (the window autosaves)."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.heading = label(self.tr(self.title), "heading")
        self.layout_.addWidget(self.heading)

    def show_brief(self, brief: CoachingBrief) -> None:
        """Fill the page from the brief (called on entry and after changes)."""


class AgendaPage(CoachPage):
    title = "Today's agenda"

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(ws, parent)
        self.session_title = label("", "muted")
        self.layout_.addWidget(self.session_title)
        self.agenda = QPlainTextEdit()
        self.agenda.setTabChangesFocus(True)
        self.agenda.setPlaceholderText(self.tr("What we will look at together today"))
        self.agenda.textChanged.connect(self.sig_edited.emit)
        self.layout_.addWidget(self.agenda, 1)
        self.agenda_text = RedactedText(self.agenda)

    def show_brief(self, brief: CoachingBrief) -> None:
        self.session_title.setText(f"{brief.session.kind_label} · {brief.stage.label}")
        self.agenda_text.redactor = brief.redactor
        if self.agenda_text.text() != brief.session.agenda:
            self.agenda_text.set_text(brief.session.agenda)

    def text(self) -> str:
        """The agenda as typed (other people's names included), for the session record."""
        return self.agenda_text.text()


class CommitmentsPage(CoachPage):
    title = "Since last time"

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(ws, parent)
        self.when = label("", "muted")
        self.layout_.addWidget(self.when)
        self.items_box = QVBoxLayout()
        self.layout_.addLayout(self.items_box)
        self.layout_.addSpacing(16)
        # Responsiveness (#17): the asks on the network the exec has not answered yet, newest first.
        self.waiting_heading = label(self.tr("Questions waiting for your answer"), "")
        self.waiting_heading.setStyleSheet("font-weight: 600;")
        self.waiting_summary = label("", "muted")
        self.waiting = QListWidget(objectName="unansweredList")
        self.waiting.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.waiting.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.waiting.setMaximumHeight(150)
        self.waiting.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # read-only: ←/→ keep turning the pages
        for w in (self.waiting_heading, self.waiting_summary, self.waiting):
            self.layout_.addWidget(w)
        self.layout_.addStretch(1)
        self.checks: list[QCheckBox] = []

    def show_brief(self, brief: CoachingBrief) -> None:
        for check in self.checks:
            check.setParent(None)
            check.deleteLater()
        self.checks = []
        self._show_waiting(brief)
        if brief.previous is None:
            self.when.setText(self.tr("This is our first session: nothing to look back on yet."))
            return
        self.when.setText(self.tr("What we agreed on %s — tick what was done.") % date_text(brief.previous.starts_at))
        if not brief.commitments:
            self.when.setText(self.when.text() + "\n" + self.tr("Nothing was agreed last time."))
        for item in brief.commitments:
            owner = dict(OWNER_CHOICES).get(item.owner, "")
            check = QCheckBox(f"{brief.shown(item.text)}  ({self.tr(owner)})")
            check.setChecked(item.done)
            check.toggled.connect(lambda done, item_id=item.id: self._on_toggled(item_id, done))
            self.items_box.addWidget(check)
            self.checks.append(check)

    def _show_waiting(self, brief: CoachingBrief) -> None:
        """A short list of unanswered replies and @-mentions (day and thread link), redacted like the page."""
        r = brief.responsiveness
        self.waiting.clear()
        shown = r is not None and r.asks > 0
        for w in (self.waiting_heading, self.waiting_summary):
            w.setVisible(shown)
        self.waiting.setVisible(shown and bool(r.unanswered))
        if not shown:
            return
        parts = []
        if r.answered_share is not None:
            parts.append(self.tr("You answered %s of %s.") % (f"{round(r.answered_share * 100)}%",
                                                              self.tr("%n question(s) and mention(s)", "", r.asks)))
        if r.median_hours is not None:
            parts.append(self.tr("Typical time to answer: %s.") % _hours_text(r.median_hours))
        if not r.unanswered:
            parts.append(self.tr("Nothing is waiting."))
        self.waiting_summary.setText(brief.shown(" ".join(parts)))
        for u in r.unanswered[:UNANSWERED_SHOWN]:
            self.waiting.addItem(brief.shown(f"{date_text(u.asked_on)} · {u.thread}"))
        if len(r.unanswered) > UNANSWERED_SHOWN:
            self.waiting.addItem(self.tr("…and %n more", "", len(r.unanswered) - UNANSWERED_SHOWN))

    def unanswered_lines(self) -> list[str]:
        """The lines the unanswered list shows."""
        return [self.waiting.item(i).text() for i in range(self.waiting.count())]

    def _on_toggled(self, item_id: int, done: bool) -> None:
        sessions.set_action_done(self.ws, item_id=item_id, done=done)
        self.sig_edited.emit()  # a tick is a change: leaving records the session as held


class HabitPage(CoachPage):
    title = "Your habit"

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(ws, parent)
        self.description = label("", "")
        self.schedule = label("", "muted")
        grid = QGridLayout()
        self.strength = label("", "figure", wrap=False)
        self.streak = label("", "figure", wrap=False)
        grid.addWidget(self.strength, 0, 0)
        grid.addWidget(self.streak, 0, 1)
        grid.addWidget(label(self.tr("habit strength"), "muted"), 1, 0)
        self.streak_caption = label("", "muted")
        grid.addWidget(self.streak_caption, 1, 1)
        self.recent = label("", "", wrap=False)
        self.recent_caption = label(self.tr("recent check-ins (✓ done, – skipped, ✗ missed)"), "hint")
        for w in (self.description, self.schedule):
            self.layout_.addWidget(w)
        self.layout_.addSpacing(20)
        self.layout_.addLayout(grid)
        self.layout_.addSpacing(20)
        self.layout_.addWidget(self.recent)
        self.layout_.addWidget(self.recent_caption)
        self.layout_.addStretch(1)

    def show_brief(self, brief: CoachingBrief) -> None:
        h = brief.habit
        visible = h is not None
        for w in (self.strength, self.streak, self.streak_caption, self.recent, self.recent_caption):
            w.setVisible(visible)
        if h is None:
            self.description.setText(self.tr("No habit agreed yet — let's choose one small thing at the end."))
            self.schedule.setText("")
            return
        self.description.setText(f"“{brief.shown(h.description)}”")
        self.schedule.setText(self.tr("%s, since %s") % (h.schedule_text, date_text(h.started_on)))
        self.strength.setText(f"{round(h.strength * 100)}%")
        self.streak.setText(str(h.streak))
        unit = h.streak_unit if h.streak == 1 else (h.streak_unit if h.streak_unit.endswith("s") else h.streak_unit + "s")
        self.streak_caption.setText(self.tr("%s in a row (best %d)") % (unit, h.best_streak))
        self.recent.setText("  ".join(MARKS[c.result] for c in h.last_check_ins[-14:]) or "—")


class NotesPage(CoachPage):
    title = "Notes"

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(ws, parent)
        self.layout_.addWidget(label(self.tr("Everything here is saved into today's session as you type."), "hint"))
        self.notes = QPlainTextEdit()
        self.notes.setTabChangesFocus(True)
        self.notes.textChanged.connect(self.sig_edited.emit)
        self.layout_.addWidget(self.notes, 1)
        self.notes_text = RedactedText(self.notes)

    def show_brief(self, brief: CoachingBrief) -> None:
        self.notes_text.redactor = brief.redactor
        if not self.notes.toPlainText():
            self.notes_text.set_text(brief.session.notes)

    def append_line(self, line: str) -> None:
        self.notes_text.append_line(line)

    def text(self) -> str:
        """The notes as typed, for the session record."""
        return self.notes_text.text()


class NextStepPage(CoachPage):
    title = "One thing to do before next time"

    sig_agreed = Signal(str)
    """A commitment was recorded (its text), for the status line."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(ws, parent)
        self._brief: CoachingBrief | None = None
        self.what = QLineEdit()
        self.what.setPlaceholderText(self.tr("e.g. Like 3 posts from the plant teams this week — Enter to agree"))
        self.owner = QComboBox()
        for owner, text in OWNER_CHOICES:
            self.owner.addItem(self.tr(text), owner)
        self.due = QDateEdit(QDate.currentDate().addDays(7))
        self.due.setCalendarPopup(True)
        self.due.setDisplayFormat("d MMM yyyy")  # the one date format (views/dates.py)
        self.as_habit = QCheckBox(self.tr("Make it the regular habit"))
        self.schedule = QComboBox()
        for text, value in ((self.tr("every day"), (HabitSchedule.DAILY, 1, 1)),
                            (self.tr("every weekday"), (HabitSchedule.WEEKDAYS, 5, 7)),
                            (self.tr("3 times a week"), (HabitSchedule.TIMES_PER_PERIOD, 3, 7)),
                            (self.tr("once a week"), (HabitSchedule.TIMES_PER_PERIOD, 1, 7))):
            self.schedule.addItem(text, value)
        self.agree = QPushButton(self.tr("Agree"))
        row = QHBoxLayout()
        row.addWidget(self.owner)
        row.addWidget(self.due)
        row.addWidget(self.as_habit)
        row.addWidget(self.schedule)
        row.addStretch(1)
        row.addWidget(self.agree)
        self.layout_.addWidget(self.what)
        self.layout_.addLayout(row)
        self.error = label("", "bad")
        self.error.hide()
        self.layout_.addWidget(self.error)
        self.layout_.addWidget(label(self.tr("Agreed today"), "muted"))
        self.agreed = QListWidget()
        self.agreed.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.layout_.addWidget(self.agreed, 1)
        self.layout_.addWidget(label(self.tr("Outcomes of today's session"), "muted"))
        self.outcomes = QPlainTextEdit()
        self.outcomes.setTabChangesFocus(True)
        self.outcomes.setMaximumHeight(self.fontMetrics().height() * 6)
        self.outcomes.textChanged.connect(self.sig_edited.emit)
        self.layout_.addWidget(self.outcomes)
        self.outcomes_text = RedactedText(self.outcomes)
        self.what.returnPressed.connect(self.agree_now)
        self.agree.clicked.connect(self.agree_now)
        self.as_habit.toggled.connect(self._on_habit_toggled)
        self._on_habit_toggled(False)

    def _on_habit_toggled(self, on: bool) -> None:
        self.schedule.setEnabled(on)
        self.due.setEnabled(not on)
        if on:
            self.owner.setCurrentIndex(0)
        self.owner.setEnabled(not on)

    def show_brief(self, brief: CoachingBrief) -> None:
        self._brief = brief
        self.agreed.clear()
        for item in brief.session.action_items:
            if not item.carried_from_id:
                text = brief.shown(item.text)
                self.agreed.addItem(f"{text} — {dict(OWNER_CHOICES).get(item.owner, '')}, by {date_text(item.due, year=False)}"
                                    if item.due else text)
        self.outcomes_text.redactor = brief.redactor
        if not self.outcomes.toPlainText():
            self.outcomes_text.set_text(brief.session.outcomes)

    def outcomes_as_typed(self) -> str:
        """The outcomes as typed, for the session record."""
        return self.outcomes_text.text()

    def agree_now(self) -> None:
        """Record the typed commitment as an action item on today's session, or as the new habit."""
        if self._brief is None:
            return
        text = self.what.text()
        try:
            if self.as_habit.isChecked():
                schedule, times, period = self.schedule.currentData()
                tomorrow = dt.date.today() + dt.timedelta(days=1)
                habits.set_commitment(self.ws, exec_id=self._brief.exec_id, description=text, schedule=schedule,
                                      times=times, period_days=period, started_on=tomorrow)
                summary = self.tr("New habit from tomorrow: %s, %s") % (self._brief.shown(text.strip()),
                                                                       self.schedule.currentText())
                self.agreed.addItem(summary)
            else:
                sessions.add_action_item(self.ws, exec_id=self._brief.exec_id, text=text,
                                         owner=self.owner.currentData(), due=self.due.date().toPython(),
                                         session_id=self._brief.session.id)
                summary = self._brief.shown(text.strip())
                self.agreed.addItem(f"{summary} — {self.owner.currentText()}, by {date_text(self.due.date().toPython(), year=False)}")
        except ValidationError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        self.error.hide()
        self.what.clear()
        self.as_habit.setChecked(False)
        self.sig_agreed.emit(summary)


def embedded(spec: str, ws: Workspace, parent: QWidget) -> Any:
    """Build another feature's widget ("module:Class") for one exec, e.g. the progress charts."""
    import importlib

    module_name, class_name = spec.split(":")
    return getattr(importlib.import_module(module_name), class_name)(ws, parent)


class EmbeddedPage(CoachPage):
    """A page hosting another feature's per-exec widget (it must show only the exec it is given)."""

    def __init__(self, ws: Workspace, title: str, spec: str, parent: QWidget | None = None) -> None:
        self.title = title
        super().__init__(ws, parent)
        self.inner = embedded(spec, ws, self)
        self.layout_.addWidget(self.inner, 1)
        export = getattr(self.inner, "export_button", None)
        if export is not None:
            export.hide()  # the exec is looking at the screen: exporting files is the CM's business, later
        self.screen = ScreenRedaction(self.inner)

    def show_brief(self, brief: CoachingBrief) -> None:
        if getattr(self.inner, "_coach_exec", None) != brief.exec_id:
            self.inner.set_exec(brief.exec_id)
            self.inner._coach_exec = brief.exec_id
        self.screen.set_redactor(brief.redactor)


class DraftPage(EmbeddedPage):
    """The exec's posts with the current draft (latest unpublished) selected, feedback beside it."""

    def show_brief(self, brief: CoachingBrief) -> None:
        fresh = getattr(self.inner, "_coach_exec", None) != brief.exec_id
        super().show_brief(brief)
        if fresh:
            from esncoach.services import posts

            current = posts.current_post(self.ws, exec_id=brief.exec_id)
            if current is not None:
                self.inner.refresh(select_id=current.id)
            self.screen.refresh()
