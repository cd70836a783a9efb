"""The portfolio dashboard's figures: every bar segment and point stands for the right exec."""

from __future__ import annotations

import datetime as dt

from esncoach.models import CheckInResult, HabitSchedule, LadderStage, SessionStatus
from esncoach.services import execs, habits, ladder, metrics, portfolio, sessions
from esncoach.services.progress_series import epoch
from esncoach.store.workspace import Workspace

D = dt.date
TODAY = D(2026, 11, 18)  # a Wednesday


def _add(ws: Workspace, name: str, **kw) -> int:  # type: ignore[no-untyped-def]
    return execs.add_exec(ws, name=name, today=D(2026, 1, 5), **kw)


def _session(ws: Workspace, exec_id: int, day: D, status: SessionStatus, title: str = "Catch-up") -> None:
    at = dt.datetime.combine(day, dt.time(10))
    sessions.save_session(ws, exec_id=exec_id, starts_at=at, ends_at=at + dt.timedelta(minutes=45), title=title,
                          status=status, today=D(2026, 1, 1))


def test_stage_bars_have_one_segment_per_active_exec(ws: Workspace) -> None:
    a = _add(ws, "Ann", stage=LadderStage.COMMENT)
    b = _add(ws, "Bea", stage=LadderStage.COMMENT)
    c = _add(ws, "Cy")
    gone = _add(ws, "Old", stage=LadderStage.DIALOGUE)
    execs.set_archived(ws, gone, archived=True)
    bars = {b.label: b for b in portfolio.stage_bars(ws)}
    assert list(bars) == [s.label for s in LadderStage]
    assert [r.exec_id for r in bars["Comment"].segments] == [a, b]
    assert [r.exec_id for r in bars["Listen"].segments] == [c]
    assert bars["Open dialogue"].count == 0


def test_month_moves_since_the_first_of_the_month(ws: Workspace) -> None:
    a = _add(ws, "Ann")
    ladder.move_stage(ws, exec_id=a, to_stage=LadderStage.LIKE, on=D(2026, 10, 30), reason="r", today=TODAY)
    ladder.move_stage(ws, exec_id=a, to_stage=LadderStage.COMMENT, on=D(2026, 11, 3), reason="r", today=TODAY)
    ladder.move_stage(ws, exec_id=a, to_stage=LadderStage.LIKE, on=D(2026, 11, 10), reason="r", today=TODAY)
    moves = portfolio.month_moves(ws, today=TODAY)
    assert [(m.day, m.up) for m in moves] == [(D(2026, 11, 3), True), (D(2026, 11, 10), False)]
    assert moves[1].text == "Ann: Comment → Like (10 Nov)"


def test_strength_bars_bin_current_strength(ws: Workspace) -> None:
    keen = _add(ws, "Keen")
    lazy = _add(ws, "Lazy")
    none = _add(ws, "None")
    start = TODAY - dt.timedelta(days=60)
    for exec_id, every in ((keen, 1), (lazy, 10)):
        habits.set_commitment(ws, exec_id=exec_id, description="Like a post", schedule=HabitSchedule.DAILY,
                              started_on=start, today=start)
        for i in range(0, 61, every):
            habits.check_in(ws, exec_id=exec_id, day=start + dt.timedelta(days=i), result=CheckInResult.DONE,
                            today=TODAY)
    bars, no_habit = portfolio.strength_bars(ws, today=TODAY)
    assert len(bars) == 10 and bars[0].label == "0–10%" and bars[-1].label == "90–100%"
    where = {ref.exec_id: i for i, bar in enumerate(bars) for ref in bar.segments}
    keen_strength = habits.habit_status(ws, exec_id=keen, today=TODAY).strength
    assert where[keen] == min(9, int(keen_strength * 10)) and where[keen] >= 8
    assert where[lazy] <= 2
    assert [r.exec_id for r in no_habit] == [none]


def test_session_bars_count_held_sessions_per_week(ws: Workspace) -> None:
    a = _add(ws, "Ann")
    b = _add(ws, "Bea")
    _session(ws, a, D(2026, 11, 16), SessionStatus.HELD, "Comments")  # this week (Monday)
    _session(ws, b, D(2026, 11, 17), SessionStatus.HELD)
    _session(ws, a, D(2026, 11, 15), SessionStatus.HELD)  # the Sunday before: last week
    _session(ws, b, D(2026, 11, 12), SessionStatus.CANCELLED)
    _session(ws, b, D(2026, 11, 20), SessionStatus.PLANNED)
    _session(ws, a, D(2026, 1, 5), SessionStatus.HELD)  # long before the 26 weeks
    bars, weeks = portfolio.session_bars(ws, today=TODAY)
    assert len(bars) == len(weeks) == 26
    assert weeks[-1] == D(2026, 11, 16) and weeks[0] == D(2026, 11, 16) - dt.timedelta(weeks=25)
    assert [r.exec_id for r in bars[-1].segments] == [a, b]
    assert bars[-1].segments[0].detail == "Mon 16 Nov — Comments"
    assert [r.exec_id for r in bars[-2].segments] == [a]
    assert sum(b.count for b in bars) == 3


def test_network_totals_whole_weeks_and_join_marks(ws: Workspace) -> None:
    a = _add(ws, "Ann", joined=D(2026, 3, 11))
    _add(ws, "Bea")
    days = [D(2026, 3, 4) + dt.timedelta(days=i) for i in range(20)]  # Wednesday 4 to Monday 23 March
    metrics.save_manual_figures(ws, exec_id=None, periods=[
        metrics.ManualPeriod(d, d, {"messages": 10.0, "likes": 1.0}) for d in days])
    series, joins = portfolio.network_totals(ws)
    msgs = next(s for s in series if s.key == "messages")
    assert list(msgs.x) == [epoch(D(2026, 3, 9)), epoch(D(2026, 3, 16))]  # partial first and last weeks left out
    assert list(msgs.y) == [70.0, 70.0]
    assert [(j.exec_id, j.day) for j in joins] == [(a, D(2026, 3, 11))]
    assert portfolio.value_at_join(msgs, joins[0]) == 70.0


def test_portfolio_on_the_demo_adds_up(demo_ws: Workspace) -> None:
    pf = portfolio.portfolio(demo_ws)
    active = [e for e in execs.list_execs(demo_ws) if not e.archived]
    assert sum(b.count for b in pf.stages) == len(active)
    assert sum(b.count for b in pf.strength) + len(pf.no_habit) == len(active)
    assert sum(b.count for b in pf.sessions) > 20
    assert len(pf.joins) == sum(1 for e in active if e.joined)
    assert {s.key for s in pf.network} == {"messages", "replies", "likes"}
    assert pf.moves_up + pf.moves_back == len(pf.moves)
