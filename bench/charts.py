"""Charts: time to build and first-render an exec's progress page and the portfolio dashboard.

Measured on the demo workspace and on a generated large one (50 execs, 5 years of daily network and
per-exec figures, daily check-ins, weekly sessions, scored posts), each next to the same page with the
charts left out (same data read, same side panels and lists, no plots), in the same run; medians of
several runs after one warm-up (which also pays pyqtgraph's import, reported apart). Also times a range
change on the large page (All → 4 weeks → All, each repainted), where downsampling and clip-to-view work.
Last line: one JSON object.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

RUNS = int(os.environ.get("BENCH_RUNS", "5"))
LARGE_EXECS = 50
LARGE_YEARS = 5


def build_large(path: Path, key, today: dt.date) -> int:  # type: ignore[no-untyped-def]
    """A workspace with 50 execs and five years of daily figures; returns the busiest exec's id."""
    from sqlalchemy import insert

    from esncoach.models import (
        CheckIn,
        CheckInResult,
        CoachingSession,
        Exec,
        Habit,
        HabitSchedule,
        LadderStage,
        MetricSample,
        PracticePost,
        Revision,
        RubricScore,
        SessionStatus,
        StageChange,
    )
    from esncoach.store.workspace import Workspace

    rng = random.Random(5)
    days = LARGE_YEARS * 365
    first = today - dt.timedelta(days=days)
    stages = list(LadderStage)
    criteria = ["authentic voice", "clarity", "brevity for the kind", "invites a response", "strategic alignment",
                "tone"]
    with Workspace.open(path, key) as ws, ws.session() as s:
        execs = []
        for i in range(LARGE_EXECS):
            start = first + dt.timedelta(days=rng.randrange(0, days // 3))
            ex = Exec(name=f"Exec {i:02d}", title="VP", joined_network=start + dt.timedelta(days=60),
                      stage=stages[min(5, i % 6 + (1 if i < 10 else 0))])
            s.add(ex)
            execs.append((ex, start))
        s.flush()
        stage_rows, habit_rows, session_rows, metric_rows = [], [], [], []
        for ex, start in execs:
            prev = None
            for r in range(ex.stage.rank + 1):
                on = start + dt.timedelta(days=r * (days - (start - first).days) // (ex.stage.rank + 2))
                stage_rows.append({"exec_id": ex.id, "from_stage": prev.value if prev else None,
                                   "stage": stages[r].value, "changed_on": on, "reason": "bench"})
                prev = stages[r]
            habit = Habit(exec_id=ex.id, description="Like a post a day", schedule=HabitSchedule.DAILY, times=1,
                          period_days=1, started_on=start)
            s.add(habit)
            s.flush()
            d = start
            while d < today:
                roll = rng.random()
                result = CheckInResult.DONE if roll < 0.8 else CheckInResult.MISSED if roll < 0.95 else CheckInResult.SKIPPED
                habit_rows.append({"habit_id": habit.id, "day": d, "result": result.value, "note": ""})
                d += dt.timedelta(days=1)
            n = 0
            d = start
            while d < today + dt.timedelta(days=14):
                n += 1
                status = SessionStatus.HELD if d < today else SessionStatus.PLANNED
                session_rows.append({"exec_id": ex.id, "kind": "one_on_one", "status": status.value,
                                     "title": f"Session {n}", "starts_at": dt.datetime.combine(d, dt.time(9)),
                                     "duration_min": 30, "agenda": "", "notes": "", "outcomes": ""})
                d += dt.timedelta(days=14)
            for k in range(12):
                post = PracticePost(exec_id=ex.id, title=f"Post {k}")
                s.add(post)
                s.flush()
                rev = Revision(post_id=post.id, number=1, text="Draft")
                rev.created_at = dt.datetime.combine(start + dt.timedelta(days=60 + 30 * k), dt.time(12))
                s.add(rev)
                s.flush()
                for c in criteria:
                    s.add(RubricScore(revision_id=rev.id, criterion=c, score=rng.randint(1, 5)))
            d = start
            while d < today:
                for m, base in (("messages", 2), ("replies", 4), ("likes", 9), ("replies_received", 5)):
                    metric_rows.append({"exec_id": ex.id, "metric": m, "period_start": d, "period_end": d,
                                        "value": float(rng.randint(0, base * 2)), "source": "bench"})
                d += dt.timedelta(days=1)
        for i in range(days):
            d = first + dt.timedelta(days=i)
            for m, base in (("messages", 900), ("replies", 1700), ("likes", 4000), ("reads", 20000)):
                metric_rows.append({"exec_id": None, "metric": m, "period_start": d, "period_end": d,
                                    "value": float(base * rng.uniform(0.8, 1.2)), "source": "bench"})
        s.execute(insert(StageChange.__table__), stage_rows)
        s.execute(insert(CheckIn.__table__), habit_rows)
        s.execute(insert(CoachingSession.__table__), session_rows)
        for i in range(0, len(metric_rows), 20_000):
            s.execute(insert(MetricSample.__table__), metric_rows[i:i + 20_000])
        return execs[0][0].id


def _pump() -> None:
    from PySide6.QtWidgets import QApplication

    QApplication.processEvents()
    QApplication.processEvents()


def time_progress(ws, exec_id: int, *, charts: bool) -> float:  # type: ignore[no-untyped-def]
    """Build the progress tab for an exec, show it and paint it once; seconds."""
    from esncoach.views.charts.progress_page import ProgressTab

    start = time.perf_counter()
    tab = ProgressTab(ws)
    tab.charts_enabled = charts
    tab.resize(1100, 1300)
    tab.set_exec(exec_id)
    tab.show()
    _pump()
    tab.grab()  # the first full render
    elapsed = time.perf_counter() - start
    assert len(tab.charts) == (5 if charts else 0)
    tab.close()
    tab.deleteLater()
    _pump()
    return elapsed


def time_dashboard(ws, *, charts: bool) -> float:  # type: ignore[no-untyped-def]
    from esncoach.views.charts.dashboard import DashboardWidget

    start = time.perf_counter()
    dash = DashboardWidget(ws)
    dash.charts_enabled = charts
    dash.resize(1366, 768)
    dash.show()
    _pump()
    dash.grab()
    elapsed = time.perf_counter() - start
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
    _pump()
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

    app = QApplication.instance() or QApplication([])  # noqa: F841 - keeps Qt alive
    key = KeyMaterial("raw", "0123456789abcdef" * 4)
    today = dt.date.today()
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        demo_path, large_path = Path(tmp) / "demo.db", Path(tmp) / "large.db"
        with Workspace.open(demo_path, key) as ws:
            build_demo(ws)
        t = time.perf_counter()
        large_exec = build_large(large_path, key, today)
        print(f"generated the large workspace ({LARGE_EXECS} execs, {LARGE_YEARS} years daily) "
              f"in {time.perf_counter() - t:.1f} s")
        for label, path in (("demo", demo_path), ("large", large_path)):
            with Workspace.open(path, key) as ws:
                exec_id = execs.find_exec(ws, "Amelia Hart").id if label == "demo" else large_exec
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
                if label == "large":
                    results["large_range_changes_s"] = time_range_change(ws, exec_id)
    results["pyqtgraph_import_s"] = pyqtgraph_import_s()
    for label in ("demo", "large"):
        for page in ("progress", "dashboard"):
            a, b = results[f"{label}_{page}_s"], results[f"{label}_{page}_baseline_s"]
            print(f"{label:5} {page:9}: with charts {a:.3f} s, charts left out {b:.3f} s (median of {RUNS})")
    print(f"large progress page, 3 range changes each repainted: {results['large_range_changes_s']:.3f} s")
    print(f"import pyqtgraph (fresh process): {results['pyqtgraph_import_s']:.3f} s")
    print(json.dumps({"bench": "charts", "runs": RUNS, **{k: round(v, 3) for k, v in results.items()}}))


if __name__ == "__main__":
    main()
