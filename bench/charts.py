"""Charts: time to build and first-render an exec's progress page and the portfolio dashboard.

Measured on the demo workspace and on the bench's large workspaces (``large_workspace.py``: 50 and 200 execs,
5 years of daily network and per-exec figures, daily check-ins, fortnightly sessions, scored posts), each
next to the same page with the charts left out (same data read, same side panels and lists, no plots), in
the same run; medians of several runs after one warm-up (which also pays pyqtgraph's import, reported
apart). The figures load on a worker thread: a page counts as done when its charts are built and painted.
Also times a range change on the large page (4 weeks → All → Year, each repainted), an exec switch on a
shown progress tab (until the UI thread is free again, and until the new charts are painted), and
``needs_attention`` on its own. ``BENCH_QUICK=1`` skips the 200-exec workspace. Last line: one JSON object.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

RUNS = int(os.environ.get("BENCH_RUNS", "5"))
QUICK = os.environ.get("BENCH_QUICK") == "1"


def _pump() -> None:
    from PySide6.QtWidgets import QApplication

    QApplication.processEvents()
    QApplication.processEvents()


def _wait_built(widget, timeout_s: float = 120.0) -> None:  # type: ignore[no-untyped-def]
    """Run the event loop until the widget's figures arrived from the worker and its charts were built."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    widget.sig_charts_built.connect(loop.quit)
    QTimer.singleShot(int(timeout_s * 1000), loop.quit)
    loop.exec()
    widget.sig_charts_built.disconnect(loop.quit)


def time_progress(ws, exec_id: int, *, charts: bool) -> float:  # type: ignore[no-untyped-def]
    """Build the progress tab for an exec, show it and paint it once; seconds."""
    from esncoach.views.charts.progress_page import ProgressTab

    cpu = time.process_time()
    start = time.perf_counter()
    tab = ProgressTab(ws)
    tab.charts_enabled = charts
    tab.resize(1100, 1300)
    tab.set_exec(exec_id)
    tab.show()
    _wait_built(tab)
    tab.grab()  # the first full render
    elapsed = time.perf_counter() - start
    CPU.setdefault(f"progress_{charts}", []).append(time.process_time() - cpu)
    assert len(tab.charts) == (5 if charts else 0)
    tab.close()
    tab.deleteLater()
    _pump()
    return elapsed


CPU: dict[str, list[float]] = {}
"""CPU seconds of this process (every thread: the worker that reads the figures too) per measurement."""


def time_dashboard(ws, *, charts: bool) -> float:  # type: ignore[no-untyped-def]
    from esncoach.views.charts.dashboard import DashboardWidget

    cpu = time.process_time()
    start = time.perf_counter()
    dash = DashboardWidget(ws)
    dash.charts_enabled = charts
    dash.resize(1366, 768)
    dash.show()
    _wait_built(dash)
    dash.grab()
    elapsed = time.perf_counter() - start
    CPU.setdefault(f"dashboard_{charts}", []).append(time.process_time() - cpu)
    assert len(dash.charts) == (5 if charts else 0)
    dash.close()
    dash.deleteLater()
    _pump()
    return elapsed


def time_range_change(ws, exec_id: int) -> float:  # type: ignore[no-untyped-def]
    """All → 4 weeks → All on a built page, repainting after each; seconds for the three."""
    from esncoach.views.charts.progress_page import ProgressTab

    tab = ProgressTab(ws)
    tab.resize(1100, 1300)
    tab.set_exec(exec_id)
    tab.show()
    _wait_built(tab)
    tab.grab()
    runs = []
    for _ in range(RUNS):
        start = time.perf_counter()
        for preset in ("4 weeks", "All", "Year"):
            tab.set_range_preset(preset)
            tab.grab()
        runs.append(time.perf_counter() - start)
    tab.close()
    tab.deleteLater()
    return statistics.median(runs)


def time_switch(ws, exec_ids: list[int]) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """Switch a shown progress tab to each exec in turn: (median s the UI thread is busy, median s to painted)."""
    from esncoach.views.charts.progress_page import ProgressTab

    tab = ProgressTab(ws)
    tab.resize(1100, 1300)
    tab.set_exec(exec_ids[0])
    tab.show()
    _wait_built(tab)
    busy, painted = [], []
    for exec_id in exec_ids[1:]:
        start = time.perf_counter()
        tab.set_exec(exec_id)
        tab.grab()  # what the user sees right after the click
        busy.append(time.perf_counter() - start)
        _wait_built(tab)
        tab.grab()
        painted.append(time.perf_counter() - start)
    tab.close()
    tab.deleteLater()
    _pump()
    return statistics.median(busy), statistics.median(painted)


def time_attention(ws) -> float:  # type: ignore[no-untyped-def]
    from esncoach.services.attention import needs_attention

    runs = []
    for _ in range(RUNS):
        cpu = time.process_time()
        start = time.perf_counter()
        needs_attention(ws)
        runs.append(time.perf_counter() - start)
        CPU.setdefault("needs_attention", []).append(time.process_time() - cpu)
    return statistics.median(runs)


def pyqtgraph_import_s() -> float:
    code = "import time; t=time.perf_counter(); import pyqtgraph; print(time.perf_counter()-t)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip())


def main() -> None:
    from PySide6.QtWidgets import QApplication

    from esncoach.demo import build_demo
    from esncoach.services import execs
    from esncoach.store.keys import KeyMaterial
    from esncoach.store.workspace import Workspace
    from large_workspace import large_workspace

    app = QApplication.instance() or QApplication([])  # noqa: F841 - keeps Qt alive
    key = KeyMaterial("raw", "0123456789abcdef" * 4)
    results: dict[str, float] = {}
    sizes = (50,) if QUICK else (50, 200)
    with tempfile.TemporaryDirectory() as tmp:
        demo_path = Path(tmp) / "demo.db"
        with Workspace.open(demo_path, key) as ws:
            build_demo(ws)
        spaces = [("demo", demo_path, key, None, [])]
        for n in sizes:
            lw = large_workspace(n, 5, copy_to=Path(tmp) / f"large{n}.db")  # a copy: other benches may hold the cache
            spaces.append((f"large{n}", lw.path, lw.key, lw.busiest_exec_id, lw.exec_ids[:RUNS + 1]))
        for label, path, k, busiest, ids in spaces:
            with Workspace.open(path, k) as ws:
                exec_id = execs.find_exec(ws, "Amelia Hart").id if label == "demo" else busiest
                # Interleave with and without charts so drift in machine load hits both alike.
                with_c, without = [], []
                time_progress(ws, exec_id, charts=True)
                time_progress(ws, exec_id, charts=False)
                for _ in range(RUNS):
                    with_c.append(time_progress(ws, exec_id, charts=True))
                    without.append(time_progress(ws, exec_id, charts=False))
                results[f"{label}_progress_s"] = statistics.median(with_c)
                results[f"{label}_progress_baseline_s"] = statistics.median(without)
                with_c, without = [], []
                time_dashboard(ws, charts=True)
                time_dashboard(ws, charts=False)
                for _ in range(RUNS):
                    with_c.append(time_dashboard(ws, charts=True))
                    without.append(time_dashboard(ws, charts=False))
                results[f"{label}_dashboard_s"] = statistics.median(with_c)
                results[f"{label}_dashboard_baseline_s"] = statistics.median(without)
                results[f"{label}_needs_attention_s"] = time_attention(ws)
                for name, values in CPU.items():
                    results[f"{label}_{name.replace('_True', '').replace('_False', '_baseline')}_cpu_s"] = \
                        statistics.median(values)
                CPU.clear()
                if label != "demo":
                    results[f"{label}_range_changes_s"] = time_range_change(ws, exec_id)
                    busy, painted = time_switch(ws, ids)
                    results[f"{label}_switch_ui_busy_s"] = busy
                    results[f"{label}_switch_painted_s"] = painted
    results["pyqtgraph_import_s"] = pyqtgraph_import_s()
    for label, *_rest in spaces:
        for page in ("progress", "dashboard"):
            a, b = results[f"{label}_{page}_s"], results[f"{label}_{page}_baseline_s"]
            print(f"{label:8} {page:9}: with charts {a:.3f} s, charts left out {b:.3f} s (median of {RUNS})")
        print(f"{label:8} needs_attention: {results[f'{label}_needs_attention_s']:.3f} s")
        print(f"{label:8} CPU: dashboard {results[f'{label}_dashboard_cpu_s']:.3f} s, progress "
              f"{results[f'{label}_progress_cpu_s']:.3f} s, needs_attention {results[f'{label}_needs_attention_cpu_s']:.3f} s")
        if label != "demo":
            print(f"{label:8} 3 range changes {results[f'{label}_range_changes_s']:.3f} s; exec switch: UI busy "
                  f"{results[f'{label}_switch_ui_busy_s']:.3f} s, painted {results[f'{label}_switch_painted_s']:.3f} s")
    print(f"import pyqtgraph (fresh process): {results['pyqtgraph_import_s']:.3f} s")
    print(json.dumps({"bench": "charts", "runs": RUNS, **{k: round(v, 3) for k, v in results.items()}}))


if __name__ == "__main__":
    main()
