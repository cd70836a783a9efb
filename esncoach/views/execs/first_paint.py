"""The exec list's first frames at start-up (#18): a page that waits for the workspace, and a first-paint watch.

Start-up shows the main window with the exec list read by ``store.first_list`` before SQLAlchemy, the
services and the exec page's tabs are imported. Until the workspace is attached the page pane holds a
``PendingPage`` that remembers which exec is selected; ``ListPaintWatch`` notices the list's first paint
with rows in it, which is when the rest may load (and what ``bench/startup.py`` waits for); ``LoadDone``
brings that load's outcome back to the UI thread.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QTableView, QWidget

from esncoach.views.execs.list_columns import viewport_of


class PendingPage(QWidget):
    """Stands in for ``ExecPage`` until the workspace has loaded; the main window talks to it the same way."""

    sig_data_changed = Signal()
    """Never emitted: nothing can be edited here. Declared so the window connects to it as to the page."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.exec_id: int | None = None
        self.read_only = False
        self.lease = None

    def set_exec(self, exec_id: int | None) -> None:
        """Remember the selected exec; the real page opens on it."""
        self.exec_id = exec_id

    def refresh(self) -> None:
        """Nothing shown, nothing to refresh."""


class ListPaintWatch(QObject):
    """Watches a table's viewport for its first paint with at least one row, then stops watching."""

    sig_painted = Signal()
    """The list has been painted with rows in it, once; emitted when that paint is done."""

    def __init__(self, table: QTableView) -> None:
        super().__init__(table)
        self.table = table
        self.painted = False
        viewport_of(table).installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Paint and not self.painted and self.table.model().rowCount() > 0:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self, self._done)  # this filter runs before the paint itself
        return False

    def _done(self) -> None:
        self.painted = True
        self.sig_painted.emit()


class LoadDone(QObject):
    """Carries the outcome of the load that follows the first paint from its thread to the UI thread."""

    sig_done = Signal(object)
    """(workspace, exec rows), or the exception that stopped the load."""


__all__ = ["ListPaintWatch", "LoadDone", "PendingPage"]
