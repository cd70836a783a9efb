"""The Qt-free series behind an exec's progress charts, checked against figures worked out by hand."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import numpy as np
import pytest

from esncoach.models import CheckInResult, HabitSchedule, LadderStage, SessionStatus
from esncoach.services import execs, habits, ladder, metrics, progress_series, sessions
from esncoach.services.progress_series import DAY_S, Series, epoch
from esncoach.store.errors import ValidationError
from esncoach.store.workspace import Workspace

D = dt.date
DONE, SKIPPED, MISSED = CheckInResult.DONE, CheckInResult.SKIPPED, CheckInResult.MISSED


def test_core_imports_no_qt() -> None:
    code = ("import sys; import esncoach.services.progress_series, esncoach.services.portfolio; "
            "bad = [m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph'))]; print(bad); "
            "sys.exit(1 if bad else 0)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stdout + out.stderr


def test_epoch_is_utc_midnight_and_round_trips() -> None:
    assert epoch(D(1970, 1, 2)) == DAY_S
    assert epoch(D(2026, 11, 23)) == dt.datetime(2026, 11, 23, tzinfo=dt.UTC).timestamp()
    assert progress_series.day_of(epoch(D(2026, 3, 1)) + 3600) == D(2026, 3, 1)


def test_streaks_count_done_runs_skips_neutral_missed_breaks() -> None:
    marks = [(D(2026, 1, d), DONE) for d in (1, 2, 3)] + [(D(2026, 1, 4), SKIPPED), (D(2026, 1, 5), DONE),
                                                          (D(2026, 1, 6), MISSED), (D(2026, 1, 7), DONE),
                                                          (D(2026, 1, 8), DONE)]
    # The skipped day on the 4th is excused, but the 5th is two days after the 3rd: a daily habit's run breaks.
    assert progress_series.streak_spans(marks, gap_limit=1) == [(D(2026, 1, 1), D(2026, 1, 4))]
    # With a two-day allowance the 5th joins the run; the miss on the 6th ends it; 7–8 is too short.
    assert progress_series.streak_spans(marks, gap_limit=2) == [(D(2026, 1, 1), D(2026, 1, 6))]
    assert progress_series.streak_spans(marks, gap_limit=2, min_run=2) == [
        (D(2026, 1, 1), D(2026, 1, 6)), (D(2026, 1, 7), D(2026, 1, 9))]


def test_weekly_totals_sum_monday_to_sunday() -> None:
    daily = {D(2026, 11, 16): 1.0, D(2026, 11, 22): 2.0, D(2026, 11, 23): 5.0, D(2026, 11, 1): 99.0}
    x, y = progress_series.weekly_totals(daily, D(2026, 11, 10), D(2026, 11, 30))
    assert list(x) == [epoch(D(2026, 11, 16)), epoch(D(2026, 11, 23))]
    assert list(y) == [3.0, 5.0]


def test_trailing_mean_skips_missing_days() -> None:
    start = D(2026, 1, 1)
    daily = {start + dt.timedelta(days=i): float(v) for i, v in enumerate([7, 14, 0, 7, 7, 7, 7, 70])}
    del daily[start + dt.timedelta(days=2)]  # a day with no figure is left out, not counted as zero
    x, y = progress_series.trailing_mean(daily, start, start + dt.timedelta(days=7))
    assert len(x) == 7
    assert y[0] == 7.0 and y[1] == 10.5
    assert y[-1] == pytest.approx(round((14 + 7 + 7 + 7 + 7 + 70) / 6, 1))


def test_series_value_at_points_steps_and_holds() -> None:
    x = np.array([epoch(D(2026, 1, 5)), epoch(D(2026, 1, 12))])
    points = Series("a", "A", x, np.array([3.0, 4.0]))
    assert points.value_at(x[0] + 3600) == 3.0
    assert points.value_at(x[0] + 2 * DAY_S) is None
    weekly = Series("w", "W", x, np.array([3.0, 4.0]), step_days=7)
    assert weekly.value_at(x[0] + 6 * DAY_S) == 3.0
    assert weekly.value_at(x[1] + 7 * DAY_S) is None
    held = Series("h", "H", x, np.array([1.0, 2.0]), hold_until=x[1] + 30 * DAY_S)
    assert held.value_at(x[1] + 20 * DAY_S) == 2.0
    assert held.value_at(x[0] - DAY_S) is None


@pytest.fixture
def exec_id(ws: Workspace) -> int:
    return execs.add_exec(ws, name="Ada Test", joined=D(2026, 3, 1), today=D(2026, 1, 5))


def test_stage_series_steps_through_moves(ws: Workspace, exec_id: int) -> None:
    ladder.move_stage(ws, exec_id=exec_id, to_stage=LadderStage.LIKE, on=D(2026, 2, 1), reason="likes daily",
                      today=D(2026, 6, 1))
    ladder.move_stage(ws, exec_id=exec_id, to_stage=LadderStage.COMMENT, on=D(2026, 3, 1), reason="first comment",
                      today=D(2026, 6, 1))
    ladder.move_stage(ws, exec_id=exec_id, to_stage=LadderStage.LIKE, on=D(2026, 4, 1), reason="step back",
                      today=D(2026, 6, 1))
    st = progress_series.stage_series(ws, exec_id=exec_id, start=D(2026, 1, 1), end=D(2026, 5, 31))
    assert list(st.ranks) == [0, 1, 2, 1]
    assert list(st.edges) == [epoch(d) for d in (D(2026, 1, 5), D(2026, 2, 1), D(2026, 3, 1), D(2026, 4, 1),
                                                 D(2026, 6, 1))]
    assert st.rank_at(epoch(D(2026, 3, 15))) == 2
    assert st.as_series.value_at(epoch(D(2026, 5, 30))) == 1.0
    # A range starting mid-way begins with the stage held then.
    mid = progress_series.stage_series(ws, exec_id=exec_id, start=D(2026, 3, 10), end=D(2026, 4, 10))
    assert list(mid.ranks) == [2, 1]
    assert mid.edges[0] == epoch(D(2026, 3, 10))
    assert [c[2] for c in mid.changes] == ["step back"]


def test_habit_series_uses_the_loop_score_and_shades_streaks(ws: Workspace, exec_id: int) -> None:
    start = D(2026, 2, 1)
    habits.set_commitment(ws, exec_id=exec_id, description="Like one post", schedule=HabitSchedule.DAILY,
                          started_on=start, today=start)
    results = {start + dt.timedelta(days=i): r for i, r in enumerate(
        [DONE, DONE, DONE, DONE, MISSED, DONE, SKIPPED, DONE, DONE])}
    for day, result in results.items():
        habits.check_in(ws, exec_id=exec_id, day=day, result=result, today=D(2026, 3, 1))
    end = start + dt.timedelta(days=9)
    h = progress_series.habit_series(ws, exec_id=exec_id, start=start, end=end)
    expected = habits.compute_scores(habits.Schedule(HabitSchedule.DAILY), results, start, end)
    assert np.allclose(h.strength, [v * 100 for _d, v in expected])
    assert 0 < h.strength.max() < 100
    assert list(h.done_x) == [epoch(d) for d, r in results.items() if r == DONE]
    assert list(h.missed_x) == [epoch(start + dt.timedelta(days=4))]
    assert list(h.skipped_x) == [epoch(start + dt.timedelta(days=6))]
    # Four done days then a miss: one streak; 6th, (skip), 8th, 9th: the skip keeps the daily gap at 2 days -> broken.
    assert h.streaks == ((epoch(start), epoch(start + dt.timedelta(days=4))),)


def test_sessions_numbered_from_the_first_held_and_cancelled_left_out(ws: Workspace, exec_id: int) -> None:
    def add(day: D, title: str, status: SessionStatus) -> None:
        at = dt.datetime.combine(day, dt.time(9))
        sessions.save_session(ws, exec_id=exec_id, starts_at=at, ends_at=at + dt.timedelta(minutes=30), title=title,
                              status=status, today=D(2026, 1, 1))

    add(D(2026, 2, 2), "First tour", SessionStatus.HELD)
    add(D(2026, 2, 9), "Cancelled one", SessionStatus.CANCELLED)
    add(D(2026, 2, 16), "First comment", SessionStatus.HELD)
    add(D(2026, 3, 2), "Next step", SessionStatus.PLANNED)
    marks = progress_series.session_marks(ws, exec_id=exec_id, start=D(2026, 2, 10), end=D(2026, 3, 31))
    assert [m.text for m in marks] == ["Session 2 — First comment", "Planned — Next step"]
    assert marks[0].x == epoch(D(2026, 2, 16)) + DAY_S / 2


def test_activity_is_weekly_and_network_is_a_daily_mean(ws: Workspace, exec_id: int) -> None:
    figures = [metrics.ManualPeriod(D(2026, 3, 2), D(2026, 3, 8), {"messages": 7.0, "likes": 14.0}),
               metrics.ManualPeriod(D(2026, 3, 9), D(2026, 3, 15), {"messages": 3.0})]
    metrics.save_manual_figures(ws, exec_id=exec_id, periods=figures)
    network = [metrics.ManualPeriod(D(2026, 3, 1) + dt.timedelta(days=i), D(2026, 3, 1) + dt.timedelta(days=i),
                                    {"messages": 100.0 + i}) for i in range(10)]
    metrics.save_manual_figures(ws, exec_id=None, periods=network)
    act = progress_series.activity_series(ws, exec_id=exec_id, start=D(2026, 3, 1), end=D(2026, 3, 31))
    by_key = {s.key: s for s in act}
    assert list(by_key["messages"].y) == [7.0, 3.0]
    assert list(by_key["likes"].y) == [14.0]
    assert by_key["messages"].value_at(epoch(D(2026, 3, 8))) == 7.0
    net = progress_series.network_series(ws, start=D(2026, 3, 5), end=D(2026, 3, 10))
    assert [s.key for s in net] == ["messages"]
    assert net[0].x[0] == epoch(D(2026, 3, 5))
    assert net[0].y[0] == pytest.approx(np.mean([100, 101, 102, 103, 104]))  # 1–5 March
    assert net[0].y[-1] == pytest.approx(np.mean([103, 104, 105, 106, 107, 108, 109]))


def test_progress_data_on_the_demo_covers_every_chart_and_names_only_that_exec(demo_ws: Workspace) -> None:
    amelia = execs.find_exec(demo_ws, "Amelia Hart")
    data = progress_series.progress_data(demo_ws, exec_id=amelia.id)
    x0, x1 = data.x_range
    assert data.end == dt.date.today() and data.start <= amelia.joined - dt.timedelta(days=30)
    assert len(data.stage.ranks) >= 2 and data.stage.ranks[-1] == LadderStage.DIALOGUE.rank
    assert len(data.habit.x) > 100 and 0 <= data.habit.strength.min() and data.habit.strength.max() <= 100
    assert any(len(s) for s in data.rubric.values())
    assert {s.key for s in data.activity} >= {"messages", "replies", "likes"}
    assert {s.key for s in data.network} == {"messages", "replies", "likes"}
    for series in [*data.rubric.values(), *data.activity, *data.network, data.habit.as_series]:
        assert np.all(np.diff(series.x) > 0) or len(series) < 2
        assert len(series) == 0 or (x0 <= series.x[0] and series.x[-1] < x1)
    assert data.sessions and data.sessions[0].text.startswith("Session 1 — ")
    assert data.impact is not None and {line.metric for line in data.impact.network} >= {"messages", "likes"}
    others = [e.name for e in execs.list_execs(demo_ws) if e.id != amelia.id]
    texts = [m.text for m in data.sessions] + [line.text for line in data.impact.network] + list(data.impact.warnings)
    texts += [h for _d, h in data.habit.habit_changes] + [r for _d, _s, r in data.stage.changes]
    assert not [t for t in texts for name in others if name in t]


def test_preset_ranges_and_bad_ranges(demo_ws: Workspace) -> None:
    today = D(2026, 11, 23)
    assert progress_series.preset_range(28, today=today, first=D(2026, 1, 1)) == (D(2026, 10, 27), today)
    assert progress_series.preset_range(None, today=today, first=D(2026, 1, 1)) == (D(2026, 1, 1), today)
    with pytest.raises(ValidationError):
        progress_series.progress_data(demo_ws, exec_id=1, start=D(2026, 5, 1), end=D(2026, 4, 1))
    with pytest.raises(ValidationError):
        progress_series.progress_data(demo_ws, exec_id=99_999)
