"""The full-screen coaching window: one exec, step pages, quick notes, a timer and a privacy blank.

Keys (also listed on screen): ←/→, Space, PgUp/PgDn move between pages whenever no text field has the
focus, wherever else it is (a chart, a scroll bar, a list); Ctrl+←/→ always; N or Ctrl+N opens the quick
note; B or Ctrl+B blanks the screen until pressed again; Ctrl+Shift+P shows the CM's private notes;
Ctrl+Shift+D switches light/dark; Ctrl+Shift+M moves to the next screen; Esc closes the quick note, and
otherwise always leaves coaching mode (the session is saved as held; if nothing was noted, ticked or
changed, the CM is asked first, default No).
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QElapsedTimer, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeyEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QStackedWidget,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from esncoach.services import coaching_mode
from esncoach.services.coaching_mode import CoachingBrief
from esncoach.services.team_conflicts import ConflictError
from esncoach.store.errors import StoreError
from esncoach.store.workspace import Workspace
from esncoach.views.app_settings import AppSettings
from esncoach.views import plurals
from esncoach.views.coaching import style
from esncoach.views.coaching.pages import (
    AgendaPage,
    CoachPage,
    CommitmentsPage,
    DraftPage,
    EmbeddedPage,
    HabitPage,
    NextStepPage,
    NotesPage,
    label,
)
from esncoach.views.dates import short_weekday_date_time_text
from esncoach.views.icons import icon

AUTOSAVE_MS = 2000
EMBEDDED_PAGES: list[tuple[str, str, int, type[EmbeddedPage]]] = [
    ("Practice post and feedback", "esncoach.views.posts.tab:PostsTab", 3, DraftPage),
    ("Your progress", "esncoach.views.charts.progress_page:ProgressTab", 4, EmbeddedPage),
]
"""(title, "module:Class", position, page class): other features' per-exec widgets shown as pages."""


def _is_typing(widget: QWidget | None) -> bool:
    """A text field has the focus (read-only text, lists, charts and scroll bars do not count)."""
    if isinstance(widget, QComboBox):
        return widget.isEditable()
    if isinstance(widget, (QPlainTextEdit, QTextEdit, QLineEdit)):
        return not widget.isReadOnly()
    return isinstance(widget, QAbstractSpinBox)


def choose_session(parent: QWidget | None, ws: Workspace, exec_id: int) -> int | None:
    """Today's planned session, or the nearest planned one if the CM agrees; None starts a new one."""
    planned, today = coaching_mode.planned_session(ws, exec_id=exec_id)
    if planned is None:
        return None
    if today:
        return planned.id
    answer = QMessageBox.question(
        parent, QApplication.translate("CoachingWindow", "Which session?"),
        QApplication.translate("CoachingWindow", "No session is planned for today. Hold the one planned for %s "
                                                 "(“%s”)?\n\nNo starts a new session from the agenda template.")
        % (short_weekday_date_time_text(planned.starts_at),
           coaching_mode.screen_redactor(ws, exec_id=exec_id)(planned.title)),  # the projector may show it
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes)
    return planned.id if answer == QMessageBox.StandardButton.Yes else None


class CoachingWindow(QWidget):
    """Holds one session with one exec; emits ``sig_closed`` after the session is saved as held."""

    sig_closed = Signal(int, int)
    """exec id, session id — emitted once, after leaving and saving."""

    def __init__(self, ws: Workspace, settings: AppSettings, *, exec_id: int, session_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        plurals.install()
        self.setObjectName("coachingWindow")
        self.setWindowIcon(icon("coach"))
        self.ws = ws
        self.settings = settings
        self.exec_id = exec_id
        self.started_at = dt.datetime.now()
        planned, today = coaching_mode.planned_session(ws, exec_id=exec_id, now=self.started_at)
        self._created = session_id is None and not (planned is not None and today)
        self.session_id = coaching_mode.begin_session(ws, exec_id=exec_id, session_id=session_id, now=self.started_at)
        self._finished = False
        self._touched = False
        self._record_anyway = False
        self.recorded = False
        """Whether leaving recorded a held session (False when the CM chose not to)."""
        self._dark = settings.coach_dark
        self._clock = QElapsedTimer()
        self._clock.start()
        self._build()
        self.brief = self._load_brief()
        self._version: int | None = self.brief.session.version
        """The session version this window's text stands on (a colleague's later save is not overwritten)."""
        # No name in the title: task bars and window switchers may show it on the shared screen.
        self.setWindowTitle(self.tr("esncoach — coaching mode"))
        self._show_brief()
        self._apply_style()
        self._tick = QTimer(self)
        self._tick.timeout.connect(self._update_timer)
        self._tick.start(1000)
        self._autosave = QTimer(self)
        self._autosave.setSingleShot(True)
        self._autosave.setInterval(AUTOSAVE_MS)
        self._autosave.timeout.connect(self.save)
        for page in self.pages:
            page.sig_edited.connect(self._autosave.start)
            page.sig_edited.connect(self._on_touched)
            inner_changed = getattr(getattr(page, "inner", None), "sig_data_changed", None)
            if inner_changed is not None:
                inner_changed.connect(self._on_touched)
        self.next_page.sig_agreed.connect(self._on_touched)
        self._shortcuts()
        self.go_to(0)

    # ----- construction ----------------------------------------------------------------------------
    def _build(self) -> None:
        self.content = QWidget(self)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.content)
        layout = QVBoxLayout(self.content)
        layout.setContentsMargins(48, 28, 48, 18)
        header = QHBoxLayout()
        self.name = label("", "name", wrap=False)
        self.stage = label("", "muted", wrap=False)
        self.timer = label("0:00", "timer", wrap=False)
        self.step = label("", "muted", wrap=False)
        header.addWidget(self.name)
        header.addSpacing(24)
        header.addWidget(self.stage)
        header.addStretch(1)
        header.addWidget(self.step)
        header.addSpacing(24)
        header.addWidget(self.timer)
        layout.addLayout(header)
        layout.addSpacing(12)

        self.private = QFrame()
        self.private.setObjectName("privateNotes")
        private_layout = QVBoxLayout(self.private)
        private_layout.addWidget(label(self.tr("Private notes (only for you — Ctrl+Shift+P hides them)"), "hint"))
        self.private_text = label("", "")
        private_layout.addWidget(self.private_text)
        self.private.hide()
        layout.addWidget(self.private)

        self.stack = QStackedWidget()
        self.agenda_page = AgendaPage(self.ws)
        self.commitments_page = CommitmentsPage(self.ws)
        self.habit_page = HabitPage(self.ws)
        self.notes_page = NotesPage(self.ws)
        self.next_page = NextStepPage(self.ws)
        self.next_page.sig_agreed.connect(lambda text: self._status(self.tr("Agreed: %s") % text))
        self.pages: list[CoachPage] = [self.agenda_page, self.commitments_page, self.habit_page,
                                       self.notes_page, self.next_page]
        for title, spec, position, page_class in EMBEDDED_PAGES:
            self.pages.insert(position, page_class(self.ws, title, spec))
        for page in self.pages:
            self.stack.addWidget(page)
        layout.addWidget(self.stack, 1)

        self.quick = QLineEdit()
        self.quick.setPlaceholderText(self.tr("Quick note — Enter saves it to today's notes, Esc closes"))
        self.quick.returnPressed.connect(self._save_quick_note)
        self.quick.hide()
        layout.addWidget(self.quick)
        footer = QHBoxLayout()
        self.hints = label(self.tr("←/→ pages · N quick note · B blank screen · Esc leave"), "hint", wrap=False)
        self.status = label("", "status", wrap=False)
        footer.addWidget(self.hints)
        footer.addStretch(1)
        footer.addWidget(self.status)
        layout.addLayout(footer)

        self.blank = QWidget(self)
        self.blank.setObjectName("blank")
        self.blank.hide()

    def _shortcuts(self) -> None:
        def bind(keys: str, slot) -> None:  # type: ignore[no-untyped-def]
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(slot)

        bind("Ctrl+Right", self.next_step)
        bind("Ctrl+PgDown", self.next_step)
        bind("Ctrl+Left", self.previous_step)
        bind("Ctrl+PgUp", self.previous_step)
        bind("Ctrl+N", self.open_quick_note)
        bind("Ctrl+B", self.toggle_blank)
        bind("Ctrl+Shift+P", self.toggle_private)
        bind("Ctrl+Shift+D", self.toggle_dark)
        bind("Ctrl+Shift+M", self.move_to_next_screen)

    # ----- data ---------------------------------------------------------------------------------------
    def _load_brief(self) -> CoachingBrief:
        return coaching_mode.brief(self.ws, exec_id=self.exec_id, session_id=self.session_id)

    def _show_brief(self) -> None:
        b = self.brief
        self.name.setText(b.exec_name)
        stage = b.stage.label + (self.tr("  ·  next: %s") % b.next_stage.label if b.next_stage else "")
        self.stage.setText(stage)
        self.private_text.setText(b.shown(b.private_notes) or self.tr("No private notes."))
        for page in self.pages:
            page.show_brief(b)

    def _on_touched(self, *_args: object) -> None:
        self._touched = True

    def save(self) -> bool:
        """Write agenda, notes and outcomes to the session now; on failure keep the text and say why."""
        self._autosave.stop()
        try:
            self._version = coaching_mode.record(
                self.ws, session_id=self.session_id, agenda=self.agenda_page.text(), notes=self.notes_page.text(),
                outcomes=self.next_page.outcomes_as_typed(), expected_version=self._version)
        except ConflictError as exc:
            # A colleague saved this session's notes meanwhile. No dialog on the shared screen (it would show
            # the notes unredacted): both versions go into the notes, shown redacted, and save next time.
            from esncoach.views.team.conflict import merged_text

            self._version = exc.version
            self.notes_page.notes_text.set_text(merged_text(exc))
            self._autosave.start()
            self._status(self.tr("A colleague saved these notes meanwhile: both versions are kept in the notes."),
                         error=True)
            return False
        except StoreError as exc:
            self._status(self.tr("Not saved: %s") % exc, error=True)
            return False
        self._status(self.tr("Saved %s") % dt.datetime.now().strftime("%H:%M:%S"))
        return True

    def _status(self, text: str, *, error: bool = False) -> None:
        self.status.setProperty("role", "bad" if error else "status")
        self.status.setText(text)
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)

    # ----- navigation ---------------------------------------------------------------------------------
    def current_index(self) -> int:
        return self.stack.currentIndex()

    def go_to(self, index: int) -> None:
        index = max(0, min(len(self.pages) - 1, index))
        if self._autosave.isActive():
            self.save()
        if index == self.pages.index(self.next_page) or index == self.pages.index(self.commitments_page):
            self.brief = self._load_brief()
            self.pages[index].show_brief(self.brief)
        self.stack.setCurrentIndex(index)
        page = self.pages[index]
        self.step.setText(f"{index + 1} / {len(self.pages)} · {page.heading.text()}")
        self.setFocus()

    def next_step(self) -> None:
        self.go_to(self.current_index() + 1)

    def previous_step(self) -> None:
        self.go_to(self.current_index() - 1)

    # ----- capture ------------------------------------------------------------------------------------
    def open_quick_note(self) -> None:
        if self.is_blank():
            return
        self.quick.show()
        self.quick.setFocus()

    def _save_quick_note(self) -> None:
        try:
            line = coaching_mode.quick_note_line(self.quick.text(), dt.datetime.now())
        except StoreError as exc:
            self._status(str(exc), error=True)
            return
        self.notes_page.append_line(line)
        self.quick.clear()
        self.quick.hide()
        self.setFocus()
        self.save()

    # ----- privacy --------------------------------------------------------------------------------------
    def is_blank(self) -> bool:
        return self.blank.isVisible()

    def toggle_blank(self) -> None:
        """Hide everything (names, notes, charts) until pressed again."""
        blank = not self.is_blank()
        self.content.setVisible(not blank)
        self.blank.setGeometry(self.rect())
        self.blank.setVisible(blank)
        if blank:
            self.blank.raise_()
        self.setFocus()

    def toggle_private(self) -> None:
        self.private.setVisible(not self.private.isVisible() and not self.is_blank())

    # ----- look ------------------------------------------------------------------------------------------
    def _apply_style(self) -> None:
        screen = self.screen() or QGuiApplication.primaryScreen()
        height = self.height() if self.isVisible() else (screen.geometry().height() if screen else 1080)
        base = style.base_font_px(height)
        self.setStyleSheet(style.stylesheet(style.DARK if self._dark else style.LIGHT, base))
        for page in self.pages:
            if isinstance(page, EmbeddedPage):
                # A widget's own style sheet wins over the window's: embedded widgets keep their light look.
                page.inner.setStyleSheet(style.embedded_stylesheet(base))

    def toggle_dark(self) -> None:
        self._dark = not self._dark
        self.settings.coach_dark = self._dark
        self._apply_style()

    def choose_screen(self):  # type: ignore[no-untyped-def]
        """The remembered screen if connected, else a second screen (projector), else the primary."""
        screens = QGuiApplication.screens()
        by_name = {s.name(): s for s in screens}
        if self.settings.coach_screen in by_name:
            return by_name[self.settings.coach_screen]
        primary = QGuiApplication.primaryScreen()
        others = [s for s in screens if s is not primary]
        return others[0] if others else primary

    def show_coaching(self) -> None:
        """Full screen on the chosen screen."""
        screen = self.choose_screen()
        if screen is not None:
            self.setScreen(screen)
            self.setGeometry(screen.geometry())
        self.showFullScreen()
        self.activateWindow()

    def move_to_next_screen(self) -> None:
        screens = QGuiApplication.screens()
        if len(screens) < 2:
            self._status(self.tr("Only one screen is connected."))
            return
        current = self.screen()
        target = screens[(screens.index(current) + 1) % len(screens)] if current in screens else screens[0]
        self.settings.coach_screen = target.name()
        self.showNormal()
        self.setScreen(target)
        self.setGeometry(target.geometry())
        self.showFullScreen()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        QApplication.instance().installEventFilter(self)  # removed on close; see eventFilter
        self._apply_style()

    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().resizeEvent(event)
        self.blank.setGeometry(self.rect())
        if self.isVisible():
            self._apply_style()

    # ----- keys and leaving ----------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Paging keys and Esc reach the window wherever the focus is (a chart, a scroll bar, a list)."""
        if (event.type() == QEvent.Type.KeyPress and isinstance(watched, QWidget) and watched.isWindow() is False
                and self.isActiveWindow() and self.isAncestorOf(watched) and QApplication.activePopupWidget() is None
                and watched is QApplication.focusWidget()):
            return self._handle_key(event)  # type: ignore[arg-type]
        return super().eventFilter(watched, event)

    def _handle_key(self, event: QKeyEvent) -> bool:
        key = event.key()
        focus = self.focusWidget()
        typing = _is_typing(focus)
        if key == Qt.Key.Key_Escape and event.modifiers() == Qt.KeyboardModifier.NoModifier:
            if self.quick.isVisible() and self.quick.hasFocus():
                self.quick.hide()
                self.setFocus()
            else:
                self.leave()
            return True
        if not typing and event.modifiers() in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier):
            if key == Qt.Key.Key_B:
                self.toggle_blank()
                return True
            if self.is_blank():
                return True
            space_presses = key == Qt.Key.Key_Space and isinstance(focus, QAbstractButton)  # ticks a box, presses a button
            if key in (Qt.Key.Key_Right, Qt.Key.Key_Space, Qt.Key.Key_PageDown) and not space_presses:
                self.next_step()
                return True
            if key in (Qt.Key.Key_Left, Qt.Key.Key_PageUp):
                self.previous_step()
                return True
            if key == Qt.Key.Key_N:
                self.open_quick_note()
                return True
        return False

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self._handle_key(event):
            super().keyPressEvent(event)

    def leave(self) -> None:
        """Save, mark the session held with its real duration, and close; if nothing was noted, ticked or
        changed, ask first (default No). Closing any other way (quitting the app) takes the default."""
        if not self._finished and not self._touched and not self.quick.text().strip():
            self._record_anyway = self._record_untouched()
        self.close()

    def _record_untouched(self) -> bool:
        """Nothing was noted, ticked or changed: ask whether this really was a session (default No)."""
        answer = QMessageBox.question(
            self, self.tr("Record a held session?"),
            self.tr("Nothing was noted, ticked or changed. Record this as a session held today?"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def _finish(self) -> None:
        if self._finished:
            return
        self._finished = True
        self._tick.stop()
        if self.quick.text().strip():
            self._save_quick_note()
        self.save()
        try:
            if self._touched or self._record_anyway:
                coaching_mode.finish(self.ws, session_id=self.session_id, started_at=self.started_at,
                                     ended_at=dt.datetime.now())
                self.recorded = True
            else:
                coaching_mode.abandon(self.ws, session_id=self.session_id, created=self._created)
        except StoreError as exc:
            self._status(str(exc), error=True)
        self.sig_closed.emit(self.exec_id, self.session_id)

    def closeEvent(self, event: QCloseEvent) -> None:
        QApplication.instance().removeEventFilter(self)
        self._finish()
        super().closeEvent(event)

    def _update_timer(self) -> None:
        seconds = self._clock.elapsed() // 1000
        self.timer.setText(f"{seconds // 60}:{seconds % 60:02d}")
