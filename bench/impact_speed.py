"""How long the adjusted impact takes: one exec (all metrics, placebos included) and a 50-exec portfolio.

Targets (issue #14): one exec's impact, all metrics, in <= 50 ms in process; the portfolio of 50 execs with
two years of daily network figures in <= 2 s. Measured warm (statsmodels imported once first; start-up
does not pay for it because it is imported lazily). The baseline, measured in the same run, is the old
raw before/after comparison (bootstrap) for the same metrics. Medians; CPU time beside wall time because
the machine is shared. IMPACT_SPEED_QUICK=1 for fewer repeats. Last line: one JSON object.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from esncoach.demo import build_demo  # noqa: E402
from esncoach.imports import import_file  # noqa: E402
from esncoach.services import execs, impact, impact_adjusted  # noqa: E402
from esncoach.services import metrics as metrics_service  # noqa: E402
from esncoach.store.keys import KeyMaterial  # noqa: E402
from esncoach.store.workspace import Workspace  # noqa: E402

QUICK = os.environ.get("IMPACT_SPEED_QUICK") == "1"
REPEATS = 5 if QUICK else 15
PORTFOLIO_REPEATS = 1 if QUICK else 3
KEY = KeyMaterial("raw", "0123456789abcdef" * 4)
EXEC_TARGET_MS = 50.0
PORTFOLIO_TARGET_S = 2.0


def measure(fn: Callable[[], object], repeats: int) -> tuple[float, float]:
    """Median wall and CPU seconds over ``repeats`` calls."""
    walls, cpus = [], []
    for _ in range(repeats):
        w, c = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    return statistics.median(walls), statistics.median(cpus)


def portfolio_workspace(path: Path, n_execs: int = 50, years: int = 2) -> None:
    """50 execs joining over two years, with daily network figures (4 metrics) and a lift at each join."""
    rng = np.random.default_rng(14)
    days = 365 * years
    first = dt.date(2024, 1, 1)
    joins = sorted(first + dt.timedelta(days=int(d)) for d in rng.integers(90, days - 30, size=n_execs))
    with Workspace.open(path, KEY) as ws:
        for i, j in enumerate(joins):
            execs.add_exec(ws, name=f"Exec {i:02d} Bench", joined=j.isoformat())
        lines = ["date,messages,replies,likes,reads"]
        for k in range(days):
            day = first + dt.timedelta(days=k)
            lift = np.prod([1.03 for j in joins if j <= day])
            week = 0.4 if day.weekday() >= 5 else 1.0
            vals = [rng.poisson(base * week * lift * (1 + 0.0005 * k)) for base in (200, 400, 900, 5000)]
            lines.append(day.isoformat() + "," + ",".join(str(v) for v in vals))
        csv = path.with_suffix(".csv")
        csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
        import_file(ws, csv)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        demo = Path(tmp) / "demo.db"
        with Workspace.open(demo, KEY) as ws:
            build_demo(ws)
        with Workspace.open(demo, KEY) as ws:
            ceo = execs.find_exec(ws, "Amelia Hart")
            impact.exec_impact(ws, exec_id=ceo.id)  # warm: statsmodels imported, caches filled
            wall, cpu = measure(lambda: impact.exec_impact(ws, exec_id=ceo.id), REPEATS)
            metrics = [m for m in impact.NETWORK_METRICS]
            base_wall, base_cpu = measure(
                lambda: [impact._impact_for(ws, None, m, ceo.joined, 30) for m in metrics], REPEATS)
            # The adjusted part alone (series already read): models, placebos and guards for 4 metrics.
            me = impact_adjusted.JoinDate(ceo.id, ceo.name, ceo.joined)
            joins = impact_adjusted.join_dates(ws)
            start = impact_adjusted.history_start(ceo.joined, 30)
            series = {m: metrics_service.daily_series(ws, exec_id=None, metric=m, start=start,
                                                      end=ceo.joined + dt.timedelta(days=29)) for m in metrics}
            adj_wall, adj_cpu = measure(lambda: [impact_adjusted.adjusted_effect(
                m, series[m], me=me, days=30, joins=joins) for m in metrics], REPEATS)
        big = Path(tmp) / "portfolio.db"
        portfolio_workspace(big)
        with Workspace.open(big, KEY) as ws:
            result = impact_adjusted.portfolio_impact(ws, days=30)
            assert len(result.execs) == 50
            p_wall, p_cpu = measure(lambda: impact_adjusted.portfolio_impact(ws, days=30), PORTFOLIO_REPEATS)
            joins = impact_adjusted.join_dates(ws)
            pb_wall, pb_cpu = measure(
                lambda: [impact._impact_for(ws, None, m, j.joined, 30) for j in joins for m in metrics], 1)
    print(f"one exec (demo CEO, {len(metrics)} network + own metrics, 20 placebos each): "
          f"{wall * 1000:.1f} ms wall, {cpu * 1000:.1f} ms CPU (raw-only baseline {base_wall * 1000:.1f} ms wall, "
          f"{base_cpu * 1000:.1f} ms CPU); the adjusted models alone {adj_wall * 1000:.1f} ms wall, "
          f"{adj_cpu * 1000:.1f} ms CPU")
    print(f"portfolio (50 execs, 2 years, 4 metrics): {p_wall:.2f} s wall, {p_cpu:.2f} s CPU "
          f"(raw-only baseline {pb_wall:.2f} s)")
    print(json.dumps({
        "one_exec_ms": round(wall * 1000, 1), "one_exec_cpu_ms": round(cpu * 1000, 1),
        "one_exec_raw_baseline_ms": round(base_wall * 1000, 1), "one_exec_raw_baseline_cpu_ms": round(base_cpu * 1000, 1),
        "one_exec_adjusted_only_ms": round(adj_wall * 1000, 1), "one_exec_adjusted_only_cpu_ms": round(adj_cpu * 1000, 1),
        "portfolio_s": round(p_wall, 2), "portfolio_cpu_s": round(p_cpu, 2),
        "portfolio_raw_baseline_s": round(pb_wall, 2),
        "within_targets": {"one_exec": cpu * 1000 <= EXEC_TARGET_MS, "portfolio": p_cpu <= PORTFOLIO_TARGET_S},
    }))


if __name__ == "__main__":
    main()
