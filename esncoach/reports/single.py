"""One report at a time off the window's thread: the report dialog's Save PDF and its preview.

The caller (a worker thread) reads the content and the charts' figures; a helper process
(``esncoach.reports.helpers``) typesets the PDF and draws the charts, so nothing of it holds the window.
One helper is kept for the dialog's life, so a second save or preview does not pay its start-up again.
``render`` waits for it while looking at Cancel; the file is written by the caller, only once the helper
is done, so a cancelled save leaves nothing on disk. When no helper can start, ``render`` typesets in the
caller's thread with the chart source it is given (the dialog's draws on the UI thread for the worker).
"""

from __future__ import annotations

import threading
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool

from esncoach.reports import helpers
from esncoach.reports.charts import ChartSource
from esncoach.reports.pdf_writer import resolve_page_size
from esncoach.services import report_content as rc
from esncoach.services.progress import Cancelled, ProgressSink

WAIT_S = 0.1
"""How often a report waiting for its helper looks at Cancel."""

STEPS = 3
"""Progress steps of one report: the content, the charts' figures, typesetting (then the file)."""


def render_job(content: rc.ReportContent, *, page_size: str, charts: ChartSource | None,
               keep_images: bool = False) -> helpers.RenderJob:
    """The helper's job for ``content``: the page size resolved here (where the app's locale is set) and the
    figures of its charts read here (None when the charts are left out or cannot be drawn from figures);
    ``keep_images``: the chart images come back too (for the preview)."""
    prepare = getattr(charts, "prepare", None)
    data = {req: prepare(req) for req in content.charts} if charts is not None and prepare is not None else None
    return helpers.RenderJob(content, resolve_page_size(page_size), data, keep_images)


class SingleReportHelper:
    """A helper process for one report at a time, started on first use and kept until ``close``."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pool: helpers.HelperPool | None = None
        self.failed = False
        """True once a helper could not start: later reports go straight to the caller's own thread."""

    def render(self, job: helpers.RenderJob, progress: ProgressSink, message: str, *,
               charts_here: ChartSource | None) -> helpers.RenderedReport:
        """Typeset ``job`` in the helper, or in this thread with ``charts_here`` if no helper can start.
        ``progress(2, STEPS, message)`` is called every ``WAIT_S`` while waiting (so Cancel works: it raises
        ``Cancelled``)."""
        if not self.failed:
            found = self._in_helper(job, progress, message)
            if found is not None:
                return found
        progress(2, STEPS, message)
        return helpers.render(job, charts_here if job.chart_data is not None else None)

    def _in_helper(self, job: helpers.RenderJob, progress: ProgressSink, message: str,
                   ) -> helpers.RenderedReport | None:
        try:
            with self._lock:
                if self._pool is None:
                    self._pool = helpers.HelperPool(1, background=True)
                pool = self._pool
            future = pool.submit_render(job)
            while True:
                progress(2, STEPS, message)
                try:
                    return future.result(timeout=WAIT_S)
                except FutureTimeout:
                    continue
        except Cancelled:
            future.cancel()
            self._drop()  # the helper finishes its job and exits; its result is dropped, no file is written
            raise
        except (BrokenProcessPool, OSError, RuntimeError):  # no helper could start (or it died): typeset here
            self.failed = True
            self._drop()
            return None

    def _drop(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.close(wait=False)

    def close(self) -> None:
        """Let the helper go (it exits once its current job, if any, is done); never waits."""
        self._drop()
