"""Producing reports by kind, one or many, with progress: the shared path of the CLI, the dialog and the benchmark."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from esncoach.reports.atomic import ReportWriteError
from esncoach.reports.charts import ChartSource
from esncoach.reports.pdf_writer import SavedReport, default_file_name, save_report
from esncoach.services import execs as execs_service
from esncoach.services import report_content as rc
from esncoach.services.progress import ProgressSink, no_progress
from esncoach.store.workspace import Workspace


def write_all_exec_summaries(
    ws: Workspace, *, out_dir: str | os.PathLike[str], start: dt.date | None = None, end: dt.date | None = None,
    page_size: str = "auto", charts: ChartSource | None = None, today: dt.date | None = None,
    progress: ProgressSink = no_progress,
) -> list[SavedReport]:
    """One progress summary per active exec in ``out_dir``; each file is written atomically on its own."""
    folder = Path(out_dir).expanduser()
    if not folder.is_dir():
        raise ReportWriteError(f"The folder {folder} does not exist; create it or choose another one.")
    rows = execs_service.list_execs(ws, include_archived=False)
    total = len(rows)
    saved: list[SavedReport] = []
    used: dict[str, int] = {}
    for i, ex in enumerate(rows):
        progress(i, total, f"Progress summary for {ex.name} ({i + 1} of {total})…")
        content = rc.exec_summary(ws, exec_id=ex.id, start=start, end=end, today=today)
        name = default_file_name(content)
        n = used.get(name, 0)
        used[name] = n + 1
        if n:
            name = name.replace(".pdf", f"-{n + 1}.pdf")
        saved.append(save_report(content, folder / name, page_size=page_size, charts=charts))
    progress(total, total, "Done")
    return saved
