"""Live refresh of a team workspace: LISTEN for the server's per-exec announcements, refresh the window.

Migration 0008 announces a change to an exec's rows (its id) only on the channels of those who may read
them (its CMs, the leads, the owner): each member's channel is named by the server (``team_my_channel()``)
and cannot be derived by anyone else. Directory changes every member may read anyway (an exec added, renamed,
restaged or reassigned) and leases come on the public ``esncoach_exec``. A daemon thread holds one extra
connection that listens to both and hands the ids to the UI thread by a queued signal;
the window refreshes its exec list and page at most every half second, and waits while the user is in
a dialog or typing in the page, so nothing being typed is lost. A lost connection is retried quietly.
"""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QLabel, QLineEdit, QMainWindow, QPlainTextEdit, QTextEdit

CHANNEL = "esncoach_exec"
COALESCE_MS = 500


class ExecChangeListener(QObject):
    """Listens on the team server for changed execs; ``sig_changed`` carries their ids (0 = unknown)."""

    sig_changed = Signal(list)
    """Ids of execs a colleague (or this app) changed since the last emission."""

    def __init__(self, ws: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ws = ws
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="esncoach-listen", daemon=True)
        self.connected = threading.Event()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        from esncoach.store.server import connect

        while not self._stop.is_set():
            try:
                conn = connect(self._ws.address, self._ws.password)
            except Exception:  # noqa: BLE001 - the server is away: try again shortly
                self._stop.wait(2.0)
                continue
            try:
                conn.autocommit = True
                for channel in listen_channels(conn):
                    conn.execute(f'LISTEN "{channel}"')
                self.connected.set()
                while not self._stop.is_set():
                    ids = {int(n.payload) if n.payload.isdigit() else 0 for n in conn.notifies(timeout=0.5)}
                    if ids and not self._stop.is_set():
                        self.sig_changed.emit(sorted(ids))
            except Exception:  # noqa: BLE001 - connection lost: reconnect
                self.connected.clear()
                self._stop.wait(1.0)
            finally:
                try:
                    conn.close()
                except Exception:  # noqa: BLE001
                    pass


def listen_channels(conn: Any) -> list[str]:
    """The public channel and the caller's own (named by the server; none on a schema before 0008)."""
    channels = [CHANNEL]
    try:
        own = conn.execute("SELECT team_my_channel()").fetchone()[0]
    except Exception:  # noqa: BLE001 - an older schema: the public channel carried everything
        return channels
    if own and own.replace("_", "").isalnum():
        channels.append(own)
    return channels


def _user_is_typing(window: QMainWindow) -> bool:
    if QApplication.activeModalWidget() is not None:
        return True
    focus = QApplication.focusWidget()
    editors = (QLineEdit, QTextEdit, QPlainTextEdit, QAbstractSpinBox)
    page = getattr(window, "page", None)
    return isinstance(focus, editors) and page is not None and page.isAncestorOf(focus)


class LiveRefresh(QObject):
    """Refreshes a main window when the listener reports changes, never under the user's fingers."""

    def __init__(self, window: QMainWindow, listener: ExecChangeListener) -> None:
        super().__init__(window)
        self.window = window
        self.listener = listener
        self.pending: set[int] = set()
        self.refreshes = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._apply)
        listener.sig_changed.connect(self._on_changed)

    def _on_changed(self, ids: list[int]) -> None:
        self.pending.update(ids)
        if not self._timer.isActive():
            self._timer.start(COALESCE_MS)

    def _apply(self) -> None:
        if not self.pending:
            return
        if _user_is_typing(self.window):
            self._timer.start(COALESCE_MS)  # later: the user's text stays as typed
            return
        self.pending.clear()
        self.refreshes += 1
        self.window.refresh()  # type: ignore[attr-defined]  # the list, and the page of the selected exec


def install_team_status(window: QMainWindow) -> LiveRefresh:
    """The "team: DBNAME on HOST as ROLE" status label and live refresh for a window on a team server."""
    ws = window.ws  # type: ignore[attr-defined]
    label = QLabel(ws.title)
    label.setObjectName("team_status")
    window.statusBar().addPermanentWidget(label)
    listener = ExecChangeListener(ws, window)
    live = LiveRefresh(window, listener)
    window.destroyed.connect(listener.stop)
    listener.start()
    window.live_refresh = live  # type: ignore[attr-defined]
    return live
