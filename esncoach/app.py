"""Starting the GUI: choose the workspace, unlock it, show the main window; switch workspaces on request.

Start-up is mostly importing (SQLAlchemy, the models, the services and views the window needs) and
deriving the key from the passphrase. The key derivation runs in SQLCipher's C code without the GIL, so
``run_gui`` starts the window's imports on a second thread first (``_preload``) and unlocks the file
meanwhile: on a machine with two cores the two overlap. This module itself imports only what the
first steps need.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from esncoach import paths
from esncoach.store import files
from esncoach.store.errors import KeyUnavailableError, StoreError, WrongKeyError
from esncoach.store.keys import (
    KeyMaterial,
    check_new_passphrase,
    key_from_keyring,
    keyring_available,
    read_passphrase_file,
)
from esncoach.views.app_settings import AppSettings
from esncoach.views.icons import icon
from esncoach.views.messages import show_error
from esncoach.views.tasks import wait_all

if TYPE_CHECKING:
    from esncoach.store.workspace import Workspace
    from esncoach.views.main_window import MainWindow

PRELOAD = ("sqlalchemy.orm", "esncoach.models", "esncoach.views.main_window", "esncoach.views.workspace.backup_dialog",
           "esncoach.views.today.reminders_view")
"""Modules the main window needs, imported on a thread while the main thread unlocks the workspace."""


def _preload() -> threading.Thread:
    """Start importing ``PRELOAD`` on a daemon thread (module code only: no widget is made there)."""

    def work() -> None:
        for name in PRELOAD:
            try:
                importlib.import_module(name)
            except Exception:  # noqa: BLE001 - the main thread's own import of it raises the error
                return

    thread = threading.Thread(target=work, name="esncoach-preload", daemon=True)
    thread.start()
    return thread


def _is_new(path: Path) -> bool:
    return not path.exists() or path.stat().st_size == 0


def unlock_interactively(path: Path, passphrase_file: str | None, parent: QWidget | None) -> Workspace | None:
    """Open ``path``, asking for a passphrase as needed; None if the user gave up (errors were shown)."""
    from esncoach.views.workspace.backup_dialog import open_with_restore_offer
    from esncoach.views.workspace.passphrase_dialog import PassphraseDialog

    new = _is_new(path)
    if passphrase_file:
        try:
            filed = read_passphrase_file(passphrase_file)
            if new:  # the same minimum as the dialog and the command line
                check_new_passphrase(filed.secret)
            return open_with_restore_offer(path, filed, parent)
        except StoreError as exc:
            show_error(parent, "esncoach", exc)
            return None
    if keyring_available():
        try:
            key = key_from_keyring(path, create=new)
            return open_with_restore_offer(path, key, parent)
        except KeyUnavailableError:
            pass  # an existing workspace protected by a passphrase: ask for it below
        except StoreError as exc:
            show_error(parent, "esncoach", exc)
            return None
    message = ""
    while True:
        dialog = PassphraseDialog(path.name, new=new, message=message, parent=parent)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.key is None:
            return None
        key: KeyMaterial = dialog.key
        try:
            return open_with_restore_offer(path, key, parent)
        except WrongKeyError:
            message = QApplication.translate("app", "That passphrase does not open this workspace. Try again.")
        except StoreError as exc:
            show_error(parent, "esncoach", exc)
            return None


class AppController(QObject):
    """Owns the open workspace and its window; replaces both when the user switches workspace."""

    def __init__(self, settings: AppSettings, passphrase_file: str | None = None) -> None:
        super().__init__()
        self.settings = settings
        self.passphrase_file = passphrase_file
        self.password_file: str | None = None
        """--password-file: a team server's login password."""
        self.ws: Workspace | None = None
        self.window: MainWindow | None = None

    def open(self, path: Path | str, *, create: bool = True, show: bool = True) -> bool:
        """Open ``path`` (or a postgresql:// team server) and show it; on failure keep what was open before."""
        from esncoach.store.server import is_server_url

        if is_server_url(path):
            return self._open_team(str(path), show=show)
        try:  # a symlink loop, a folder, an unreadable or empty file: one dialog, before anything is made
            path = files.resolve(path)
            files.inspect(path, create=create)
        except StoreError as exc:
            show_error(self.window, "esncoach", exc)
            return False
        if self.ws is not None and self.ws.path == path:
            return True
        if not create and _is_new(path):
            show_error(self.window, "esncoach", QApplication.translate("app", "There is no workspace at %s.") % path)
            return False
        previous_ws, previous_window = self.ws, self.window
        if previous_ws is not None and previous_window is not None:
            previous_window.save_state()
            wait_all()
            previous_ws.close()  # release the lock: a workspace is open in one place at a time
        ws = unlock_interactively(path, self.passphrase_file if previous_ws is None else None, previous_window)
        if ws is None:
            if previous_ws is not None:
                reopened = unlock_interactively(previous_ws.path, None, previous_window)
                if reopened is not None and previous_window is not None:
                    self._show(reopened)
                    previous_window.close()
            return False
        self._show(ws, visible=show)
        if previous_window is not None:
            previous_window.close()
            previous_window.deleteLater()
        return True

    def _show(self, ws: Workspace, *, visible: bool = True) -> None:
        self.ws = ws
        self.settings.remember_workspace(ws.address.url() if ws.is_server else str(ws.path))  # type: ignore[attr-defined]
        from esncoach.views.main_window import MainWindow
        from esncoach.views.workspace.backup_dialog import install_auto_backup

        window = MainWindow(ws, self.settings)
        window.sig_open_workspace.connect(lambda p, c: self.open(p if p.startswith("postgres") else Path(p), create=c))
        window.sig_open_demo.connect(self.open_demo)
        if not ws.is_server:  # a team server's backups are its administrator's (pg_dump)
            install_auto_backup(window, ws)
        if visible:
            window.show()
        from esncoach.views.today.reminders_view import install_daily_tools  # reminders; Today after first paint

        install_daily_tools(window)
        from esncoach.views.metrics.impact_warm import schedule_warm_up  # statsmodels on a worker, after paint

        schedule_warm_up(window)
        self.window = window

    def _open_team(self, url: str, *, show: bool = True) -> bool:
        """Log in to a team workspace and show it; on failure keep what was open before."""
        from esncoach.views.team.connect import connect_interactively

        previous_ws, previous_window = self.ws, self.window
        ws = connect_interactively(url, self.password_file if previous_ws is None else None, previous_window)
        if ws is None:
            return False
        if previous_ws is not None and previous_window is not None:
            previous_window.save_state()
            wait_all()
            previous_ws.close()
        self._show(ws, visible=show)
        if previous_window is not None:
            previous_window.close()
            previous_window.deleteLater()
        return True

    def open_demo(self) -> None:
        """Open the demo workspace, creating it on first use."""
        from esncoach.demo import build_demo

        path = paths.demo_workspace()
        created = _is_new(path)
        if not self.open(path, create=True):
            return
        if created and self.ws is not None and self.window is not None:
            try:
                build_demo(self.ws)
            except StoreError as exc:
                show_error(self.window, "esncoach", exc)
            self.window.refresh()

    def shutdown(self) -> None:
        if self.window is not None:
            self.window.save_state()
        wait_all()  # a backup or export still running finishes before its workspace closes
        if self.ws is not None:
            self.ws.close()
            self.ws = None


def run_gui(args: argparse.Namespace) -> int:
    """``esncoach [--db PATH] [--passphrase-file FILE]``: the desktop app."""
    _preload()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("esncoach")
    from esncoach.views import plurals

    plurals.install()  # "1 move", "2 moves" from tr("%n move(s)", "", n)
    app.setOrganizationName("esncoach")
    app.setWindowIcon(icon("app"))
    settings = AppSettings()
    target = args.db or settings.last_workspace
    db: Path | str = target if target and target.startswith("postgres") else Path(target or paths.default_workspace())
    controller = AppController(settings, args.passphrase_file)
    controller.password_file = getattr(args, "password_file", None)
    if not args.db and not settings.welcome_shown:
        from esncoach.views.workspace.welcome_dialog import first_run

        started = first_run(controller, db)  # opens the demo or the user's own workspace, as chosen
        if not started or controller.ws is None:
            return 0 if started is None else 1
        db = controller.ws.path
    coach = getattr(args, "coach", None)
    # With --coach the main window (and its list of every exec) never appears on the shared screen.
    if not controller.open(db, create=True, show=not coach):
        return 1
    if coach and controller.window is not None:
        controller.window.start_coaching_by_name(args.coach)
        if controller.window.coaching is None:
            controller.window.show()
    app.aboutToQuit.connect(controller.shutdown)
    return app.exec()


__all__ = ["AppController", "run_gui", "unlock_interactively"]
