"""Charts on a CM's day: the habit chart uses its width and says its dates; the wheel scrolls the page."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from esncoach.models import CheckInResult, HabitSchedule
from esncoach.services import execs, habits
from esncoach.store.workspace import Workspace
from esncoach.views.charts.progress_page import ProgressTab
from esncoach.views.habits.tab import HabitTab


def test_a_new_habit_fills_the_chart_with_date_labels(qtbot, ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    today = dt.date.today()
    exec_id = execs.add_exec(ws, name="Marcus Lee")
    started = today - dt.timedelta(days=7)
    habits.set_commitment(ws, exec_id=exec_id, description="Read the stream", schedule=HabitSchedule.DAILY,
                          times=1, period_days=1, started_on=started)
    for n in range(7):
        habits.check_in(ws, exec_id=exec_id, day=started + dt.timedelta(days=n), result=CheckInResult.DONE)
    tab = HabitTab(ws)
    qtbot.addWidget(tab)
    tab.resize(900, 600)
    with qtbot.waitSignal(tab.loader.sig_loaded):
        tab.set_exec(exec_id)
    tab.show()
    chart = tab.chart
    lo, hi = chart.x_range()
    assert hi == today and (hi - lo).days <= 14  # not 91 days of nothing before a week of data
    first = chart.series.points[0][0]
    assert (first - lo).days / (hi - lo).days < 0.6  # the curve takes most of the width, not the rightmost 8%
    labels = [text for _d, text in chart.axis_labels()]
    assert len(labels) == 3 and all(labels)
    assert not chart.grab().isNull()


def test_mouse_wheel_over_a_progress_chart_scrolls_the_page(qtbot, demo_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    tab = ProgressTab(demo_ws)
    qtbot.addWidget(tab)
    tab.resize(900, 500)  # shorter than the charts: the page scrolls
    tab.set_exec(execs.find_exec(demo_ws, "Amelia Hart").id)
    with qtbot.waitSignal(tab.sig_charts_built, timeout=60_000):
        tab.show()
    bar = tab.scroll.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    chart = tab.charts[0]  # at the top of the page, under the mouse
    before_range = tuple(chart.getPlotItem().getViewBox().viewRange()[0])
    target = chart.viewport()
    centre = QPointF(target.rect().center())
    event = QWheelEvent(centre, QPointF(target.mapToGlobal(target.rect().center())), QPoint(0, 0), QPoint(0, -120),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(target, event)
    assert bar.value() > 0
    assert tuple(chart.getPlotItem().getViewBox().viewRange()[0]) == before_range  # no zoom
