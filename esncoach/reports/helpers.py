"""Report helper processes: they draw the app's charts and typeset PDFs while this process reads the next
exec's figures.

Why processes: drawing charts and encoding their images for the PDF hold Python's lock (PySide does not
release it there), so threads cannot use a second core; and in the app a chart widget may only be built
on the GUI thread, so a batch typeset in helpers never stalls the window. A helper gets everything it
needs in its job (report content and chart figures, read here); it never opens the workspace, so it needs
no key and takes no lock. Helpers start with ``spawn`` (a fresh interpreter: forking a process that runs
Qt is unsafe) and draw offscreen with this process's application font, so the charts match.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from esncoach.reports.charts import PreparedCharts
from esncoach.services import report_content as rc

MAX_HELPERS = 4
BACKGROUND_NICENESS = 5
"""How much lower helpers run when the batch comes from the window: its own threads must win the cores."""


@dataclass(frozen=True)
class TypesetJob:
    """One report for a helper: its content, where it goes, and the figures of its charts (None: no charts)."""

    content: rc.ReportContent
    path: Path
    page_size: str
    chart_data: dict[rc.ChartRequest, object] | None


def helper_count(reports: int, *, typeset_here: bool) -> int:
    """How many helpers a batch of ``reports`` is worth: the cores not busy (the one-minute load average,
    this process's own work counted as one), none when there are too few reports to repay a helper's start
    (about two reports' time). A batch typeset only in helpers (the window's) always gets at least one."""
    cores = os.cpu_count() or 1
    if not typeset_here:
        return max(1, min(MAX_HELPERS, cores, reports))
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    idle = round(cores - max(0.0, load - 1.0)) - 1  # a helper on a core already busy only adds its start-up
    return max(0, min(MAX_HELPERS, idle, (reports - 1) // 3))


class HelperPool:
    """A few report helper processes; ``submit`` a job, get a future of its ``SavedReport``."""

    def __init__(self, processes: int, *, background: bool = False) -> None:
        from PySide6.QtWidgets import QApplication

        app = QApplication.instance()
        font = app.font().toString() if isinstance(app, QApplication) else None
        self.size = processes
        self._pool = ProcessPoolExecutor(max_workers=processes, mp_context=multiprocessing.get_context("spawn"),
                                         initializer=_start_helper,
                                         initargs=(font, BACKGROUND_NICENESS if background else 0))

    def submit(self, job: TypesetJob) -> Future:
        return self._pool.submit(_typeset, job)

    def close(self) -> None:
        """Drop the jobs not started and wait for the running ones (each writes its file whole or not at all)."""
        self._pool.shutdown(wait=True, cancel_futures=True)


# -- in the helper process --------------------------------------------------------------------------------

_app = None


def _start_helper(font: str | None, niceness: int) -> None:
    """Set up a helper: an offscreen application (chart widgets need one) with the parent's font."""
    global _app
    if niceness and hasattr(os, "nice"):
        os.nice(niceness)
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtGui import QFont
    from PySide6.QtWidgets import QApplication

    _app = QApplication.instance() or QApplication(["esncoach-report-helper"])
    if font:
        chosen = QFont()
        if chosen.fromString(font):
            _app.setFont(chosen)


def _typeset(job: TypesetJob):  # type: ignore[no-untyped-def] - returns pdf_writer.SavedReport
    from esncoach.reports.pdf_writer import save_report

    from PySide6.QtCore import QEvent

    charts = PreparedCharts(job.chart_data) if job.chart_data is not None else None
    try:
        return save_report(job.content, job.path, page_size=job.page_size, charts=charts)
    finally:
        if _app is not None:  # no event loop runs here: free the chart widgets of this report now
            _app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
