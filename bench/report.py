"""PDF report speed on the demo workspace: seconds per exec progress summary and for the whole batch
(one summary per exec, as ``esncoach report --all-execs``), with the time spent rendering charts apart.

The batch is timed as the CLI runs it (``batch_s``: helper processes typeset beside this one on the cores
the load average leaves idle, their start included; ``batch_helpers`` says how many it started), with one
helper whatever the load (``batch_one_helper_s``, with the CPU spent here and in the helper: on an idle
2-core machine the wall time approaches the larger of the two) and all in this process
(``batch_in_process_s``, with its chart time).

Baseline, measured in the same run: a one-page PDF of a short QTextDocument through QPdfWriter (the bare
cost of Qt's PDF output on this machine). Medians over several runs. Last line: one JSON object.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

RUNS = int(os.environ.get("BENCH_RUNS", "3"))


def cpu(who: int) -> float:
    """CPU seconds (user + system) used so far by this process, or by its ended children (the helpers)."""
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def baseline_pdf(folder: Path) -> float:
    from PySide6.QtGui import QPageSize, QPainter, QPdfWriter, QTextDocument

    t0 = time.perf_counter()
    writer = QPdfWriter(str(folder / "baseline.pdf"))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setResolution(600)
    doc = QTextDocument()
    doc.documentLayout().setPaintDevice(writer)
    doc.setHtml("<h1>Baseline</h1>" + "<p>A paragraph of ordinary text for the baseline page.</p>" * 20)
    doc.setTextWidth(writer.width())
    painter = QPainter(writer)
    doc.drawContents(painter)
    painter.end()
    return time.perf_counter() - t0


def main() -> None:
    from PySide6.QtWidgets import QApplication

    app = QApplication(["bench"])  # noqa: F841 - the app's charts are widgets
    from esncoach.demo import build_demo
    from esncoach.reports import batch, helpers, pdf_writer
    from esncoach.reports.charts import TimedCharts, app_charts
    from esncoach.services import execs
    from esncoach.services import report_content as rc
    from esncoach.store.keys import KeyMaterial
    from esncoach.store.workspace import Workspace

    key = KeyMaterial("raw", "0123456789abcdef" * 4)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        ws = Workspace.open(folder / "demo.db", key)
        build_demo(ws)
        source = app_charts(ws)
        if source is None:
            raise SystemExit("the chart export is not available")
        ids = [e.id for e in execs.list_execs(ws, include_archived=False)]
        baseline_pdf(folder)  # warm up fonts
        pdf_writer.save_report(rc.exec_summary(ws, exec_id=ids[0]), folder / "warm.pdf", charts=source)

        base, per_exec, per_exec_charts, per_exec_content, batches, batch_charts, port, port_charts = ([] for _ in range(8))
        alone, alone_cpu, one_helper, batch_cpu, used, embed = [], [], [], [], [], []
        for run in range(RUNS):
            base.append(baseline_pdf(folder))
            for exec_id in ids:
                timed = TimedCharts(source)
                t0 = time.perf_counter()
                content = rc.exec_summary(ws, exec_id=exec_id)
                t1 = time.perf_counter()
                drawn: dict = {}
                pdf_writer.save_report(content, folder / f"e{exec_id}.pdf",
                                       charts=lambda req, w, h: drawn.setdefault(req, timed(req, w, h)))  # noqa: B023
                per_exec.append(time.perf_counter() - t0)
                per_exec_content.append(t1 - t0)
                per_exec_charts.append(timed.seconds)
                if run == 0:  # what Qt's PDF engine spends embedding the chart images (it JPEG-encodes each one)
                    t0 = time.perf_counter()
                    pdf_writer.render_pdf(content, charts=lambda req, _w, _h: drawn[req])  # noqa: B023
                    t1 = time.perf_counter()
                    pdf_writer.render_pdf(content, charts=None)
                    embed.append((t1 - t0) - (time.perf_counter() - t1))
            out = folder / f"batch{run}"
            out.mkdir()
            used.append(helpers.helper_count(len(ids), typeset_here=True))  # what the batch below will start
            t0 = time.perf_counter()
            batch.write_all_exec_summaries(ws, out_dir=out, charts=source)
            batches.append(time.perf_counter() - t0)
            out = folder / f"one{run}"
            out.mkdir()
            t0, here0, helpers0 = time.perf_counter(), cpu(resource.RUSAGE_SELF), cpu(resource.RUSAGE_CHILDREN)
            batch.write_all_exec_summaries(ws, out_dir=out, charts=source, helper_processes=1)
            one_helper.append(time.perf_counter() - t0)
            batch_cpu.append((cpu(resource.RUSAGE_SELF) - here0, cpu(resource.RUSAGE_CHILDREN) - helpers0))
            out = folder / f"alone{run}"
            out.mkdir()
            timed = TimedCharts(source)
            t0, here0 = time.perf_counter(), cpu(resource.RUSAGE_SELF)
            batch.write_all_exec_summaries(ws, out_dir=out, charts=timed, helper_processes=0)
            alone.append(time.perf_counter() - t0)
            alone_cpu.append(cpu(resource.RUSAGE_SELF) - here0)
            batch_charts.append(timed.seconds)
            timed = TimedCharts(source)
            t0 = time.perf_counter()
            pdf_writer.save_report(rc.portfolio_summary(ws), folder / "portfolio.pdf", charts=timed)
            port.append(time.perf_counter() - t0)
            port_charts.append(timed.seconds)
        ws.close()

    med = statistics.median
    result = {
        "bench": "report",
        "execs": len(ids),
        "runs": RUNS,
        "baseline_pdf_s": round(med(base), 4),
        "exec_summary_s": round(med(per_exec), 3),
        "exec_summary_charts_s": round(med(per_exec_charts), 3),
        "exec_summary_content_s": round(med(per_exec_content), 3),
        "exec_summary_typeset_s": round(med(per_exec) - med(per_exec_charts) - med(per_exec_content), 3),
        "exec_summary_image_embedding_s": round(med(embed), 3),
        "batch_s": round(med(batches), 3),
        "batch_helpers": statistics.median_low(used),
        "batch_one_helper_s": round(med(one_helper), 3),
        "batch_cpu_here_s": round(med(c[0] for c in batch_cpu), 3),
        "batch_cpu_helpers_s": round(med(c[1] for c in batch_cpu), 3),
        "batch_in_process_s": round(med(alone), 3),
        "batch_in_process_cpu_s": round(med(alone_cpu), 3),
        "batch_charts_s": round(med(batch_charts), 3),
        "portfolio_s": round(med(port), 3),
        "portfolio_charts_s": round(med(port_charts), 3),
    }
    result["exec_summary_vs_baseline"] = round(result["exec_summary_s"] / result["baseline_pdf_s"], 1)
    print(f"baseline one-page PDF:      median {result['baseline_pdf_s']:.4f} s")
    print(f"exec progress summary:      median {result['exec_summary_s']:.3f} s "
          f"(charts {result['exec_summary_charts_s']:.3f} s, content {result['exec_summary_content_s']:.3f} s)")
    print(f"  of its typesetting, embedding the chart images: {result['exec_summary_image_embedding_s']:.3f} s")
    print(f"all {len(ids)} exec summaries:     median {result['batch_s']:.3f} s with {result['batch_helpers']} helper "
          f"process(es); {result['batch_in_process_s']:.3f} s in this process alone "
          f"(charts {result['batch_charts_s']:.3f} s)")
    print(f"  with one helper whatever the load: {result['batch_one_helper_s']:.3f} s; CPU "
          f"{result['batch_cpu_here_s']:.3f} s here + {result['batch_cpu_helpers_s']:.3f} s in the helper; "
          f"{result['batch_in_process_cpu_s']:.3f} s alone (a busy machine stretches wall time, not these)")
    print(f"sponsor portfolio summary:  median {result['portfolio_s']:.3f} s (charts {result['portfolio_charts_s']:.3f} s)")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
