"""Does the impact figure keep its promise? A seeded simulation against a known truth, old vs new estimator.

Daily network counts around a join date: level 200/day, weekends at 40% of weekdays, linear growth of
0 / 0.1 / 0.3% of the level per day, AR(1) noise on the log scale (φ 0 / 0.5, marginal sd ``NOISE_SD``)
under Poisson counts, a true step at the join of 0 / +10 / +28%, windows of N = 30 / 60 / 90 days, the join
on every weekday in turn (trial i joins on weekday i mod 7). For each configuration and estimator: mean
estimate, bias, coverage of the 95% interval, median interval width, and the share of intervals excluding
0 (the false-positive rate at effect 0, the power at +10% and +28%).

- old: ``impact.compare_windows`` (before/after means, bootstrap over days), as the app showed it;
- new: ``impact_adjusted.adjusted_effect`` (the adjusted estimate, guards included, placebos off).

Targets for the new estimator (issue #14): coverage 0.93-0.97 in every configuration, false positives
<= 0.06, |bias| <= 1 pp, power >= 0.8 for +10% at N = 90. The shortfalls are printed, not tuned away.
With ``TRIALS`` trials a coverage of 0.95 is measured to about ±0.025 (two standard errors).

Environment: IMPACT_BENCH_QUICK=1 (a few configurations, 70 trials: for development),
IMPACT_BENCH_TRIALS=N, IMPACT_BENCH_NOISE=sd, IMPACT_BENCH_PROCS=N (default 2). Last line: one JSON object.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import multiprocessing as mp
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from esncoach.services import impact, impact_adjusted  # noqa: E402

QUICK = os.environ.get("IMPACT_BENCH_QUICK") == "1"
TRIALS = int(os.environ.get("IMPACT_BENCH_TRIALS", "70" if QUICK else "315"))
NOISE_SD = float(os.environ.get("IMPACT_BENCH_NOISE", "0.05"))
PROCS = int(os.environ.get("IMPACT_BENCH_PROCS", "2"))
SEED = 20261130
LEVEL = 200.0
GROWTHS = (0.0, 0.001, 0.003)
PHIS = (0.0, 0.5)
EFFECTS = (0.0, 0.10, 0.28)
WINDOWS = (30, 60, 90)
QUICK_CONFIGS = [(0.003, 0.5, 0.10, 30), (0.0, 0.5, 0.0, 30), (0.003, 0.0, 0.0, 90), (0.001, 0.5, 0.10, 90)]
TARGET_COVERAGE = (0.93, 0.97)
TARGET_FP = 0.06
TARGET_BIAS = 1.0
TARGET_POWER = 0.8
MONDAY = dt.date(2026, 1, 5)
ME = impact_adjusted.JoinDate(1, "Exec", MONDAY)


def simulate(rng: np.random.Generator, n: int, growth: float, phi: float, effect: float, weekday: int
             ) -> tuple[dt.date, dict[dt.date, float]]:
    """One network series of 2n days with the join on ``weekday`` (0 = Monday); returns (join, series)."""
    join = MONDAY + dt.timedelta(days=weekday)
    t = np.arange(-n, n)
    dow = (weekday + t) % 7
    mean = LEVEL * np.where(dow >= 5, 0.4, 1.0) * (1 + growth * t) * np.where(t >= 0, 1 + effect, 1.0)
    e = rng.standard_normal(2 * n)
    u = np.empty(2 * n)
    u[0] = NOISE_SD * e[0]
    scale = np.sqrt(1 - phi * phi) * NOISE_SD
    for i in range(1, 2 * n):
        u[i] = phi * u[i - 1] + scale * e[i]
    y = rng.poisson(mean * np.exp(u - NOISE_SD ** 2 / 2))
    return join, {join + dt.timedelta(days=int(d)): float(v) for d, v in zip(t, y, strict=True)}


def run_config(config: tuple[float, float, float, int]) -> dict[str, object]:
    """All trials of one configuration, for both estimators."""
    growth, phi, effect, n = config
    rng = np.random.default_rng([SEED, int(growth * 1e4), int(phi * 10), int(effect * 100), n])
    truth = effect * 100
    rows: dict[str, list[tuple[float, float, float, int]]] = {"old": [], "new": []}
    skipped = 0
    for i in range(TRIALS):
        join, series = simulate(rng, n, growth, phi, effect, i % 7)
        before = [v for d, v in series.items() if d < join]
        after = [v for d, v in series.items() if d >= join]
        old = impact.compare_windows("messages", before, after, n)
        rows["old"].append((old.change_pct, *old.ci95, i % 7))
        me = impact_adjusted.JoinDate(1, "Exec", join)
        new = impact_adjusted.adjusted_effect("messages", series, me=me, days=n, placebos=False)
        if new.effect_pct is None:
            skipped += 1
            continue
        rows["new"].append((new.effect_pct, *new.ci95, i % 7))
    out: dict[str, object] = {"growth": growth, "phi": phi, "effect": truth, "n": n, "new_skipped": skipped}
    for name, r in rows.items():
        a = np.array(r, dtype=float)
        est, lo, hi, wd = a[:, 0], a[:, 1], a[:, 2], a[:, 3].astype(int)
        by_day = [float(est[wd == d].mean()) for d in range(7) if (wd == d).any()]
        out[name] = {
            "mean": float(est.mean()), "bias": float(est.mean() - truth),
            "coverage": float(((lo <= truth) & (truth <= hi)).mean()),
            "width": float(np.median(hi - lo)), "reject": float(((lo > 0) | (hi < 0)).mean()),
            "weekday_spread": float(max(by_day) - min(by_day)),
        }
    return out


def main() -> None:
    configs = QUICK_CONFIGS if QUICK else list(itertools.product(GROWTHS, PHIS, EFFECTS, WINDOWS))
    started = time.perf_counter()
    with mp.get_context("fork").Pool(PROCS) as pool:
        results = pool.map(run_config, configs, chunksize=1)
    elapsed = time.perf_counter() - started
    print(f"# {len(configs)} configurations × {TRIALS} trials, noise sd {NOISE_SD}, {PROCS} processes, "
          f"{elapsed:.0f} s")
    head = (f"{'growth':>6} {'phi':>4} {'eff':>4} {'N':>3} | "
            + " | ".join(f"{k:>3}: {'mean':>6} {'bias':>6} {'cov':>5} {'width':>6} {'rej':>5} {'wd±':>5}"
                         for k in ("old", "new")))
    print(head)
    for r in results:
        cells = []
        for k in ("old", "new"):
            m = r[k]
            cells.append(f"{k:>3}: {m['mean']:+6.1f} {m['bias']:+6.1f} {m['coverage']:5.3f} {m['width']:6.1f} "
                         f"{m['reject']:5.3f} {m['weekday_spread']:5.1f}")
        print(f"{r['growth'] * 100:5.1f}% {r['phi']:4.1f} {r['effect']:+4.0f} {r['n']:3d} | " + " | ".join(cells))
    summary: dict[str, object] = {"configs": len(configs), "trials": TRIALS, "noise_sd": NOISE_SD,
                                  "seconds": round(elapsed, 1)}
    short: list[str] = []
    for k in ("old", "new"):
        fp = [r[k]["reject"] for r in results if r["effect"] == 0]
        power90 = [r[k]["reject"] for r in results if r["effect"] == 10 and r["n"] == 90]
        summary[k] = {
            "worst_coverage": round(min(r[k]["coverage"] for r in results), 3),
            "worst_fp_rate": round(max(fp), 3) if fp else None,
            "worst_abs_bias_pp": round(max(abs(r[k]["bias"]) for r in results), 2),
            "min_power_10pct_n90": round(min(power90), 3) if power90 else None,
        }
    # Monte Carlo error: with TRIALS trials a true coverage of 0.95 is measured to ±2·MC_SE; a shortfall
    # within that band may be chance, one beyond it is not.
    mc_se = (0.95 * 0.05 / TRIALS) ** 0.5
    summary["coverage_mc_se"] = round(mc_se, 4)
    beyond_noise: list[str] = []
    for r in results:
        m, where = r["new"], f"growth {r['growth'] * 100:.1f}%/day, phi {r['phi']}, effect {r['effect']:+.0f}%, N={r['n']}"
        if not TARGET_COVERAGE[0] <= m["coverage"] <= TARGET_COVERAGE[1]:
            short.append(f"coverage {m['coverage']:.3f} at {where}")
            if not TARGET_COVERAGE[0] - 2 * mc_se <= m["coverage"] <= TARGET_COVERAGE[1] + 2 * mc_se:
                beyond_noise.append(f"coverage {m['coverage']:.3f} at {where}")
        if r["effect"] == 0 and m["reject"] > TARGET_FP:
            short.append(f"false positives {m['reject']:.3f} at {where}")
        if abs(m["bias"]) > TARGET_BIAS:
            short.append(f"bias {m['bias']:+.2f} pp at {where}")
        if r["effect"] == 10 and r["n"] == 90 and m["reject"] < TARGET_POWER:
            short.append(f"power {m['reject']:.3f} at {where}")
        if r["new_skipped"]:
            short.append(f"{r['new_skipped']} trials without an estimate at {where}")
    summary["new_short_of_targets"] = short
    summary["new_coverage_short_beyond_mc_noise"] = beyond_noise
    for s in short:
        print(f"SHORT: {s}")
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
