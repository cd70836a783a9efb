"""The progress tab, the portfolio dashboard and chart export, driven as a user (and the report) would."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QCheckBox, QLabel

from esncoach.services import execs, progress_series
from esncoach.services.progress_series import DAY_S, epoch
from esncoach.store.workspace import Workspace
from esncoach.views.app_settings import AppSettings
from esncoach.views.charts.progress_page import ProgressTab
from esncoach.views.dates import date_text

STARTUP_CHECK = """
import sys
import time
from PySide6.QtWidgets import QApplication
app = QApplication([])
from esncoach.store.workspace import Workspace
from esncoach.store.keys import KeyMaterial
from esncoach.views.app_settings import AppSettings
from esncoach.views.main_window import MainWindow
ws = Workspace.open(sys.argv[1], KeyMaterial("raw", "0123456789abcdef" * 4))
window = MainWindow(ws, AppSettings())
window.refresh()
print("PG_AT_STARTUP", "pyqtgraph" in sys.modules)
tab = next(t for t in window.page.tab_widgets if type(t).__name__ == "ProgressTab")
window.show()
window.page.tabs.setCurrentWidget(tab)
deadline = time.monotonic() + 60
while not tab.charts and time.monotonic() < deadline:  # the series load on a worker thread
    app.processEvents()
    time.sleep(0.01)
print("PG_WHEN_SHOWN", "pyqtgraph" in sys.modules, len(tab.charts))
"""


def make_tab(qtbot, ws: Workspace, exec_id: int) -> ProgressTab:  # type: ignore[no-untyped-def]
    tab = ProgressTab(ws)
    qtbot.addWidget(tab)
    tab.resize(1100, 1300)
    tab.set_exec(exec_id)
    with qtbot.waitSignal(tab.sig_charts_built, timeout=60_000):
        tab.show()
    return tab


def view_range(chart) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    return tuple(chart.getPlotItem().getViewBox().viewRange()[0])  # type: ignore[return-value]


def test_pyqtgraph_loads_only_when_the_progress_tab_is_shown(demo_path: Path, tmp_path: Path) -> None:
    env = {"QT_QPA_PLATFORM": "offscreen", "ESNCOACH_SETTINGS_DIR": str(tmp_path), "PATH": "/usr/bin:/bin",
           "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    out = subprocess.run([sys.executable, "-c", STARTUP_CHECK, str(demo_path)], capture_output=True, text=True,
                         timeout=120, env=env)
    assert "PG_AT_STARTUP False" in out.stdout, out.stdout + out.stderr
    assert "PG_WHEN_SHOWN True 5" in out.stdout, out.stdout + out.stderr


def test_progress_tab_draws_every_series_linked_with_sessions(qtbot, demo_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    amelia = execs.find_exec(demo_ws, "Amelia Hart")
    tab = make_tab(qtbot, demo_ws, amelia.id)
    data = tab.data
    assert [c.key for c in tab.charts] == ["stage", "habit", "rubric", "activity", "network"]
    by_key = {c.key: c for c in tab.charts}
    assert {s.key for s, _i, _f in by_key["network"].series} == {"messages", "replies", "likes"}
    assert {s.key for s, _i, _f in by_key["activity"].series} >= {"messages", "replies", "likes"}
    assert {s.key for s, _i, _f in by_key["rubric"].series} == set(data.rubric)
    assert {s.key for s, _i, _f in by_key["habit"].series} >= {"strength", "done"}
    stage_item = by_key["stage"].series_item("stage")
    assert list(stage_item.yData) == list(data.stage.ranks)
    for chart in tab.charts:  # sessions drawn on every chart
        assert sorted(x for lines in chart.session_lines for x in lines.positions()) == [m.x for m in data.sessions]
    # Zooming one chart moves all of them.
    by_key["rubric"].getPlotItem().setXRange(epoch(dt.date.today()) - 40 * DAY_S, epoch(dt.date.today()), padding=0)
    ranges = {view_range(c) for c in tab.charts}
    assert len(ranges) == 1
    x0, x1 = ranges.pop()
    assert abs((x1 - x0) - 40 * DAY_S) < DAY_S


def test_range_presets_set_every_chart(qtbot, demo_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    tab = make_tab(qtbot, demo_ws, execs.find_exec(demo_ws, "Amelia Hart").id)
    today = dt.date.today()
    qtbot.mouseClick(tab.range_buttons["4 weeks"], Qt.MouseButton.LeftButton)
    for chart in tab.charts:
        x0, x1 = view_range(chart)
        assert abs(x0 - epoch(today - dt.timedelta(days=27))) < 60 and abs(x1 - (epoch(today) + DAY_S)) < 60
    qtbot.mouseClick(tab.range_buttons["All"], Qt.MouseButton.LeftButton)
    x0, x1 = view_range(tab.charts[-1])
    assert abs(x0 - epoch(tab.data.start)) < 60 and abs(x1 - tab.data.x_range[1]) < 60
    assert tab.range_buttons["All"].isChecked() and not tab.range_buttons["4 weeks"].isChecked()


def test_hover_reads_exact_values_and_session_text(qtbot, demo_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    tab = make_tab(qtbot, demo_ws, execs.find_exec(demo_ws, "Amelia Hart").id)
    habit = next(c for c in tab.charts if c.key == "habit")
    session = tab.data.sessions[0]
    vb = habit.getPlotItem().getViewBox()
    text = habit.hover_at(vb.mapViewToScene(QPointF(session.x, 50)))
    assert session.text in text
    assert date_text(progress_series.day_of(session.x)) in text
    i = int(len(tab.data.habit.x) * 0.8)
    day_x = tab.data.habit.x[i] + DAY_S / 2
    text = habit.hover_at(vb.mapViewToScene(QPointF(day_x, 50)))
    assert f"Habit strength: {tab.data.habit.strength[i]:.0f}%" in text
    others = [c for c in tab.charts if c is not habit]
    assert all(c._crosshair.isVisible() and abs(c._crosshair.value() - day_x) < 1 for c in others)


def test_rubric_criteria_toggle(qtbot, demo_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    tab = make_tab(qtbot, demo_ws, execs.find_exec(demo_ws, "Amelia Hart").id)
    criterion, box = next(iter(tab.criterion_boxes.items()))
    rubric = next(c for c in tab.charts if c.key == "rubric")
    assert rubric.series_item(criterion).isVisible()
    box.click()
    assert not rubric.series_item(criterion).isVisible()
    box.click()
    assert rubric.series_item(criterion).isVisible()
    rubric.series_item(criterion).setVisible(False)  # what a click on its legend entry does
    assert not box.isChecked()


def test_progress_page_never_names_another_exec(qtbot, demo_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    amelia = execs.find_exec(demo_ws, "Amelia Hart")
    tab = make_tab(qtbot, demo_ws, amelia.id)
    texts = [w.text() for w in tab.findChildren(QLabel)] + [w.text() for w in tab.findChildren(QCheckBox)]
    for chart in tab.charts:
        texts.append(chart.chart_title)
        texts += [s.label for s, _i, _f in chart.series]
        for x in list(chart.series[0][0].x[::7]) if chart.series else []:
            texts.append(chart.readout_text(x, 0) or "")
    others = [e.name for e in execs.list_execs(demo_ws) if e.id != amelia.id]
    assert not [t for t in texts for name in others if name in t]


def test_switching_exec_while_hidden_rebuilds_when_shown(qtbot, demo_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    tab = make_tab(qtbot, demo_ws, execs.find_exec(demo_ws, "Amelia Hart").id)
    tab.hide()
    jonas = execs.find_exec(demo_ws, "Jonas Becker")
    tab.set_exec(jonas.id)
    assert tab.data.exec_id != jonas.id  # not rebuilt while hidden
    with qtbot.waitSignal(tab.sig_charts_built, timeout=60_000):
        tab.show()
    assert tab.data.exec_id == jonas.id
    tab.set_exec(None)
    assert tab.charts == [] and tab.empty.isVisible()


def test_export_each_chart_to_png_and_svg(qtbot, demo_ws: Workspace, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    tab = make_tab(qtbot, demo_ws, execs.find_exec(demo_ws, "Amelia Hart").id)
    qtbot.waitUntil(lambda: tab.charts[0].width() > 500)  # laid out, as when the user picks Export
    pngs = tab.export_all(str(tmp_path), "png")
    svgs = tab.export_all(str(tmp_path), "svg")
    assert len(pngs) == len(svgs) == 5
    for path, chart in zip(pngs, tab.charts, strict=True):
        image = QImage(path)
        assert not image.isNull()
        assert image.width() == round(chart.width() * 3) and image.height() == round(chart.height() * 3)
        assert round(image.dotsPerMeterX() * 0.0254) == 300
    for path in svgs:
        root = ET.parse(path).getroot()
        assert root.tag.endswith("svg")
        assert len(list(root.iter())) > 20
    assert "Ladder stage" in Path(svgs[0]).read_text(encoding="utf-8")


def _distinct_colours(image: QImage, step: int = 7) -> int:
    return len({image.pixel(x, y) for x in range(0, image.width(), step) for y in range(0, image.height(), step)})


def test_render_progress_charts_for_the_report(qtbot, demo_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    from esncoach.views.charts.export import render_progress_charts

    amelia = execs.find_exec(demo_ws, "Amelia Hart")
    today = dt.date.today()
    light = render_progress_charts(demo_ws, exec_id=amelia.id, start=today - dt.timedelta(days=120), end=today,
                                   width_px=2400, height_px=700)
    assert [t for t, _i in light] == ["Ladder stage", "Habit strength", "Practice post scores (rubric)",
                                      "Own activity (per week)", "Network activity (per day, 7-day mean)"]
    for _title, image in light:
        assert (image.width(), image.height()) == (2400, 700)
        assert _distinct_colours(image) > 8  # drawn, not blank
        assert QImage(image).pixelColor(5, 5).lightness() > 240
    dark = render_progress_charts(demo_ws, exec_id=amelia.id, start=today - dt.timedelta(days=120), end=today,
                                  width_px=1200, height_px=400, dark=True)
    assert all(image.pixelColor(5, 5).lightness() < 60 for _t, image in dark)


def test_dashboard_click_through_selects_the_exec(qtbot, demo_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    from esncoach.views.charts.dashboard import open_dashboard
    from esncoach.views.main_window import MainWindow

    window = MainWindow(demo_ws, AppSettings())
    qtbot.addWidget(window)
    window.refresh()
    window.show()
    action = window.findChild(type(window.menus["View"].actions()[0]),
                              "hook:esncoach.views.charts.dashboard:open_dashboard")
    assert action is not None and action.shortcut().toString() == "Ctrl+D"
    dash = open_dashboard(window)
    qtbot.addWidget(dash)
    qtbot.waitUntil(lambda: len(dash.charts) == 5)
    stages = next(c for c in dash.charts if c.key == "stages")
    jonas = execs.find_exec(demo_ws, "Jonas Becker")
    x, y = stages.target_center(jonas.id)
    scene_pt = stages.getPlotItem().getViewBox().mapViewToScene(QPointF(x, y))
    pos = stages.mapFromScene(scene_pt)
    with qtbot.waitSignal(dash.sig_exec_activated) as blocker:
        qtbot.mouseClick(stages.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert blocker.args == [jonas.id]
    assert window.current_exec_id() == jonas.id
    assert "Jonas Becker" in (stages.readout_text(x, y) or "")
    network = next(c for c in dash.charts if c.key == "network")
    qtbot.waitUntil(lambda: network.getPlotItem().getViewBox().viewRange()[1][1] > 1000)  # y fitted to the data
    amelia = execs.find_exec(demo_ws, "Amelia Hart")
    x, y = network.target_center(amelia.id)
    pos = network.mapFromScene(network.getPlotItem().getViewBox().mapViewToScene(QPointF(x, y)))
    with qtbot.waitSignal(dash.sig_exec_activated) as blocker:
        qtbot.mouseClick(network.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert blocker.args == [amelia.id]
    assert open_dashboard(window) is dash  # one dashboard per window


def test_dashboard_shows_every_figure(qtbot, demo_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    from esncoach.views.charts.dashboard import DashboardWidget

    dash = DashboardWidget(demo_ws)
    qtbot.addWidget(dash)
    dash.resize(1366, 768)
    with qtbot.waitSignal(dash.sig_charts_built, timeout=60_000):
        dash.show()
    by_key = {c.key: c for c in dash.charts}
    pf = dash.data
    assert len(by_key["stages"].targets) == sum(b.count for b in pf.stages)
    assert len(by_key["strength"].targets) == sum(b.count for b in pf.strength)
    assert len(by_key["sessions"].targets) == sum(b.count for b in pf.sessions)
    assert len(by_key["moves"].targets) == len(pf.moves)
    assert len(by_key["network"].targets) == len(pf.joins)
    assert dash.attention is not None
    qtbot.waitUntil(dash.attention.isVisible)
    assert "executives" in dash.summary.text()


def test_render_portfolio_charts_for_the_report(qtbot, demo_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    from esncoach.views.charts.export import render_portfolio_charts

    images = render_portfolio_charts(demo_ws, width_px=1800, height_px=900)
    assert len(images) == 5
    assert all((i.width(), i.height()) == (1800, 900) and _distinct_colours(i) > 5 for _t, i in images)
