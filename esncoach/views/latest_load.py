"""Reads a tab's rows on a worker thread and shows only the latest request's result.

An exec switch on a large workspace reads years of rows; doing that on the UI thread froze the window for
a few hundred milliseconds per tab (``bench/ui_stalls.py``). A tab asks ``LatestLoad.load(read, show)``:
``read()`` runs on a worker (services only, no widget), ``show(result)`` on the UI thread, and a result
for an exec switched away from meanwhile (or overtaken by a synchronous refresh, see ``drop``) is dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from esncoach.views.tasks import run_task


class LatestLoad(QObject):
    """One tab's background reads; ``loading`` is True until the latest one has been shown."""

    sig_loaded = Signal()
    """Emitted on the UI thread after the latest read was shown (or failed)."""

    def __init__(self, parent: QWidget, title: str) -> None:
        super().__init__(parent)
        self._widget = parent
        self._title = title
        self._generation = 0
        self.loading = False

    def load(self, read: Callable[[], Any], show: Callable[[Any], None]) -> None:
        """Run ``read()`` on a worker, then ``show(result)`` unless another load or a ``drop`` came since."""
        self._generation += 1
        generation = self._generation
        self.loading = True

        def done(result: Any) -> None:
            if generation != self._generation:
                return
            self.loading = False
            show(result)
            self.sig_loaded.emit()

        def failed(exc: BaseException) -> None:
            if generation != self._generation:
                return
            self.loading = False
            from esncoach.views.messages import show_error

            show_error(self._widget, self._title, exc)
            self.sig_loaded.emit()

        task = run_task(self._widget, self._title, lambda _progress: read(), done, on_error=failed,
                        show_progress=False)
        task.sig_finished.connect(task.deleteLater)

    def drop(self) -> None:
        """Forget the read in flight: the tab was refreshed synchronously after it was asked for."""
        self._generation += 1
        self.loading = False
