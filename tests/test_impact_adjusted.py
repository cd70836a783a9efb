"""The adjusted impact estimate on constructed series with a known truth, its guards, and the CLI's JSON."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from esncoach.imports import import_file
from esncoach.services import execs, impact, impact_adjusted
from esncoach.services.impact_adjusted import JoinDate
from esncoach.store.keys import read_passphrase_file
from esncoach.store.workspace import Workspace

JOIN = dt.date(2026, 3, 11)  # a Wednesday
CEO = JoinDate(1, "Amelia Hart", JOIN)


def network(*, days_before: int = 200, days_after: int = 60, level: float = 200.0, growth: float = 0.0,
            steps: tuple[tuple[dt.date, float], ...] = (), seed: int = 7, noise: float = 0.05) -> dict[dt.date, float]:
    """Poisson counts around ``level`` with weekends at 40%, linear growth (share of the level per day),
    multiplicative steps at the given dates and a little day-to-day noise; seeded."""
    rng = np.random.default_rng(seed)
    out = {}
    for i in range(-days_before, days_after):
        day = JOIN + dt.timedelta(days=i)
        mean = level * (0.4 if day.weekday() >= 5 else 1.0) * (1 + growth * i)
        for when, lift in steps:
            if day >= when:
                mean *= 1 + lift
        out[day] = float(rng.poisson(mean * np.exp(rng.normal(0, noise))))
    return out


def raw(series: dict[dt.date, float], days: int) -> impact.MetricImpact:
    (b0, b1), (a0, a1) = impact.windows(JOIN, days)
    return impact.compare_windows("messages", [v for d, v in series.items() if b0 <= d <= b1],
                                  [v for d, v in series.items() if a0 <= d <= a1], days)


def test_pure_growth_is_not_credited_to_the_exec() -> None:
    series = network(growth=0.003)
    before_after = raw(series, 60)
    assert before_after.change_pct > 15 and before_after.ci95[0] > 0  # the raw figure claims a lift
    adj = impact_adjusted.adjusted_effect("messages", series, me=CEO, days=60, raw=before_after.change_pct)
    assert adj.ci95[0] < 0 < adj.ci95[1] and abs(adj.effect_pct) < 8
    assert adj.placebo_rank is not None and adj.placebo_rank[1] == 20
    assert "points of that is the network's existing growth" in adj.sentence("Messages")


def test_a_clean_step_is_recovered() -> None:
    adj = impact_adjusted.adjusted_effect("messages", network(steps=((JOIN, 0.25),)), me=CEO, days=60)
    assert adj.ci95[0] < 25 < adj.ci95[1] and abs(adj.effect_pct - 25) < 6 and adj.ci95[0] > 0
    k, n = adj.placebo_rank
    assert (k, n) == (20, 20)
    assert adj.method == impact_adjusted.impact_model.METHOD_LOGLINEAR
    assert "larger than 20 of 20 placebo dates" in adj.sentence("Messages")


def test_two_joins_a_fortnight_apart_are_separated() -> None:
    # A 95% interval misses one time in twenty, so judge five seeded networks together.
    cfo = JoinDate(2, "Bruno Castillo", JOIN + dt.timedelta(days=14))
    joins = (CEO, cfo)
    ceo_effects, cfo_effects = [], []
    for seed in range(5):
        series = network(steps=((JOIN, 0.20), (cfo.joined, 0.10)), level=1000, noise=0.02, seed=seed)
        ceo_effects.append(impact_adjusted.adjusted_effect("messages", series, me=CEO, days=30, joins=joins))
        cfo_effects.append(impact_adjusted.adjusted_effect("messages", series, me=cfo, days=30, joins=joins))
    for effects, truth in ((ceo_effects, 20), (cfo_effects, 10)):
        assert abs(np.mean([e.effect_pct for e in effects]) - truth) < 3
        assert sum(e.ci95[0] < truth < e.ci95[1] for e in effects) >= 4
    assert any("1 other join date in the window estimated jointly" in n for n in ceo_effects[0].notes)


def test_joins_too_close_to_separate_say_so() -> None:
    cfo = JoinDate(2, "Bruno Castillo", JOIN + dt.timedelta(days=3))
    series = network(steps=((JOIN, 0.20), (cfo.joined, 0.10)), level=1000, noise=0.02)
    adj = impact_adjusted.adjusted_effect("messages", series, me=CEO, days=30, joins=(CEO, cfo))
    assert any("Another exec joined within 10 days of this join: too close to separate" in n for n in adj.notes)
    assert abs(adj.effect_pct - 32) < 7  # the combined step, 1.2 × 1.1


def test_zeros_written_for_missing_days_are_treated_as_missing() -> None:
    series = network()
    for i in range(-20, -12):  # an export that wrote a gap as zeros
        series[JOIN + dt.timedelta(days=i)] = 0.0
    assert raw(series, 30).change_pct > 20  # the raw comparison is fooled
    adj = impact_adjusted.adjusted_effect("messages", series, me=CEO, days=30)
    assert "8 days with 0 messages in a series that is otherwise around" in adj.notes[0]
    assert "treated as missing" in adj.notes[0]
    assert adj.ci95[0] < 0 < adj.ci95[1]


def test_the_model_input_is_the_days_in_date_order_whatever_order_they_came_in() -> None:
    from esncoach.services import impact_guards

    series = network(days_before=60, days_after=40)
    series[JOIN - dt.timedelta(days=3)] = 0.0  # dropped as a gap
    del series[JOIN - dt.timedelta(days=9)]  # missing
    shuffled = dict(sorted(series.items(), key=lambda kv: (kv[0].day * 7919) % 31))  # the rows' order, not dates'
    start, end = JOIN - dt.timedelta(days=30), JOIN + dt.timedelta(days=29)
    prep = impact_guards.prepare("messages", shuffled, JOIN, start, end, days=30)
    same = impact_guards.prepare("messages", impact_guards.DayValues.of(shuffled), JOIN, start, end, days=30)
    days = sorted(d for d in series if start <= d <= end and series[d] != 0)
    assert prep.reason is None and prep.t.tolist() == [(d - JOIN).days for d in days]
    assert prep.dow.tolist() == [d.weekday() for d in days] and prep.y.tolist() == [series[d] for d in days]
    assert "1 day with 0 messages" in prep.notes[0]
    assert (same.t.tolist(), same.dow.tolist(), same.y.tolist(), same.notes) == (
        prep.t.tolist(), prep.dow.tolist(), prep.y.tolist(), prep.notes)


def test_one_day_before_the_join_gives_no_estimate_and_says_why() -> None:
    series = {d: v for d, v in network().items() if d >= JOIN - dt.timedelta(days=1)}
    adj = impact_adjusted.adjusted_effect("messages", series, me=CEO, days=30)
    assert adj.effect_pct is None and adj.ci95 is None and adj.method == "none"
    assert adj.notes[0].startswith("No adjusted estimate: only 1 day with figures before the join date")
    assert adj.sentence("Messages").startswith("Messages: no adjusted estimate: only 1 day")


def test_sparse_counts_are_too_few_events() -> None:
    adj = impact_adjusted.adjusted_effect("replies", network(level=0.3), me=CEO, days=30)
    assert adj.effect_pct is None and adj.notes[0].startswith("Too few events to estimate:")


def test_a_zero_after_the_join_is_not_minus_100_percent() -> None:
    series = {d: v for d, v in network(level=100).items() if d < JOIN}
    series[JOIN] = 0.0
    adj = impact_adjusted.adjusted_effect("messages", series, me=CEO, days=30)
    assert adj.effect_pct is None
    assert any("treated as missing" in n for n in adj.notes)
    assert any("with figures after the first week from the join date" in n for n in adj.notes)


def test_low_counts_use_the_poisson_model() -> None:
    adj = impact_adjusted.adjusted_effect("replies", network(level=4, steps=((JOIN, 0.5),)), me=CEO, days=60)
    assert adj.method == impact_adjusted.impact_model.METHOD_POISSON and adj.ci95[0] < 50 < adj.ci95[1]


def _csv(path: Path, series: dict[str, dict[dt.date, float]]) -> Path:
    names = list(series)
    days = sorted(set().union(*[set(s) for s in series.values()]))
    lines = ["date," + ",".join(names)]
    lines += [d.isoformat() + "," + ",".join(f"{series[n][d]:.2f}" for n in names) for d in days]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_seed_case_keeps_its_raw_figures_exactly(ws: Workspace, tmp_path: Path) -> None:
    exec_id = execs.add_exec(ws, name="Amelia Hart", joined=JOIN.isoformat())
    lifts = {"messages": 0.2793, "replies": 0.2837, "likes": 0.4960}
    flat = {m: {JOIN + dt.timedelta(days=i): 100.0 * (1 + lift if i >= 0 else 1) for i in range(-30, 30)}
            for m, lift in lifts.items()}
    import_file(ws, _csv(tmp_path / "seed.csv", flat))
    report = impact.exec_impact(ws, exec_id=exec_id, days=30)
    out = report.as_json()["metrics"]
    assert {m: out[m]["change_pct"] for m in lifts} == {"messages": 27.93, "replies": 28.37, "likes": 49.6}
    for m, lift in lifts.items():
        assert report.network[m].change_pct == pytest.approx(lift * 100)
        assert report.network[m].adjusted.effect_pct == pytest.approx(lift * 100, abs=0.01)
        assert "Too little history for a placebo check" in " ".join(report.network[m].adjusted.notes)


@pytest.fixture
def cli_db(tmp_path: Path, passphrase_file: Path) -> tuple[Path, Path]:
    db = tmp_path / "w.db"
    cfo_join = JOIN + dt.timedelta(days=14)
    with Workspace.open(db, read_passphrase_file(str(passphrase_file))) as w:
        execs.add_exec(w, name="Amelia Hart", joined=JOIN.isoformat())
        execs.add_exec(w, name="Bruno Castillo", joined=cfo_join.isoformat())
        figures = {"messages": network(steps=((JOIN, 0.2), (cfo_join, 0.1))),
                   "likes": network(level=500, growth=0.002, seed=8)}
        import_file(w, _csv(tmp_path / "network.csv", figures))
    return db, passphrase_file


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    return subprocess.run([sys.executable, "-m", "esncoach", "impact", *args], capture_output=True, text=True,
                          env=env, timeout=240)


ADJUSTED_KEYS = {"effect_pct", "ci95", "method", "placebo_rank", "notes"}


def test_cli_json_in_a_real_process(cli_db: tuple[Path, Path]) -> None:
    db, pf = cli_db
    result = _run("--db", str(db), "--passphrase-file", str(pf), "--exec", "amelia", "--json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    msgs = out["metrics"]["messages"]
    assert {"before", "after", "change_pct", "ci95", "coverage", "adjusted"} <= set(msgs)
    adj = msgs["adjusted"]
    assert set(adj) == ADJUSTED_KEYS
    assert isinstance(adj["effect_pct"], float) and len(adj["ci95"]) == 2 and adj["ci95"][0] < 20 < adj["ci95"][1]
    assert isinstance(adj["method"], str) and adj["placebo_rank"][1] == 20 and 0 <= adj["placebo_rank"][0] <= 20
    assert all(isinstance(n, str) for n in adj["notes"])

    result = _run("--db", str(db), "--passphrase-file", str(pf), "--portfolio", "--json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert set(out) == {"execs", "notes"} and isinstance(out["notes"], list)
    assert [(e["name"], e["join_date"]) for e in out["execs"]] == [
        ("Amelia Hart", "2026-03-11"), ("Bruno Castillo", "2026-03-25")]
    for e in out["execs"]:
        assert set(e) == {"name", "join_date", "metrics"} and set(e["metrics"]) == {"messages", "likes"}
        for m in e["metrics"].values():
            assert set(m) == {"adjusted"} and set(m["adjusted"]) == ADJUSTED_KEYS
    bruno = out["execs"][1]["metrics"]["messages"]["adjusted"]
    assert bruno["ci95"][0] < 10 < bruno["ci95"][1]

    text = _run("--db", str(db), "--passphrase-file", str(pf), "--exec", "amelia")
    assert text.returncode == 0 and "the estimated effect of joining is" in text.stdout
    assert "Raw change of the mean per day" in text.stdout
    bad = _run("--db", str(db), "--passphrase-file", str(pf), "--portfolio", "--days", "0", "--json")
    assert bad.returncode == 2 and bad.stdout == "" and len(bad.stderr.strip().splitlines()) == 1


def test_statsmodels_is_imported_only_when_an_estimate_is_made() -> None:
    code = ("import sys; import esncoach.services.impact, esncoach.services.impact_adjusted; "
            "print('statsmodels' in sys.modules, 'PySide6' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.stdout.split() == ["False", "False"], result.stderr


def test_messy_series_never_raise_and_always_explain() -> None:
    # Gaps, zeros, flat runs, tiny and huge counts, joins at the edges: a figure or a reason, never a traceback.
    rng = np.random.default_rng(3)
    for _ in range(60):
        level = float(rng.choice([0.0, 0.3, 2, 8, 500, 1e6]))
        series = {JOIN + dt.timedelta(days=i): float(rng.poisson(level)) for i in range(-int(rng.integers(0, 120)),
                                                                                         int(rng.integers(0, 40)))
                  if rng.random() > 0.2}
        if rng.random() < 0.3:
            series = {d: level for d in series}
        joins = (CEO, *(JoinDate(k, f"Other {k}", JOIN + dt.timedelta(days=int(rng.integers(-35, 35))))
                        for k in range(2, 2 + int(rng.integers(0, 3)))))
        adj = impact_adjusted.adjusted_effect("messages", series, me=CEO, days=int(rng.choice([7, 30, 60])),
                                              joins=joins)
        shape = adj.as_json()
        assert set(shape) == {"effect_pct", "ci95", "method", "placebo_rank", "notes"}
        assert (shape["effect_pct"] is None) == (shape["ci95"] is None)
        if shape["effect_pct"] is None:
            assert shape["notes"] and adj.sentence("Messages").startswith("Messages: ")
