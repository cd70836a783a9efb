"""Desktop reminders while esncoach runs (a tray icon's notifications), their settings, and the start-up hook.

``install_daily_tools(window)`` is called once a main window exists: it starts the reminder timer and,
unless turned off, shows the Today window once the main window is on screen. The day's overview is
computed on a worker (``run_task``), so neither adds work to the UI thread while the app starts.
Reminders are read every minute on a worker too; each is shown once per run (``Reminder.key``).
Where no system tray exists (some Linux desktops), the reminder goes to the main window's status bar.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QSpinBox,
    QSystemTrayIcon,
    QVBoxLayout,
)

from esncoach.services import reminders, settings, today
from esncoach.store.errors import StoreError
from esncoach.views.icons import icon
from esncoach.views.messages import show_error
from esncoach.views.tasks import run_task

CHECK_INTERVAL_MS = 60_000
FIRST_CHECK_MS = 5_000
TODAY_DELAY_MS = 1_500


class ReminderNotifier(QObject):
    """Checks for reminders every minute and shows each new one as a desktop notification."""

    sig_reminded = Signal(object)
    """A reminder (``reminders.Reminder``) was just shown."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self._window = window
        self.shown: set[str] = set()
        self._busy = False
        self.tray: QSystemTrayIcon | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_INTERVAL_MS)
        self.timer.timeout.connect(self.check)
        self.apply_setting()

    def apply_setting(self) -> None:
        """Start or stop as the per-machine setting says."""
        if self._window.settings.reminders_enabled:
            if self.tray is None and QSystemTrayIcon.isSystemTrayAvailable():
                self.tray = QSystemTrayIcon(icon("app"), self)
                self.tray.setToolTip("esncoach")
                self.tray.messageClicked.connect(self._on_clicked)
                self.tray.activated.connect(lambda _reason: self._on_clicked())
                self.tray.show()
            if not self.timer.isActive():
                self.timer.start()
                QTimer.singleShot(FIRST_CHECK_MS, self, self.check)  # context: dropped if we are gone
        else:
            self.timer.stop()
            if self.tray is not None:
                self.tray.hide()
                self.tray.deleteLater()
                self.tray = None

    def check(self, now: dt.datetime | None = None) -> None:
        """Ask the service on a worker; show what is new when it answers."""
        if self._busy or not self._window.settings.reminders_enabled or getattr(self._window, "coaching", None):
            return  # never over an exec's screen in coaching mode
        self._busy = True
        ws, coaches = self._window.ws, coaches_known(self._window)

        def _done(found: Any) -> None:
            self._busy = False
            self.show_new(found)

        def _failed(_exc: BaseException) -> None:
            self._busy = False  # a reminder that cannot be read is skipped; the next minute tries again

        run_task(self._window, "", lambda _p: reminders.due_reminders(ws, now=now, coaches=coaches), _done, on_error=_failed,
                 show_progress=False)

    def show_new(self, found: list[reminders.Reminder]) -> list[reminders.Reminder]:
        """Show the reminders not shown yet in this run; returns them."""
        new = [r for r in found if r.key not in self.shown]
        tray = self.tray is not None and self.tray.isVisible()
        for reminder in new:
            self.shown.add(reminder.key)
            if tray:
                self.tray.showMessage(reminder.title, reminder.text, QSystemTrayIcon.MessageIcon.Information, 15_000)
            self.sig_reminded.emit(reminder)
        if new and not tray:  # one status line; a second message would hide the first
            self._window.statusBar().showMessage(" · ".join(f"{r.title}: {r.text}" for r in new), 30_000)
        return new

    def _on_clicked(self) -> None:
        from esncoach.views.today.today_window import open_today

        if self._window.isMinimized():
            self._window.showNormal()
        open_today(self._window)


class RemindersDialog(QDialog):
    """Tools ▸ Reminders…: notifications on/off, session lead time, stay-in-touch days, Today at start-up.

    The session and stay-in-touch settings are the workspace's, for those who coach: a login that writes no
    coaching (the programme lead, ``team.may_coach``) sees them and changes only this computer's settings.
    """

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self._window = window
        known = coaches_known(window)
        self._coaches = _may_coach(window.ws) if known is None else known
        self.setWindowTitle(self.tr("Reminders"))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.enabled = QCheckBox(self.tr("Show desktop &reminders while esncoach runs"))
        self.enabled.setChecked(window.settings.reminders_enabled)
        self.lead = QSpinBox()
        self.lead.setRange(0, 240)
        self.lead.setSuffix(self.tr(" min before"))
        self.lead.setSpecialValueText(self.tr("Never"))
        self.lead.setValue(int(settings.get(window.ws, reminders.SESSION_LEAD_MINUTES)))
        self.touch = QSpinBox()
        self.touch.setRange(0, 365)
        self.touch.setSuffix(self.tr(" days without a session"))
        self.touch.setSpecialValueText(self.tr("Never"))
        self.touch.setValue(int(settings.get(window.ws, today.STAY_IN_TOUCH_DAYS)))
        self.at_start = QCheckBox(self.tr("Show &Today when esncoach starts"))
        self.at_start.setChecked(window.settings.today_at_start)
        form.addRow(self.enabled)
        form.addRow(self.tr("Remind of a &session"), self.lead)
        form.addRow(self.tr("&Stay-in-touch nudge after"), self.touch)
        form.addRow(self.at_start)
        layout.addLayout(form)
        self.lead.setEnabled(self._coaches)
        self.touch.setEnabled(self._coaches)
        note = QLabel(self.tr("The session and stay-in-touch settings belong to this workspace; the others to "
                              "this computer.") if self._coaches else
                      self.tr("The session and stay-in-touch reminders are the CMs' (you lead the programme: yours "
                              "are the executives waiting for a CM). The others belong to this computer."))
        note.setWordWrap(True)
        note.setStyleSheet("color: palette(placeholder-text);")
        layout.addWidget(note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._initial = self._values()
        self.enabled.setFocus()

    def _values(self) -> tuple[bool, int, int, bool]:
        return self.enabled.isChecked(), self.lead.value(), self.touch.value(), self.at_start.isChecked()

    def accept(self) -> None:
        enabled, lead, touch, at_start = self._values()
        try:
            if self._coaches:
                settings.put(self._window.ws, reminders.SESSION_LEAD_MINUTES, lead)
                settings.put(self._window.ws, today.STAY_IN_TOUCH_DAYS, touch)
        except StoreError as exc:
            show_error(self, self.tr("Reminders"), exc)
            return
        self._window.settings.reminders_enabled = enabled
        self._window.settings.today_at_start = at_start
        notifier = getattr(self._window, "reminder_notifier", None)
        if notifier is not None:
            notifier.apply_setting()
        super().accept()

    def reject(self) -> None:
        if self._values() != self._initial:
            answer = QMessageBox.question(self, self.tr("Discard changes?"),
                                          self.tr("Close without saving the reminder settings?"),
                                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                          QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                return
        super().reject()


def coaches_known(window: Any) -> bool | None:
    """Whether this login writes coaching, as the window's exec page already asked the server; None if not yet."""
    reads_only = getattr(getattr(window, "page", None), "reads_only", None)
    return None if reads_only is None else not reads_only


def _may_coach(ws: Any) -> bool:
    """Whether this login writes coaching (always on a file); if the server cannot say, as if it did."""
    from esncoach.services.team import may_coach

    try:
        return may_coach(ws)
    except StoreError:
        return True  # the server refuses at Save, with its own sentence


def open_reminder_settings(window: Any) -> RemindersDialog:
    """Menu hook (Tools ▸ Reminders…)."""
    dialog = RemindersDialog(window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def install_daily_tools(window: Any) -> None:
    """Start reminders for ``window`` and, if wanted, show Today once the window is on screen."""
    window.reminder_notifier = ReminderNotifier(window)
    if window.settings.today_at_start:
        # After the first paint and the start-up work: the overview of a big programme takes seconds of CPU.
        QTimer.singleShot(TODAY_DELAY_MS, window, lambda: _today_at_start(window))


def _today_at_start(window: Any) -> None:
    if not window.isVisible() or getattr(window, "coaching", None) is not None:
        return  # --coach: the exec's screen only
    ws, coaches = window.ws, coaches_known(window)

    def _show(overview: Any) -> None:
        from esncoach.views.today.today_window import open_today

        if window.isVisible() and getattr(window, "coaching", None) is None and overview is not None \
                and not overview.is_empty:
            open_today(window, overview=overview)

    run_task(window, "", lambda _p: today.overview(ws, coaches=coaches), _show, on_error=lambda _e: None, show_progress=False)


__all__ = ["ReminderNotifier", "RemindersDialog", "install_daily_tools", "open_reminder_settings"]
