"""Start-up time: process start to the main window's exec list filled and painted (the demo workspace).

Measured next to a bare PySide6 window (process start to its first paint) in the same run, interleaved, with
medians of several runs (``BENCH_RUNS``, 7; 3 is a quick look). Besides wall time it reports each child's
CPU, its main thread's CPU up to the paint (what the window costs, whatever else the machine runs: on a busy
machine wall time mostly measures the queue), and SQLCipher's key derivation timed alone (PBKDF2-HMAC-SHA512,
256,000 rounds), which the app runs on a second thread from its first moment: with two free cores the list
can paint no sooner than the start of that thread plus the derivation. Last line: one JSON object.
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
MAIN_CPU: dict[str, list[float]] = {"app": [], "bare": []}
"""CPU seconds of each child's main thread up to the paint."""


def kdf_seconds(runs: int = 3) -> float:
    """SQLCipher 4's passphrase key derivation alone, as store.first_list runs it (store.kdf; median)."""
    from esncoach.store.kdf import derive

    times = []
    for _ in range(runs):
        start = time.perf_counter()
        derive("bench passphrase", b"0123456789abcdef")
        times.append(time.perf_counter() - start)
    return statistics.median(times)


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
    MAIN_CPU[args[0]].append(float(out.stdout.split("MAIN_CPU ", 1)[1].split()[0]))
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
        for figures in (CPU, MAIN_CPU):
            figures["app"].clear()
            figures["bare"].clear()
        for _ in range(RUNS):  # interleaved, so drift in machine load hits both alike
            bare_runs.append(timed(["bare"], env))
            app_runs.append(timed(["app", str(db), str(pf)], env))
    kdf_s = kdf_seconds()
    app_s, bare_s = statistics.median(app_runs), statistics.median(bare_runs)
    print(f"app (demo workspace, passphrase): median {app_s:.3f} s over {RUNS} runs")
    print(f"bare PySide6 window:              median {bare_s:.3f} s over {RUNS} runs")
    app_cpu, bare_cpu = statistics.median(CPU["app"]), statistics.median(CPU["bare"])
    print(f"CPU: app {app_cpu:.3f} s, bare {bare_cpu:.3f} s (medians)")
    app_main, bare_main = statistics.median(MAIN_CPU["app"]), statistics.median(MAIN_CPU["bare"])
    print(f"main thread CPU to the paint: app {app_main:.3f} s, bare {bare_main:.3f} s (medians)")
    print(f"key derivation alone: {kdf_s:.3f} s (runs on the app's second thread)")
    print(json.dumps({"bench": "startup", "app_s": round(app_s, 3), "baseline_s": round(bare_s, 3),
                      "ratio": round(app_s / bare_s, 2), "app_cpu_s": round(app_cpu, 3),
                      "baseline_cpu_s": round(bare_cpu, 3), "cpu_ratio": round(app_cpu / bare_cpu, 2),
                      "app_main_cpu_s": round(app_main, 3), "baseline_main_cpu_s": round(bare_main, 3),
                      "main_cpu_ratio": round(app_main / bare_main, 2), "kdf_s": round(kdf_s, 3), "runs": RUNS}))


if __name__ == "__main__":
    main()
