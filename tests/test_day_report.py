"""A new exec's PDF: the default period spans their data, a short period says so, their own rows are in."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path

from pypdf import PdfReader

from esncoach.reports import pdf_writer
from esncoach.services import execs, metrics
from esncoach.services import report_content as rc
from esncoach.services.metrics import ManualPeriod
from esncoach.store.workspace import Workspace


def pdf_text(path: Path) -> str:
    text = " ".join(p.extract_text() or "" for p in PdfReader(str(path)).pages)
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text))


def test_new_exec_with_imported_figures_gets_the_span_of_their_data(qtbot, demo_ws: Workspace, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    today = dt.date.today()
    joined = today - dt.timedelta(days=40)
    marcus = execs.add_exec(demo_ws, name="Marcus Lee", title="CFO", joined=joined)
    weeks = [(today - dt.timedelta(days=7 * (n + 1)), today - dt.timedelta(days=7 * n + 1)) for n in range(12)]
    metrics.save_manual_figures(demo_ws, exec_id=marcus, periods=[
        ManualPeriod(start, end, {"messages": 3 + n % 4, "likes": 10 + n}) for n, (start, end) in enumerate(weeks)])
    start, end = rc.default_period(demo_ws, exec_id=marcus, today=today)
    assert (start, end) == (weeks[-1][0], today)
    content = rc.exec_summary(demo_ws, exec_id=marcus, today=today)
    saved = pdf_writer.save_report(content, tmp_path / "marcus.pdf", page_size="A4")
    text = pdf_text(saved.path)
    assert "No figures for this executive" not in text
    assert "Marcus's own, per day" in text  # the before/after rows the Engagement tab shows
    assert "days only" not in text


def test_a_period_under_two_weeks_says_so(qtbot, demo_ws: Workspace, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    chen = execs.find_exec(demo_ws, "Chen Wei")
    today = dt.date.today()
    content = rc.exec_summary(demo_ws, exec_id=chen.id, start=today - dt.timedelta(days=4), end=today, today=today)
    saved = pdf_writer.save_report(content, tmp_path / "chen.pdf", page_size="A4")
    assert "This report covers 5 days only" in pdf_text(saved.path)
