"""The one way views run slow work: on a worker thread, with progress, cancel, and results on the UI thread.

The work function receives a ``ProgressSink`` and must not touch any widget; ``on_done``/``on_error``
run on the UI thread once it finishes.

Worker threads belong to a registry, not to the widget that started them: closing a window while its
backup or export still runs must not destroy a running QThread (Qt aborts the process). The work goes on,
its result is dropped with the window, and ``wait_all`` lets shutdown wait for it.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QThread, Qt, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from esncoach.services.progress import Cancelled, ProgressSink


class _Worker(QThread):
    """Runs one function; reports progress and the outcome through queued signals."""

    sig_progress = Signal(int, int, str)
    """done, total, message — emitted from the worker, delivered on the UI thread."""
    sig_result = Signal(object)
    sig_failed = Signal(object)

    def __init__(self, fn: Callable[[ProgressSink], Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._fn = fn
        self.cancel_requested = threading.Event()

    def _sink(self, done: int, total: int, message: str = "") -> None:
        if self.cancel_requested.is_set():
            raise Cancelled()
        self.sig_progress.emit(int(done), int(total), message)

    def run(self) -> None:
        try:
            result = self._fn(self._sink)
        except BaseException as exc:  # noqa: BLE001 - handed to the UI thread, which decides what to show
            self.sig_failed.emit(exc)
        else:
            self.sig_result.emit(result)


class _Registry(QObject):
    """Keeps every worker alive until its thread has ended; lives on the UI thread."""

    def __init__(self) -> None:
        super().__init__(QCoreApplication.instance())
        self.running: set[_Worker] = set()

    def add(self, worker: _Worker) -> None:
        self.running.add(worker)
        worker.finished.connect(self._on_finished, Qt.ConnectionType.QueuedConnection)

    @Slot()
    def _on_finished(self) -> None:
        worker = self.sender()
        if worker in self.running:
            worker.wait()
            self.running.discard(worker)  # type: ignore[arg-type]


_registry: _Registry | None = None

GIL_SWITCH_S = 0.0005
"""How long a thread may keep the GIL while another waits (Python's default is 5 ms).

The UI thread gives the GIL up on every call into Qt and needs it back for every Python callback Qt makes
(a paint, a model's ``data``, a timer): with a worker busy in Python each round trip waited up to 5 ms, so a
repaint of a few dozen callbacks froze the window for 100-300 ms. At 0.5 ms ``bench/ui_stalls.py``'s p99 gap
while switching exec tabs went from ~122 to ~60 ms (two runs each, 2 shared cores); workers lose a little
throughput to the extra switches, only while the UI thread wants the GIL.
"""


def _workers() -> _Registry:
    global _registry
    if _registry is None:
        sys.setswitchinterval(GIL_SWITCH_S)  # from the first background work on
        _registry = _Registry()
    return _registry


def wait_all(ms: int = 30_000) -> bool:
    """Block until every background worker has ended (shutdown, tests); False if one is still running."""
    return all(worker.wait(ms) for worker in list(_workers().running))


class Task(QObject):
    """A running piece of background work; keep a reference until ``sig_finished``."""

    sig_finished = Signal()
    """Emitted on the UI thread after on_done/on_error ran (or the work was cancelled)."""

    def __init__(
        self,
        parent: QWidget,
        title: str,
        fn: Callable[[ProgressSink], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None] | None,
        show_progress: bool,
    ) -> None:
        super().__init__(parent)
        self._on_done = on_done
        self._on_error = on_error
        self.cancelled = False
        self._worker = _Worker(fn)
        _workers().add(self._worker)
        self._dialog: QProgressDialog | None = None
        if show_progress:
            self._dialog = QProgressDialog(title, self.tr("Cancel"), 0, 0, parent)
            self._dialog.setWindowTitle(title)
            self._dialog.setWindowModality(Qt.WindowModality.WindowModal)
            self._dialog.setMinimumDuration(300)
            self._dialog.setAutoClose(False)
            self._dialog.setAutoReset(False)
            self._dialog.canceled.connect(self.cancel)
        self._worker.sig_progress.connect(self._on_progress)
        self._worker.sig_result.connect(self._on_result)
        self._worker.sig_failed.connect(self._on_failed)
        self._worker.start()

    def cancel(self) -> None:
        """Ask the work to stop at its next progress report."""
        self.cancelled = True
        self._worker.cancel_requested.set()

    def wait(self, ms: int = 30_000) -> bool:
        """Block until the worker thread ends (tests and shutdown only)."""
        return self._worker.wait(ms)

    def _on_progress(self, done: int, total: int, message: str) -> None:
        # setValue on a modal progress dialog processes events, so the result may arrive (and close the
        # dialog) in the middle of this slot: hold a local reference and stop if it went away.
        dialog = self._dialog
        if dialog is None:
            return
        dialog.setMaximum(max(total, 0))
        if self._dialog is None:
            return
        if message:
            dialog.setLabelText(message)
        dialog.setValue(min(done, total) if total else 0)

    def _close_dialog(self) -> None:
        if self._dialog is not None:
            self._dialog.hide()
            self._dialog.deleteLater()
            self._dialog = None

    def _on_result(self, result: Any) -> None:
        self._close_dialog()
        self._worker.wait()
        self._on_done(result)
        self.sig_finished.emit()

    def _on_failed(self, exc: BaseException) -> None:
        self._close_dialog()
        self._worker.wait()
        if not isinstance(exc, Cancelled):
            if self._on_error is not None:
                self._on_error(exc)
            else:
                from esncoach.views.messages import show_error

                show_error(self.parent(), self.tr("The operation failed"), exc)
        self.sig_finished.emit()


def run_task(
    parent: QWidget,
    title: str,
    fn: Callable[[ProgressSink], Any],
    on_done: Callable[[Any], None],
    *,
    on_error: Callable[[BaseException], None] | None = None,
    show_progress: bool = True,
) -> Task:
    """Start ``fn(progress)`` on a worker thread; a progress dialog with Cancel shows after 300 ms."""
    return Task(parent, title, fn, on_done, on_error, show_progress)
