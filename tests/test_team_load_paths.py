"""The lean read paths the team load bench found costly give exactly what the ORM paths gave, on both backends."""

from __future__ import annotations

import datetime as dt

import pytest

from esncoach.models import CheckInResult, HabitSchedule
from esncoach.services import execs, habits, sessions
from esncoach.store.workspace import Workspace


@pytest.fixture(params=["sqlite", "postgresql"])
def demo_any(request: pytest.FixtureRequest) -> Workspace:
    """The demo workspace on each backend: an encrypted file, then a team database (as its owner)."""
    return request.getfixturevalue("demo_ws" if request.param == "sqlite" else "pg_demo_ws")


def test_list_sessions_reads_what_get_session_reads(demo_any: Workspace) -> None:
    seen_mentor = seen_items = seen_owner_person = 0
    for ex in execs.list_execs(demo_any):
        listed = sessions.list_sessions(demo_any, exec_id=ex.id)
        assert [r.starts_at for r in listed] == sorted((r.starts_at for r in listed), reverse=True)
        assert listed == [sessions.get_session(demo_any, r.id) for r in listed]
        seen_mentor += sum(1 for r in listed if r.mentor_name)
        seen_items += sum(len(r.action_items) for r in listed)
        seen_owner_person += sum(1 for r in listed for i in r.action_items if i.owner_name and i.owner.value != "exec")
    assert seen_mentor and seen_items and seen_owner_person  # the demo covers mentors and owners by name


def test_get_exec_reads_what_the_exec_list_shows(demo_any: Workspace) -> None:
    listed = execs.list_execs(demo_any)
    assert [execs.get_exec(demo_any, r.id) for r in listed] == listed
    assert any(r.last_session for r in listed) and any(r.supporters for r in listed)


def test_a_carried_item_shows_superseded_in_the_list(any_ws: Workspace) -> None:
    exec_id = execs.add_exec(any_ws, name="Carla Mendes", title="CFO")
    held = sessions.save_session(any_ws, exec_id=exec_id, title="First", starts_at=dt.datetime(2026, 1, 5, 9),
                                 ends_at=dt.datetime(2026, 1, 5, 10),
                                 action_items=[sessions.ActionItemInput(text="Post twice")])
    sessions.set_status(any_ws, session_id=held, status=sessions.SessionStatus.HELD, now=dt.datetime(2026, 1, 6))
    draft = sessions.new_session_draft(any_ws, exec_id=exec_id, now=dt.datetime(2026, 1, 7))
    sessions.save_session(any_ws, exec_id=exec_id, title="Second", starts_at=dt.datetime(2026, 1, 19, 9),
                          ends_at=dt.datetime(2026, 1, 19, 10),
                          action_items=[sessions.ActionItemInput(text=i.text, carried_from_id=i.id)
                                 for i in draft.carried_items])
    second, first = sessions.list_sessions(any_ws, exec_id=exec_id)
    assert [i.superseded for i in first.action_items] == [True]
    assert [(i.text, i.superseded, i.carried_from_id) for i in second.action_items] == [
        ("Post twice", False, first.action_items[0].id)]
    assert (second, first) == (sessions.get_session(any_ws, second.id), sessions.get_session(any_ws, first.id))


def test_check_in_on_an_exec_with_two_habits_goes_to_the_current_one(any_ws: Workspace) -> None:
    exec_id = execs.add_exec(any_ws, name="Dan Okafor", title="COO")
    today = dt.date(2026, 3, 2)
    weekly = HabitSchedule.TIMES_PER_PERIOD
    habits.set_commitment(any_ws, exec_id=exec_id, description="Comment twice a week", schedule=weekly, times=2,
                          period_days=7, started_on=today - dt.timedelta(days=60), today=today - dt.timedelta(days=60))
    habits.check_in(any_ws, exec_id=exec_id, day=today - dt.timedelta(days=20), result=CheckInResult.DONE,
                    today=today - dt.timedelta(days=20))
    habits.set_commitment(any_ws, exec_id=exec_id, description="Post once a week", schedule=weekly, times=1,
                          period_days=7, started_on=today - dt.timedelta(days=10), today=today - dt.timedelta(days=10))
    habits.check_in(any_ws, exec_id=exec_id, day=today, result=CheckInResult.DONE, note="posted", today=today)
    status = habits.habit_status(any_ws, exec_id=exec_id, today=today)
    assert status is not None and status.description == "Post once a week"
    assert (status.today_result, status.today_note, status.period_done) == (CheckInResult.DONE, "posted", 1)
    history = habits.habit_history(any_ws, exec_id=exec_id)
    assert sorted((h.description, h.done_count) for h in history) == [("Comment twice a week", 1),
                                                                       ("Post once a week", 1)]


def _scores_as_before(schedule: habits.Schedule, results: dict[dt.date, CheckInResult], start: dt.date,
                      end: dt.date, today: dt.date | None) -> list[tuple[dt.date, float]]:
    """compute_scores as it was written before the running window count (the reference)."""
    numerator, denominator = schedule.numerator, schedule.denominator
    if schedule.frequency < 1.0:
        numerator, denominator = numerator * 2, denominator * 2
    multiplier = habits.loop_multiplier(schedule.frequency)
    scores, score, window, day = [], 0.0, [], start
    while day <= end:
        result = results.get(day)
        window.append(result == CheckInResult.DONE)
        if len(window) > denominator:
            window.pop(0)
        if result != CheckInResult.SKIPPED and not (today is not None and day == today and result is None):
            score = score * multiplier + min(1.0, sum(window) / numerator) * (1 - multiplier)
        scores.append((day, score))
        day += dt.timedelta(days=1)
    return scores


def test_strength_scores_are_the_same_bits_as_before() -> None:
    import random

    rng = random.Random(19)
    start = dt.date(2023, 1, 2)
    for _ in range(60):
        schedule = habits.Schedule(rng.choice(list(HabitSchedule)), rng.randint(1, 5), rng.choice([1, 3, 7, 14, 30]))
        results = {start + dt.timedelta(days=d): rng.choice(list(CheckInResult))
                   for d in range(1100) if rng.random() < 0.4}
        end = start + dt.timedelta(days=rng.randint(0, 1100))
        today = rng.choice([None, end, end - dt.timedelta(days=3)])
        assert habits.compute_scores(schedule, results, start, end, today=today) == _scores_as_before(
            schedule, results, start, end, today)


def test_a_pooled_connection_is_pinged_only_after_the_server_dropped_it(pg_server, pg_demo_ws: Workspace,  # type: ignore[no-untyped-def]
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    dialect = pg_demo_ws.engine.dialect
    pings: list[bool] = []
    real_ping = dialect.do_ping

    def counted(conn):  # type: ignore[no-untyped-def]
        try:
            real_ping(conn)
        except Exception:
            pings.append(False)
            raise
        pings.append(True)

    monkeypatch.setattr(dialect, "do_ping", counted)

    def backend() -> int:
        with pg_demo_ws.session() as s:
            return int(s.connection().exec_driver_sql("SELECT pg_backend_pid()").scalar_one())

    first = backend()
    assert [backend() for _ in range(3)] == [first] * 3 and pings == []  # an idle healthy connection: no round trip
    with pg_server.admin() as admin:  # the server ends it (as a restart or an administrator would)
        admin.execute("SELECT pg_terminate_backend(%s, 5000)", (first,))
    assert backend() != first and pings == [False]  # noticed, pinged, replaced: the unit of work just works
    assert execs.list_execs(pg_demo_ws)
