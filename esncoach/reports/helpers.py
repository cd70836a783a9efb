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

from PySide6.QtGui import QImage

from esncoach.reports.atomic import write_atomic
from esncoach.reports.charts import ChartImages, ChartSource, PreparedCharts
from esncoach.reports.mentions import MentionOnPage
from esncoach.reports.pdf_writer import SavedReport, render_report
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


@dataclass(frozen=True)
class RenderJob:
    """One report to typeset in memory (the single Save PDF and the preview): no path, the caller writes."""

    content: rc.ReportContent
    page_size: str
    chart_data: dict[rc.ChartRequest, object] | None
    keep_images: bool = False
    """Send the chart images back too (the preview paints them; a save needs only the PDF: ~7 MB a chart)."""


@dataclass(frozen=True)
class PlainImage:
    """A chart image as plain bytes (QImage does not cross processes): the very pixels the helper drew."""

    width: int
    height: int
    bytes_per_line: int
    format: int
    pixels: bytes

    @classmethod
    def of(cls, image: QImage) -> PlainImage:
        return cls(image.width(), image.height(), image.bytesPerLine(), image.format().value,
                   bytes(image.constBits()))

    def image(self) -> QImage:
        """The image again (a deep copy; safe on any thread)."""
        return QImage(self.pixels, self.width, self.height, self.bytes_per_line, QImage.Format(self.format)).copy()


@dataclass(frozen=True)
class RenderedReport:
    """A report typeset by a helper: the PDF's bytes, its pages, its possible mentions and the charts drawn."""

    pdf: bytes
    pages: int
    possible_mentions: tuple[MentionOnPage, ...]
    charts: dict[rc.ChartRequest, tuple[tuple[str, PlainImage], ...] | str]
    """Per request its (title, image) pairs, or why it could not be drawn (the PDF carries a note instead)."""

    def save(self, path: str | os.PathLike[str]) -> SavedReport:
        """Write the PDF at ``path`` atomically, owner-only."""
        return SavedReport(write_atomic(path, self.pdf), self.pages, len(self.pdf), self.possible_mentions)

    def chart_source(self) -> ChartSource:
        """A chart source handing out the images drawn in the helper (for the preview: nothing is drawn again)."""
        images = {req: v if isinstance(v, str) else [(title, plain.image()) for title, plain in v]
                  for req, v in self.charts.items()}

        def source(req: rc.ChartRequest, _width_px: int, _height_px: int) -> ChartImages:
            found = images.get(req, "the chart was not drawn")
            if isinstance(found, str):
                raise RuntimeError(found)
            return found

        return source


def render(job: RenderJob, charts: ChartSource | None) -> RenderedReport:
    """Typeset ``job`` in memory with ``charts`` (in a helper: the job's figures; in the caller's thread when no
    helper can start: a source that may draw there), keeping the images drawn if the job asks for them."""
    drawn: dict[rc.ChartRequest, tuple[tuple[str, PlainImage], ...] | str] = {}

    def recording(req: rc.ChartRequest, width_px: int, height_px: int) -> ChartImages:
        assert charts is not None
        try:
            images = charts(req, width_px, height_px)
        except Exception as exc:
            drawn[req] = type(exc).__name__
            raise
        drawn[req] = tuple((title, PlainImage.of(image)) for title, image in images) if job.keep_images else ()
        return images

    pdf, pages, found = render_report(job.content, page_size=job.page_size,
                                      charts=recording if charts is not None else None)
    return RenderedReport(pdf, pages, found, drawn)


def helper_count(reports: int, *, typeset_here: bool) -> int:
    """How many helpers a batch of ``reports`` is worth: the cores not busy (the one-minute load average,
    this process's own work counted as one), none when there are too few reports to repay a helper's start
    (about two reports' time). A batch typeset only in helpers (the window's) always gets at least one."""
    cores = os.cpu_count() or 1
    if not typeset_here:
        return max(1, min(MAX_HELPERS, cores, reports))
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    # A helper on a core already busy only adds its start-up; one with a quarter of a core or more free repays
    # it (12 reports at load ~1.5 on 2 cores: 4.2 s with one helper, 6.1 s without).
    idle = int(cores - max(0.0, load - 1.0) - 1 + 0.75)
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

    def submit_render(self, job: RenderJob) -> Future:
        """Typeset one report in memory; a future of its ``RenderedReport`` (the caller writes the file)."""
        return self._pool.submit(_render, job)

    def close(self, *, wait: bool = True) -> None:
        """Drop the jobs not started and wait for the running ones (each writes its file whole or not at all);
        ``wait=False`` returns at once (the running job ends in the helper, which then exits)."""
        self._pool.shutdown(wait=wait, cancel_futures=True)


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


def _render(job: RenderJob) -> RenderedReport:
    from PySide6.QtCore import QEvent

    try:
        return render(job, PreparedCharts(job.chart_data) if job.chart_data is not None else None)
    finally:
        if _app is not None:
            _app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
