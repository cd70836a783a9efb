"""Starting the GUI: choose the workspace, unlock it, show the main window; switch workspaces on request.

Start-up is mostly importing (SQLAlchemy, the models, the services and views the window needs) and
deriving the key from the passphrase. In the usual case (an existing workspace at the current schema, its
key in a passphrase file or the keyring) nothing of that waits for the window (#18): ``run_gui`` starts
``store.first_list`` on a thread before the GUI toolkit is even imported (key derivation without the GIL,
then one SQL query for the exec list), builds the main window meanwhile, shows the list, and once it is
painted loads the rest on a worker (``_WorkspaceLoad``: SQLAlchemy, the services, the workspace opened
with the key derived once) and attaches it. Any other case opens the usual way, with the window's imports
started on a thread first (``_preload``) while the file is unlocked. This module imports no Qt widgets
itself until they are needed.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from esncoach.store.first_list import FirstList, FirstRead
    from esncoach.store.workspace import Workspace
    from esncoach.views.app_settings import AppSettings
    from esncoach.views.main_window import MainWindow

PRELOAD = ("sqlalchemy.orm", "esncoach.models", "esncoach.views.main_window", "esncoach.views.workspace.backup_dialog",
           "esncoach.views.today.reminders_view")
"""Modules the main window needs, imported on a thread while the main thread unlocks the workspace."""


LATE_IMPORTS = (*PRELOAD, "esncoach.services.execs", "esncoach.views.execs.page", "esncoach.views.execs.overview",
                "esncoach.views.metrics.impact_warm")
"""What attaching the workspace to a window shown early needs, imported on the worker after the first paint."""


LOAD_AT_THE_LATEST_MS = 1000
"""An early window's workspace starts loading after the list's first paint, or this long after it is shown."""


def show_error(parent: QWidget | None, title: str, exc_or_text: object) -> None:
    """``views.messages.show_error``, imported when first needed (it brings in the Qt widgets)."""
    from esncoach.views.messages import show_error as show

    show(parent, title, exc_or_text)  # type: ignore[arg-type]


def wait_all() -> None:
    """``views.tasks.wait_all``: background work ends before its workspace closes."""
    from esncoach.views.tasks import wait_all as wait

    wait()


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
    from PySide6.QtWidgets import QApplication, QDialog

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


def _load_workspace(first: FirstRead) -> tuple[Workspace, list[Any]]:
    """The worker's part of attaching: the imports, the workspace opened with the derived key, its exec rows."""
    for name in LATE_IMPORTS:
        importlib.import_module(name)
    from esncoach.services import execs
    from esncoach.store.workspace import Workspace

    ws = Workspace.open(first.path, first.key, create=False, connect_key=first.connect_key)
    try:
        return ws, execs.list_execs(ws)
    except BaseException:
        ws.close()
        raise


class _WorkspaceLoad:
    """Loads the workspace of a window shown early on a plain thread; ``wait`` lets a command that needs it
    take the outcome at once (a ``views.tasks`` worker hands its result over only through the event loop)."""

    def __init__(self, first: FirstRead, on_done: Any) -> None:
        from esncoach.views.execs.first_paint import LoadDone

        self.first = first
        self.outcome: object = None
        self._done = LoadDone()
        self._done.sig_done.connect(on_done)
        self._thread = threading.Thread(target=self._run, name="esncoach-load", daemon=True)

    def start(self) -> None:
        """Begin, once the list is painted; the outcome arrives through ``on_done``."""
        if self._thread.ident is None:
            self._thread.start()

    def _run(self) -> None:
        try:
            self.outcome = _load_workspace(self.first)
        except BaseException as exc:  # noqa: BLE001 - handed to the UI thread, which falls back to the usual open
            self.outcome = exc
        self._done.sig_done.emit(self.outcome)

    def wait(self) -> object:
        """Start if need be and wait for the outcome: (workspace, rows) or the exception."""
        if self._thread.ident is None:  # a command came before the first paint
            self._thread.start()
        self._thread.join()
        return self.outcome


class AppController:
    """Owns the open workspace and its window; replaces both when the user switches workspace."""

    def __init__(self, settings: AppSettings, passphrase_file: str | None = None) -> None:
        self.settings = settings
        self.passphrase_file = passphrase_file
        self.password_file: str | None = None
        """--password-file: a team server's login password."""
        self.ws: Workspace | None = None
        self.window: MainWindow | None = None
        self._loading: _WorkspaceLoad | None = None
        """The workspace of a window shown early, still loading (``open_early``)."""

    def open(self, path: Path | str, *, create: bool = True, show: bool = True) -> bool:
        """Open ``path`` (or a postgresql:// team server) and show it; on failure keep what was open before."""
        from PySide6.QtWidgets import QApplication

        from esncoach.store.server import is_server_url

        self.finish_loading()  # a window shown early gets its workspace first, so it can be closed like any other

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

        window = MainWindow(ws, self.settings)
        self._connect(window)
        self.window = window
        if visible:
            window.show()
        self._install_tools(window, ws)

    def _connect(self, window: MainWindow) -> None:
        from esncoach.views.execs.first_paint import ListPaintWatch

        window.sig_open_workspace.connect(lambda p, c: self.open(p if p.startswith("postgres") else Path(p), create=c))
        window.sig_open_demo.connect(self.open_demo)
        window.first_paint = ListPaintWatch(window.table)  # type: ignore[attr-defined]  # bench/startup.py waits for it

    def _install_tools(self, window: MainWindow, ws: Workspace) -> None:
        """What a window gets once its workspace is open: automatic backups, reminders, the impact warm-up."""
        from esncoach.views.workspace.backup_dialog import install_auto_backup

        if not ws.is_server:  # a team server's backups are its administrator's (pg_dump)
            install_auto_backup(window, ws)
        from esncoach.views.today.reminders_view import install_daily_tools  # reminders; Today after first paint

        install_daily_tools(window)
        from esncoach.views.metrics.impact_warm import schedule_warm_up  # statsmodels on a worker, after paint

        schedule_warm_up(window)

    def open_early(self, first_list: FirstList, path: Path) -> bool:
        """Build the window while ``first_list`` reads the exec list of ``path``, then show the list; the
        workspace loads once it is painted. False, with nothing shown, when the usual open must run instead."""
        from esncoach.views.main_window import MainWindow

        try:
            path = files.resolve(path)  # the name the title shows, as for a workspace opened the usual way
        except StoreError:
            return False
        window = MainWindow(None, self.settings, early=path)
        first = first_list.result()
        if first is None:
            window.deleteLater()
            return False
        window.refresh(first.rows)
        self._connect(window)
        self.window = window
        self._loading = _WorkspaceLoad(first, self._on_loaded)
        window.finish_loading = self.finish_loading
        from PySide6.QtCore import QTimer

        if window.proxy.rowCount() > 0:
            window.first_paint.sig_painted.connect(self._start_loading)  # type: ignore[attr-defined]
        else:  # no row to paint (no execs, or only archived ones hidden): the load follows at once
            QTimer.singleShot(0, self._start_loading)
        QTimer.singleShot(LOAD_AT_THE_LATEST_MS, self._start_loading)  # a window that never paints (minimised)
        window.show()
        return True

    def _start_loading(self) -> None:
        if self._loading is not None:  # not taken, attached or shut down meanwhile
            self._loading.start()

    def finish_loading(self) -> bool:
        """Wait for the early window's workspace and attach it; False if it could not be opened."""
        if self._loading is not None:
            self._on_loaded(self._loading.wait())
        return self.ws is not None

    def _on_loaded(self, outcome: object) -> None:
        loading, self._loading = self._loading, None
        if loading is None:
            return  # taken already by a command that waited for it
        window = self.window
        if not isinstance(outcome, tuple) or window is None:
            self._fall_back(loading.first.path)
            return
        ws, rows = outcome
        self.ws = ws
        self.settings.remember_workspace(str(ws.path))
        window.attach(ws, rows)
        self._install_tools(window, ws)

    def _fall_back(self, path: Path) -> None:
        """The file could not be opened after all (it changed in between): the usual open explains why."""
        from PySide6.QtCore import QCoreApplication

        early, self.window = self.window, None
        if early is not None:
            early.hide()
            early.deleteLater()
        if not self.open(path, create=False):
            QCoreApplication.exit(1)

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
        if self._loading is not None:  # quit before the early window's workspace arrived: close it unseen
            loading, self._loading = self._loading, None
            outcome = loading.wait()
            if isinstance(outcome, tuple):
                outcome[0].close()
        if self.window is not None:
            self.window.save_state()
        wait_all()  # a backup or export still running finishes before its workspace closes
        if self.ws is not None:
            self.ws.close()
            self.ws = None


def _first_list(args: argparse.Namespace) -> tuple[FirstList | None, AppSettings | None]:
    """Start reading the exec list at once when the window will open a known file without asking anything."""
    from esncoach.store.first_list import FirstList

    coach = getattr(args, "coach", None)
    if args.db:
        if coach or args.db.startswith("postgres"):
            return None, None
        return FirstList.start(args.db, args.passphrase_file), None
    from esncoach.views.app_settings import AppSettings

    settings = AppSettings()
    target = settings.last_workspace
    if coach or not settings.welcome_shown or target.startswith("postgres"):
        return None, settings
    return FirstList.start(target or paths.default_workspace(), args.passphrase_file), settings


def run_gui(args: argparse.Namespace) -> int:
    """``esncoach [--db PATH] [--passphrase-file FILE]``: the desktop app."""
    try:
        return _run_gui(args)
    finally:  # garbage collection is the UI thread's while the app runs (views.gc_pauses), Python's after
        if "esncoach.views.gc_pauses" in sys.modules:
            sys.modules["esncoach.views.gc_pauses"].stop_collecting()


def _run_gui(args: argparse.Namespace) -> int:
    first_list, settings = _first_list(args)
    if first_list is None:
        _preload()
    from PySide6.QtWidgets import QApplication

    from esncoach.views.app_settings import AppSettings
    from esncoach.views.icons import icon

    app = QApplication.instance() or QApplication(sys.argv[:1])
    from esncoach.views.gc_pauses import collect_on_gui_thread

    collect_on_gui_thread(app)  # cycles (and the Qt objects in them) die on the UI thread, never on a worker
    app.setApplicationName("esncoach")
    from esncoach.views import plurals

    plurals.install()  # "1 move", "2 moves" from tr("%n move(s)", "", n)
    app.setOrganizationName("esncoach")
    app.setWindowIcon(icon("app"))
    settings = settings or AppSettings()
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
    early = first_list is not None and isinstance(db, Path) and controller.open_early(first_list, db)
    if first_list is not None and not early:  # not the plain case after all: the usual open, with its dialogs
        _preload()
    # With --coach the main window (and its list of every exec) never appears on the shared screen.
    if not early and not controller.open(db, create=True, show=not coach):
        return 1
    if coach and controller.window is not None:
        controller.window.start_coaching_by_name(args.coach)
        if controller.window.coaching is None:
            controller.window.show()
    app.aboutToQuit.connect(controller.shutdown)
    return app.exec()


__all__ = ["AppController", "run_gui", "unlock_interactively"]
