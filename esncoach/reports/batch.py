"""Producing reports by kind, one or many, with progress: the shared path of the CLI, the dialog and the benchmark."""

from __future__ import annotations

import datetime as dt
import os
from concurrent.futures import FIRST_COMPLETED, Future, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from esncoach.reports import helpers
from esncoach.reports.atomic import ReportWriteError
from esncoach.reports.charts import ChartSource
from esncoach.reports.pdf_writer import SavedReport, default_file_name, resolve_page_size, save_report
from esncoach.services import execs as execs_service
from esncoach.services import report_content as rc
from esncoach.services.progress import ProgressSink, no_progress
from esncoach.store.workspace import Workspace

WAIT_S = 0.1
"""How often a batch waiting for its helpers looks at Cancel."""


def write_all_exec_summaries(
    ws: Workspace, *, out_dir: str | os.PathLike[str], start: dt.date | None = None, end: dt.date | None = None,
    page_size: str = "auto", charts: ChartSource | None = None, today: dt.date | None = None,
    progress: ProgressSink = no_progress, helper_processes: int | None = None, typeset_here: bool = True,
) -> list[SavedReport]:
    """One progress summary per active exec in ``out_dir``; each file is written atomically on its own.

    The figures are read here; the PDFs are typeset by ``helper_processes`` helpers (None: one per spare
    core, see ``helpers.helper_count``) and, with ``typeset_here``, in this thread too. Helpers draw the
    app's charts from the figures ``charts.prepare`` reads; a source without ``prepare`` is drawn here
    only. ``typeset_here=False`` (the dialog's worker, which may not build chart widgets) leaves every
    report to the helpers, run at a lower priority than the window, and to ``charts`` only if the helpers
    cannot start.
    """
    folder = Path(out_dir).expanduser()
    if not folder.is_dir():
        raise ReportWriteError(f"The folder {folder} does not exist; create it or choose another one.")
    rows = execs_service.list_execs(ws, include_archived=False)
    total = len(rows)
    prepare = getattr(charts, "prepare", None)
    if helper_processes is None:
        helper_processes = helpers.helper_count(total, typeset_here=typeset_here)
    pool = (helpers.HelperPool(helper_processes, background=not typeset_here)
            if helper_processes > 0 and (charts is None or prepare) else None)
    page = resolve_page_size(page_size)  # here, where the app's locale is set
    saved: dict[int, SavedReport] = {}
    running: dict[Future, tuple[int, helpers.TypesetJob]] = {}

    def collect(block: bool) -> None:
        done, _ = wait(running, timeout=WAIT_S if block else 0, return_when=FIRST_COMPLETED)
        for future in done:
            i, job = running.pop(future)
            try:
                saved[i] = future.result()
            except BrokenProcessPool:  # a helper died (killed, out of memory): typeset its report here
                saved[i] = save_report(job.content, job.path, page_size=job.page_size, charts=charts)

    used: dict[str, int] = {}
    try:
        for i, ex in enumerate(rows):
            progress(len(saved), total, f"Progress summary for {ex.name} ({i + 1} of {total})…")
            content = rc.exec_summary(ws, exec_id=ex.id, start=start, end=end, today=today)
            name = default_file_name(content)
            n = used.get(name, 0)
            used[name] = n + 1
            if n:
                name = name.replace(".pdf", f"-{n + 1}.pdf")
            collect(block=False)
            # Two jobs per helper keep it busy while this thread reads the next exec or typesets one itself.
            if pool is not None and (not typeset_here or len(running) < 2 * pool.size):
                data = {req: prepare(req) for req in content.charts} if charts is not None and prepare else None
                job = helpers.TypesetJob(content, folder / name, page, data)
                try:
                    running[pool.submit(job)] = (i, job)
                    continue
                except (BrokenProcessPool, OSError, RuntimeError):  # no helper could start: the rest is typeset here
                    pool.close()
                    pool = None
            saved[i] = save_report(content, folder / name, page_size=page, charts=charts)
        while running:
            progress(len(saved), total, f"Finishing the progress summaries ({len(saved)} of {total} done)…")
            collect(block=True)
    finally:
        if pool is not None:
            pool.close()
    progress(total, total, "Done")
    return [saved[i] for i in range(total)]
