"""Weekly series summed by the database (migration 0005's series index) agree with the day-by-day path.

``tests/data/workspace-0004.db`` is the demo workspace written at schema 0004:
``build_demo(ws, today=dt.date(2026, 11, 23))`` on a new file opened with ``TEST_KEY`` from conftest.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
from pathlib import Path

import numpy as np
from sqlalchemy import func, insert, select

from esncoach.models import MetricSample
from esncoach.services import execs, metrics
from esncoach.services.progress_series import weekly_series, weekly_totals
from esncoach.store import schema
from esncoach.store.workspace import Workspace

FIXTURE_0004 = Path(__file__).parent / "data" / "workspace-0004.db"
D = dt.date


def _samples(ws: Workspace, exec_id: int | None, rows: list[tuple[D, D, float]], metric: str = "likes") -> None:
    with ws.session() as s:
        s.execute(insert(MetricSample), [
            {"exec_id": exec_id, "metric": metric, "period_start": a, "period_end": b, "value": v, "source": "test"}
            for a, b, v in rows])


def _both(ws: Workspace, exec_id: int | None, start: D, end: D, metric: str = "likes") -> None:
    x, y = weekly_series(ws, exec_id=exec_id, metric=metric, start=start, end=end)
    ex, ey = weekly_totals(metrics.daily_series(ws, exec_id=exec_id, metric=metric, start=start, end=end), start, end)
    assert np.array_equal(x, ex)
    assert np.array_equal(y, ey)


def test_daily_figures_are_summed_by_week_in_the_database(any_ws: Workspace) -> None:
    rng = random.Random(4)
    ann = execs.add_exec(any_ws, name="Ann", today=D(2024, 1, 1))
    first = D(1969, 12, 20)  # weeks on both sides of 1970-01-01, where integer division could go wrong
    days = [first + dt.timedelta(days=i) for i in range(400) if rng.random() < 0.8]
    _samples(any_ws, ann, [(d, d, float(rng.randint(0, 9)) + 0.5 * rng.randint(0, 1)) for d in days])
    _samples(any_ws, None, [(d, d, float(rng.randint(100, 200))) for d in days])
    _samples(any_ws, ann, [(days[3], days[3], 2.0)])  # two figures on one day are added up, as before
    for exec_id in (ann, None):
        for start, end in ((first, first + dt.timedelta(days=399)), (D(1970, 1, 3), D(1970, 2, 11)),
                           (D(1970, 6, 1), D(1970, 6, 1))):
            _both(any_ws, exec_id, start, end)
    x, _y = weekly_series(any_ws, exec_id=ann, metric="likes", start=D(1970, 1, 5), end=D(1970, 1, 20))
    assert [dt.date(1970, 1, 1) + dt.timedelta(seconds=v) for v in x] == [D(1970, 1, 5), D(1970, 1, 12), D(1970, 1, 19)]
    assert weekly_series(any_ws, exec_id=ann, metric="replies", start=first, end=D(1971, 1, 1))[0].size == 0


def test_a_figure_over_a_period_falls_back_to_spreading_it(ws: Workspace) -> None:
    ann = execs.add_exec(ws, name="Ann", today=D(2026, 1, 1))
    _samples(ws, ann, [(D(2026, 3, d), D(2026, 3, d), 3.0) for d in range(1, 20)])
    _samples(ws, ann, [(D(2026, 3, 16), D(2026, 3, 29), 28.0)])  # a fortnight's figure fills days without one
    _both(ws, ann, D(2026, 3, 1), D(2026, 3, 31))
    _x, y = weekly_series(ws, exec_id=ann, metric="likes", start=D(2026, 3, 23), end=D(2026, 3, 29))
    assert list(y) == [14.0]


def test_the_series_index_serves_a_series_by_range(ws: Workspace) -> None:
    with ws.engine.connect() as conn:
        plan = " ".join(str(r[-1]) for r in conn.exec_driver_sql(
            "EXPLAIN QUERY PLAN SELECT sum(value) FROM metric_sample "
            "WHERE exec_id = 1 AND metric = 'likes' AND period_start BETWEEN '2026-01-01' AND '2026-03-01'").all())
    assert "ix_metric_sample_series" in plan


def test_a_schema_0004_file_gains_the_index_and_keeps_its_figures(tmp_path: Path, key) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "old.db"
    shutil.copy(FIXTURE_0004, target)
    with Workspace.open(target, key) as ws:
        with ws.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar_one() == schema.HEAD_REVISION
            names = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'index'").all()}
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar_one() == "ok"
        assert "ix_metric_sample_series" in names
        with ws.session() as s:
            assert s.scalar(select(func.count()).select_from(MetricSample)) > 1000
        amelia = execs.find_exec(ws, "Amelia Hart").id
        span = metrics.data_span(ws, exec_id=amelia)
        assert span is not None
        _both(ws, amelia, *span, metric="likes")
