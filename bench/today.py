"""How long the Today overview takes on a large programme, next to what it reuses, in the same run.

The Today window (and its start-up appearance) computes ``services.today.overview``; the reminders ask
``services.reminders.due_reminders`` every minute. The overview reuses ``attention.needs_attention`` and
``ladder.suggestions`` — the same work the existing Needs-attention window does — so that pair is the
baseline: Today's own cost is the difference. Runs on the cached large workspace (``large_workspace.py``,
200 execs × 5 years by default; ``BENCH_QUICK=1`` for 50 × 5). Reports medians of wall and CPU time;
the last line is one JSON object.
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
    out = {k: _median(v) for k, v in results.items()}
    own = round(out["overview"]["wall_ms"] - out["baseline"]["wall_ms"], 1)
    for name, figures in out.items():
        print(f"{name:<10} {figures['wall_ms']:>9.1f} ms wall {figures['cpu_ms']:>9.1f} ms CPU", file=sys.stderr)
    print(json.dumps({"bench": "today", "execs": execs, "years": 5, "repeats": REPEATS,
                      "items": len(overview.items()), **out, "today_own_wall_ms": own}))


if __name__ == "__main__":
    main()
