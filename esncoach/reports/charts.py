"""The app's own charts for reports: the report asks, the chart code of the app draws (never a second copy).

``chart_export_available()`` is the one named check for whether the chart export
(``esncoach.views.charts.export``) is present; without it reports are typeset without charts.
"""

from __future__ import annotations

import importlib.util
import time
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QThread, Signal
from PySide6.QtGui import QImage

from esncoach.services.report_content import ChartRequest
from esncoach.store.workspace import Workspace

ChartImages = list[tuple[str, QImage]]
ChartSource = Callable[[ChartRequest, int, int], ChartImages]
"""(request, width_px, height_px) -> [(title, image), ...]"""

EXPORT_MODULE = "esncoach.views.charts.export"


def chart_export_available() -> bool:
    """True when the app's chart export module is installed, so reports can carry the same charts as the app."""
    try:
        return importlib.util.find_spec(EXPORT_MODULE) is not None
    except ImportError:
        return False


def draw_app_charts(ws: Workspace | None, req: ChartRequest, width_px: int, height_px: int,
                    data: object = None) -> ChartImages:
    """The app's charts for ``req`` as images; from ``data`` (``prepare``'s figures) when given, and then
    ``ws`` may be None (a report helper process has no workspace)."""
    export = importlib.import_module(EXPORT_MODULE)
    if req.kind == "progress":
        return list(export.render_progress_charts(ws, exec_id=req.exec_id, start=req.start, end=req.end,
                                                  width_px=width_px, height_px=height_px, dark=False, data=data))
    return list(export.render_portfolio_charts(ws, width_px=width_px, height_px=height_px, data=data))


def app_charts(ws: Workspace) -> ChartSource | None:
    """A chart source drawing with the app's chart code for this workspace, or None when it is unavailable."""
    if not chart_export_available():
        return None

    def source(req: ChartRequest, width_px: int, height_px: int, data: object = None) -> ChartImages:
        return draw_app_charts(ws, req, width_px, height_px, data)

    def prepare(req: ChartRequest) -> object:
        """The figures the charts draw, read where the caller runs (on a worker, or before a helper process
        draws them)."""
        export = importlib.import_module(EXPORT_MODULE)  # on first use: it imports pyqtgraph (~0.2 s)
        return export.chart_data(ws, kind=req.kind, exec_id=req.exec_id, start=req.start, end=req.end)

    source.prepare = prepare  # type: ignore[attr-defined]
    return source


class PreparedCharts:
    """A chart source for a process without the workspace: draws the app's charts from figures read
    beforehand, one entry per request of the report."""

    def __init__(self, data: dict[ChartRequest, object]) -> None:
        self.data = data

    def __call__(self, req: ChartRequest, width_px: int, height_px: int) -> ChartImages:
        return draw_app_charts(None, req, width_px, height_px, self.data[req])


class TimedCharts:
    """Wraps a chart source and adds up the seconds spent in it (the benchmark reports chart time apart)."""

    def __init__(self, source: ChartSource) -> None:
        self.source = source
        self.seconds = 0.0
        if hasattr(source, "prepare"):
            self.prepare = source.prepare

    def __call__(self, req: ChartRequest, width_px: int, height_px: int) -> ChartImages:
        t0 = time.perf_counter()
        try:
            return self.source(req, width_px, height_px)
        finally:
            self.seconds += time.perf_counter() - t0


class GuiThreadCharts(QObject):
    """Lets a worker thread use a chart source: the app's charts are widgets, so they are drawn on the GUI
    thread while the worker waits (create this object on the GUI thread; never wait on the worker there)."""

    _sig_render = Signal(object)
    """A job dict {"args": (request, width, height)}; answered in place with "result" or "error"."""

    def __init__(self, source: ChartSource) -> None:
        super().__init__()
        self._source = source
        if hasattr(source, "prepare"):
            self.prepare = source.prepare
        self._sig_render.connect(self._on_render, Qt.ConnectionType.BlockingQueuedConnection)

    def _on_render(self, job: dict) -> None:
        try:
            extra = {"data": job["data"]} if job.get("data") is not None else {}
            job["result"] = self._source(*job["args"], **extra)
        except BaseException as exc:  # noqa: BLE001 - handed back to the worker, which raises it
            job["error"] = exc
        finally:
            # The drawn chart widgets are deleted now, while the worker still waits here, not on a later turn
            # while it typesets: a Qt object's destructor takes Qt's connection lock and then the GIL, and a
            # worker making a QTextDocument takes them in the other order (a test deadlocked that way).
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)

    def __call__(self, req: ChartRequest, width_px: int, height_px: int) -> ChartImages:
        if QThread.currentThread() is self.thread():
            return self._source(req, width_px, height_px)
        job: dict = {"args": (req, width_px, height_px)}
        prepare = getattr(self._source, "prepare", None)
        if prepare is not None:  # read the figures here, on the worker; only the drawing needs the GUI thread
            job["data"] = prepare(req)
        self._sig_render.emit(job)
        if "error" in job:
            raise job["error"]
        return job.get("result", [])
