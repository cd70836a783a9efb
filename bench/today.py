"""How long the Today overview takes on a large programme, next to what it reuses, in the same run.

The Today window (and its start-up appearance) computes ``services.today.overview``; the reminders ask
``services.reminders.due_reminders`` every minute. The overview reuses ``attention.needs_attention`` and
``ladder.suggestions`` — the same work the existing Needs-attention window does — so that pair is the
baseline: Today's own cost is the difference. Runs on the cached large workspace (``large_workspace.py``,
200 execs × 5 years by default; ``BENCH_QUICK=1`` for 50 × 5). Reports medians of wall and CPU time
(the machine is shared: CPU says more). Then, as the app does at start-up, runs the overview on a
``run_task`` worker while a 10 ms QTimer ticks on the UI thread, and reports how late the ticks came
(idle first, as the baseline): the window stays responsive while Today is read. Last line: one JSON object.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from large_workspace import large_workspace  # noqa: E402

from esncoach.services import attention, ladder, reminders, today  # noqa: E402
from esncoach.store.workspace import Workspace  # noqa: E402

QUICK = os.environ.get("BENCH_QUICK") == "1"
REPEATS = 3 if QUICK else 5


def _time(fn: Any) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def _median(samples: list[tuple[float, float]]) -> dict[str, float]:
    return {"wall_ms": round(statistics.median(s[0] for s in samples) * 1000, 1),
            "cpu_ms": round(statistics.median(s[1] for s in samples) * 1000, 1)}


def main() -> None:
    execs = 50 if QUICK else 200
    lw = large_workspace(execs, 5, copy_to=Path(tempfile.mkdtemp()) / "today.db")
    results: dict[str, list[tuple[float, float]]] = {"overview": [], "baseline": [], "reminders": []}
    with Workspace.open(lw.path, lw.key) as ws:
        overview = today.overview(ws)  # warm the page cache once
        for _ in range(REPEATS):
            results["baseline"].append(_time(lambda: (attention.needs_attention(ws), ladder.suggestions(ws))))
            results["overview"].append(_time(lambda: today.overview(ws)))
            results["reminders"].append(_time(lambda: reminders.due_reminders(ws)))
        latency = _ui_latency(ws)
    out = {k: _median(v) for k, v in results.items()}
    own = round(out["overview"]["cpu_ms"] - out["baseline"]["cpu_ms"], 1)
    for name, figures in out.items():
        print(f"{name:<10} {figures['wall_ms']:>9.1f} ms wall {figures['cpu_ms']:>9.1f} ms CPU", file=sys.stderr)
    print(f"UI ticks: {latency}", file=sys.stderr)
    print(json.dumps({"bench": "today", "execs": execs, "years": 5, "repeats": REPEATS,
                      "items": len(overview.items()), **out, "today_own_cpu_ms": own, "ui_tick": latency}))


def _ui_latency(ws: Workspace) -> dict[str, float]:
    """Gaps between 10 ms timer ticks on the UI thread: 2 s idle, then while a worker reads the overview."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QWidget

    from esncoach.views.tasks import run_task

    app = QApplication.instance() or QApplication([])
    widget = QWidget()
    gaps: list[float] = []
    idle: list[float] = []
    last = [time.perf_counter()]

    def _tick() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    def _start() -> None:
        idle.extend(gaps)
        gaps.clear()
        run_task(widget, "", lambda _p: today.overview(ws), lambda _r: QTimer.singleShot(0, app.quit),
                 show_progress=False)

    timer = QTimer()
    timer.timeout.connect(_tick)
    timer.start(10)
    QTimer.singleShot(2000, _start)
    app.exec()
    timer.stop()

    def _ms(values: list[float], q: float) -> float:
        return round(sorted(values)[min(len(values) - 1, int(len(values) * q))] * 1000, 1)

    return {"idle_p50_ms": _ms(idle, 0.5), "idle_max_ms": _ms(idle, 1.0), "busy_p50_ms": _ms(gaps, 0.5),
            "busy_p95_ms": _ms(gaps, 0.95), "busy_max_ms": _ms(gaps, 1.0), "busy_s": round(sum(gaps), 1)}


if __name__ == "__main__":
    main()
