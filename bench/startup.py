"""Start-up time: process start to the main window shown with the demo exec list filled.

Measured next to a bare PySide6 window in the same run (machines are noisy); medians of several runs.
Last line: one JSON object.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RUNS = int(os.environ.get("BENCH_RUNS", "7"))


CPU: dict[str, list[float]] = {"app": [], "bare": []}
"""CPU seconds (user + system) each child used: on a shared machine they say more than wall time."""


def timed(args: list[str], env: dict[str, str]) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    out = subprocess.run([sys.executable, str(HERE / "_startup_child.py"), *args], env=env, capture_output=True,
                         text=True, timeout=120)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if "READY" not in out.stdout:
        raise SystemExit(f"child failed: {out.stderr[-1500:]}")
    CPU[args[0]].append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return elapsed


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db, pf = Path(tmp) / "demo.db", Path(tmp) / "pass.txt"
        pf.write_text("bench passphrase\n")
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", ESNCOACH_SETTINGS_DIR=tmp,
                   PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
        subprocess.run([sys.executable, "-m", "esncoach", "demo", "--db", str(db), "--passphrase-file", str(pf)],
                       env=env, check=True, capture_output=True)
        timed(["bare"], env)  # warm the file cache for both
        timed(["app", str(db), str(pf)], env)
        app_runs, bare_runs = [], []
        CPU["app"].clear()
        CPU["bare"].clear()
        for _ in range(RUNS):  # interleaved, so drift in machine load hits both alike
            bare_runs.append(timed(["bare"], env))
            app_runs.append(timed(["app", str(db), str(pf)], env))
    app_s, bare_s = statistics.median(app_runs), statistics.median(bare_runs)
    print(f"app (demo workspace, passphrase): median {app_s:.3f} s over {RUNS} runs")
    print(f"bare PySide6 window:              median {bare_s:.3f} s over {RUNS} runs")
    app_cpu, bare_cpu = statistics.median(CPU["app"]), statistics.median(CPU["bare"])
    print(f"CPU: app {app_cpu:.3f} s, bare {bare_cpu:.3f} s (medians)")
    print(json.dumps({"bench": "startup", "app_s": round(app_s, 3), "baseline_s": round(bare_s, 3),
                      "ratio": round(app_s / bare_s, 2), "app_cpu_s": round(app_cpu, 3),
                      "baseline_cpu_s": round(bare_cpu, 3), "cpu_ratio": round(app_cpu / bare_cpu, 2), "runs": RUNS}))


if __name__ == "__main__":
    main()
