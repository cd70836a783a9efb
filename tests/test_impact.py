"""Impact figures against hand-computed ones, through the service and the ``impact`` command."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from esncoach.cli import main
from esncoach.imports import import_file
from esncoach.services import execs, impact, influencers
from esncoach.services import metrics as metrics_service
from esncoach.services.metrics import ManualPeriod
from esncoach.store.errors import ValidationError
from esncoach.store.keys import read_passphrase_file
from esncoach.store.workspace import Workspace

D = dt.date


def test_constant_windows_give_an_exact_change_and_a_degenerate_interval() -> None:
    m = impact.compare_windows("messages", [10, 10, 10, 10], [12, 12, 12, 12], 4)
    assert (m.before, m.after, m.change_pct, m.ci95, m.coverage) == (10, 12, pytest.approx(20.0), (20.0, 20.0), (1, 1))


def test_bootstrap_interval_matches_the_hand_enumerated_distribution() -> None:
    # Before days 8 and 12: a resampled mean is 8, 10 or 12 with chances 1/4, 1/2, 1/4; after is always 15.
    # The change is then +87.5%, +50% or +25%; each tail holds 25% > 2.5%, so the interval is [25, 87.5].
    m = impact.compare_windows("likes", [8, 12], [15, 15], 2)
    assert m.before == 10 and m.after == 15 and m.change_pct == pytest.approx(50.0)
    assert m.ci95 == (pytest.approx(25.0), pytest.approx(87.5))


def test_no_change_figure_without_a_baseline() -> None:
    assert impact.compare_windows("replies", [0, 0], [3, 5], 2).change_pct is None
    empty = impact.compare_windows("replies", [], [3, 5], 4)
    assert (empty.before, empty.after, empty.coverage, empty.ci95) == (None, 4, (0, 0.5), None)


def test_windows_exclude_the_join_date_from_before() -> None:
    assert impact.windows(D(2026, 3, 11), 5) == ((D(2026, 3, 6), D(2026, 3, 10)), (D(2026, 3, 11), D(2026, 3, 15)))


@pytest.fixture
def story(ws: Workspace, tmp_path: Path) -> int:
    """An exec who joined on 2026-03-11, with network figures around that day and a year earlier."""
    exec_id = execs.add_exec(ws, name="Amelia Hart", email="amelia.hart@example.com", joined="2026-03-11")
    lines = ["date,messages"]
    # Before: Mar 6-9 (Mar 10 missing) = 100, 110, 90, 100 -> mean 100, coverage 4/5.
    # From the join date: Mar 11-15 = 130, 120, 110, 120, 120 -> mean 120. Change +20%.
    for day, value in zip(range(6, 16), [100, 110, 90, 100, None, 130, 120, 110, 120, 120], strict=True):
        if value is not None:
            lines.append(f"2026-03-{day:02d},{value}")
    # A year earlier (join - 365 days = 2025-03-11): flat 50 before, 55 after -> +10%.
    for day in range(6, 16):
        lines.append(f"2025-03-{day:02d},{50 if day < 11 else 55}")
    (tmp_path / "network.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    import_file(ws, tmp_path / "network.csv")
    # Reads as one weekly figure, Mar 6-12: 700 -> 100 a day; covers all of before, 2 of 5 days after.
    metrics_service.save_manual_figures(ws, exec_id=None, periods=[ManualPeriod(D(2026, 3, 6), D(2026, 3, 12), {"reads": 700})])
    # Replies the exec's posts received, on the 11th and 12th.
    metrics_service.save_manual_figures(ws, exec_id=exec_id, periods=[
        ManualPeriod(D(2026, 3, 11), D(2026, 3, 11), {"replies_received": 4}),
        ManualPeriod(D(2026, 3, 12), D(2026, 3, 12), {"replies_received": 6})])
    return exec_id


def test_exec_impact_against_hand_computed_figures(ws: Workspace, story: int) -> None:
    report = impact.exec_impact(ws, exec_id=story, days=5)
    assert report.join_date == D(2026, 3, 11) and report.days == 5
    msgs = report.network["messages"]
    assert (msgs.before, msgs.after, msgs.change_pct, msgs.coverage) == (100, 120, pytest.approx(20.0), (0.8, 1.0))
    lo, hi = msgs.ci95
    assert lo < 20 < hi and lo >= (110 / 110 - 1) * 100 - 1e-9 and hi <= (130 / 90 - 1) * 100 + 1e-9
    reads = report.network["reads"]
    assert (reads.before, reads.after, reads.change_pct, reads.coverage) == (
        pytest.approx(100), pytest.approx(100), pytest.approx(0.0), (1.0, 0.4))
    own = report.own["replies_received"]
    assert (own.before, own.after, own.coverage) == (None, 5, (0.0, 0.4))
    earlier = report.year_earlier["messages"]
    assert (earlier.before, earlier.after, earlier.change_pct) == (50, 55, pytest.approx(10.0))
    assert "Network reads: only 2 of the 5 days from the join date have figures." in report.warnings
    assert not any("Network messages" in w for w in report.warnings)  # 80% is enough
    assert "Amelia Hart replies received: only 2 of the 5 days from the join date have figures." in report.warnings


def test_one_query_for_several_series_reads_the_same_days_in_the_same_order(ws: Workspace, story: int) -> None:
    # The bootstrap resamples days by position, so the order of the days matters as much as their values.
    metrics_service.save_manual_figures(ws, exec_id=None, periods=[
        ManualPeriod(D(2026, 3, 2), D(2026, 3, 15), {"messages": 1400, "likes": 70})])  # spread under daily ones
    for exec_id, start, end in ((None, D(2026, 3, 1), D(2026, 3, 31)), (None, D(2026, 3, 8), D(2026, 3, 9)),
                                (story, D(2026, 1, 1), D(2026, 3, 31)), (None, D(2025, 3, 1), D(2025, 3, 31))):
        names = ["messages", "likes", "reads", "replies_received", "nothing"]
        together = metrics_service.daily_series_by_metric(ws, exec_id=exec_id, metrics=names, start=start, end=end)
        assert list(together) == names
        for m in names:
            alone = metrics_service.daily_series(ws, exec_id=exec_id, metric=m, start=start, end=end)
            assert list(together[m].items()) == list(alone.items())
    assert metrics_service.daily_series_by_metric(ws, exec_id=None, metrics=[], start=D(2026, 3, 1),
                                                  end=D(2026, 3, 2)) == {}


def test_exec_without_a_join_date_or_a_silly_window_is_refused(ws: Workspace, story: int) -> None:
    other = execs.add_exec(ws, name="Kavya Raman")
    with pytest.raises(ValidationError, match="no network join date"):
        impact.exec_impact(ws, exec_id=other)
    with pytest.raises(ValidationError, match="between 1 and"):
        impact.exec_impact(ws, exec_id=story, days=0)


def test_impact_command_prints_the_documented_json(tmp_path: Path, passphrase_file: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    db, pf = tmp_path / "w.db", str(passphrase_file)
    with Workspace.open(db, read_passphrase_file(pf)) as w:
        exec_id = execs.add_exec(w, name="Amelia Hart", joined="2026-03-11")
        metrics_service.save_manual_figures(w, exec_id=None, periods=[
            ManualPeriod(D(2026, 3, d), D(2026, 3, d), {"messages": 10 if d < 11 else 15, "likes": 4}) for d in range(1, 21)])
        metrics_service.save_manual_figures(w, exec_id=exec_id, periods=[
            ManualPeriod(D(2026, 3, 11), D(2026, 3, 17), {"messages": 7})])
    assert main(["impact", "--db", str(db), "--passphrase-file", pf, "--exec", "amelia", "--days", "10", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["exec"] == "Amelia Hart" and out["join_date"] == "2026-03-11" and out["days"] == 10
    raw_keys = ("before", "after", "change_pct", "ci95", "coverage")
    assert {m: {k: v[k] for k in raw_keys} for m, v in out["metrics"].items()} == {
        "messages": {"before": 10.0, "after": 15.0, "change_pct": 50.0, "ci95": [50.0, 50.0], "coverage": [1.0, 1.0]},
        "likes": {"before": 4.0, "after": 4.0, "change_pct": 0.0, "ci95": [0.0, 0.0], "coverage": [1.0, 1.0]},
    }
    # Ten days before the join are too few for the adjusted model: it says so instead of guessing.
    adjusted = out["metrics"]["messages"]["adjusted"]
    assert adjusted["effect_pct"] is None and adjusted["ci95"] is None and adjusted["placebo_rank"] is None
    assert "only 10 days with figures before the join date" in adjusted["notes"][0]
    assert out["exec_metrics"]["messages"]["after"] == 1.0 and out["exec_metrics"]["messages"]["coverage"] == [0.0, 0.7]
    assert out["year_earlier"] is None
    assert main(["impact", "--db", str(db), "--passphrase-file", pf, "--exec", "amelia"]) == 0
    text = capsys.readouterr().out
    assert "+50.0%" in text and "association, not proof" in text
    assert main(["impact", "--db", str(db), "--passphrase-file", pf, "--exec", "nobody"]) == 2
    assert "No executive called" in capsys.readouterr().err


def test_demo_ceo_visibly_moves_the_network(demo_ws: Workspace) -> None:
    ceo = execs.find_exec(demo_ws, "Amelia Hart")
    report = impact.exec_impact(demo_ws, exec_id=ceo.id)
    assert report.network["likes"].change_pct > 20 and report.network["messages"].change_pct > 5
    assert report.year_earlier is not None and set(report.year_earlier) == {"messages", "replies", "likes", "reads"}


def test_influencers_rank_by_replies_received_when_known(ws: Workspace, tmp_path: Path) -> None:
    a = execs.add_exec(ws, name="Amelia Hart", email="amelia.hart@example.com", handle="@amelia")
    b = execs.add_exec(ws, name="Bruno Castillo", email="bruno.castillo@example.com", handle="@bruno")
    import_file(ws, Path(__file__).parent / "data" / "metrics_generic.csv")  # activity only: Amelia ahead
    rows = influencers.rank_influencers(ws)
    assert [(r.exec_id, r.basis) for r in rows] == [(a, influencers.BASIS_ACTIVITY), (b, influencers.BASIS_ACTIVITY)]
    metrics_service.save_manual_figures(ws, exec_id=b, periods=[ManualPeriod(D(2026, 2, 1), D(2026, 2, 7), {"replies_received": 9})])
    metrics_service.save_manual_figures(ws, exec_id=a, periods=[ManualPeriod(D(2026, 2, 1), D(2026, 2, 7), {"replies_received": 3})])
    rows = influencers.rank_influencers(ws)
    assert [(r.rank, r.exec_id, r.score) for r in rows] == [(1, b, 9), (2, a, 3)]
    assert rows[0].basis == influencers.BASIS_RESPONSES and rows[0].per_message == 9.0
