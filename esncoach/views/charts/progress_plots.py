"""The five stacked charts of an exec's progress, built from ``progress_series.ProgressData``.

The app's progress page and the report export both call ``build_progress_charts``, so a chart looks
the same on screen, in a PNG/SVG and in the PDF. Never shows any exec but the one the data is about.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QWidget

from esncoach.models import LadderStage
from esncoach.services.progress_series import CHART_KEYS, DAY_S, ProgressData, Series, epoch
from esncoach.views.charts.plots import ChartWidget, series_pen, step_edges
from esncoach.views.charts.theme import Theme

MARK_Y = -7.0
"""Where check-in marks sit on the habit chart: a rug just under the 0% line."""

RUBRIC_DODGE = 0.05
"""Vertical offset between criteria on the rubric chart, so equal scores on one day do not hide each other."""


def _stage_chart(data: ProgressData, theme: Theme, parent: QWidget | None) -> ChartWidget:
    chart = ChartWidget("stage", "Ladder stage", theme, parent=parent)
    pi = chart.getPlotItem()
    stages = list(LadderStage)
    pi.getAxis("left").setTicks([[(s.rank, s.label) for s in stages]])
    pi.setYRange(-0.4, len(stages) - 0.6, padding=0)
    st = data.stage
    if len(st.ranks):
        # stepMode "center" wants one more x than y: each stage holds until the next edge.
        item = pg.PlotDataItem(st.edges, st.ranks, stepMode="center", pen=series_pen(theme, 0, 2.5))
        chart.add_series(st.as_series, item, legend=False,
                         fmt=lambda v: stages[int(round(v))].label)
        moves = [(epoch(d), s.rank) for d, s, _r in st.changes]
        if moves:
            dots = pg.ScatterPlotItem([m[0] for m in moves], [m[1] for m in moves], size=8,
                                      brush=pg.mkBrush(theme.color(0)), pen=pg.mkPen(theme.background))
            pi.addItem(dots)
    return chart


def _habit_chart(data: ProgressData, theme: Theme, parent: QWidget | None) -> ChartWidget:
    chart = ChartWidget("habit", "Habit strength", theme, parent=parent)
    pi = chart.getPlotItem()
    chart.add_legend(columns=5)
    pi.getAxis("left").setTicks([[(v, f"{v}%") for v in (0, 25, 50, 75, 100)]])
    pi.setYRange(MARK_Y - 5, 108, padding=0)
    h = data.habit
    if not len(h.x):
        chart.show_message("No habit in this range yet")
    if h.streaks:
        x0 = np.array([a for a, _b in h.streaks])
        x1 = np.array([b for _a, b in h.streaks])
        shade = pg.BarGraphItem(x0=x0, x1=x1, y0=np.zeros(len(x0)), y1=np.full(len(x0), 100.0),
                                brush=pg.mkBrush(theme.qcolor(theme.streak, theme.streak_alpha)), pen=pg.mkPen(None))
        shade.setZValue(-10)
        pi.addItem(shade)
        if chart.legend is not None:
            chart.legend.addItem(shade, "Streak")
    curve = pg.PlotDataItem(h.x, h.strength, pen=series_pen(theme, 0, 2.5))
    chart.add_series(h.as_series, curve, fmt=lambda v: f"{v:.0f}%")
    marks = (("done", "Done", h.done_x, "o", theme.good), ("skipped", "Skipped", h.skipped_x, "s", theme.muted),
             ("missed", "Missed", h.missed_x, "x", theme.bad))
    for key, label, xs, symbol, colour in marks:
        if not len(xs):
            continue
        dots = pg.ScatterPlotItem(xs + DAY_S / 2, np.full(len(xs), MARK_Y), symbol=symbol, size=7,
                                  brush=pg.mkBrush(colour), pen=pg.mkPen(colour))
        chart.add_series(Series(key, label, xs + DAY_S / 2, np.ones(len(xs))), dots, fmt=lambda _v: "✓")
    return chart


def _rubric_chart(data: ProgressData, theme: Theme, parent: QWidget | None) -> ChartWidget:
    chart = ChartWidget("rubric", "Practice post scores (rubric)", theme, parent=parent)
    pi = chart.getPlotItem()
    chart.add_legend(columns=3)
    pi.getAxis("left").setTicks([[(v, str(v)) for v in range(1, 6)]])
    pi.setYRange(0.6, 5.4, padding=0)
    n = len(data.rubric)
    if not any(len(s) for s in data.rubric.values()):
        chart.show_message("No scored practice posts in this range yet")
    for i, (criterion, series) in enumerate(data.rubric.items()):
        if not len(series):
            continue
        dodge = (i - (n - 1) / 2) * RUBRIC_DODGE
        item = pg.PlotDataItem(series.x + DAY_S / 2, series.y + dodge, pen=series_pen(theme, i, 1.8),
                               symbol="o", symbolSize=6, symbolBrush=pg.mkBrush(theme.color(i)),
                               symbolPen=pg.mkPen(theme.color(i)))
        shown = Series(series.key, criterion, series.x + DAY_S / 2, series.y, "/5")
        chart.add_series(shown, item, fmt=lambda v: f"{v:.0f} / 5")
    return chart


def _activity_chart(data: ProgressData, theme: Theme, parent: QWidget | None) -> ChartWidget:
    chart = ChartWidget("activity", "Own activity (per week)", theme, parent=parent)
    chart.add_legend(columns=4)
    _count_axis(chart)
    if not any(len(s) for s in data.activity):
        chart.show_message("No figures for this executive yet")
        chart.getPlotItem().setYRange(0, 10, padding=0)
    for i, series in enumerate(data.activity):
        item = pg.PlotDataItem(step_edges(series), series.y, stepMode="center", pen=series_pen(theme, i, 2.0))
        chart.add_series(series, item)
    _join_line(chart, data, theme)
    return chart


def _network_chart(data: ProgressData, theme: Theme, parent: QWidget | None) -> ChartWidget:
    chart = ChartWidget("network", "Network activity (per day, 7-day mean)", theme, parent=parent)
    chart.add_legend(columns=4)
    _count_axis(chart)
    pi = chart.getPlotItem()
    pi.setDownsampling(auto=True, mode="peak")
    pi.setClipToView(True)
    if not any(len(s) for s in data.network):
        chart.show_message("No network figures yet")
        pi.setYRange(0, 10, padding=0)
    for i, series in enumerate(data.network):
        item = pg.PlotDataItem(series.x + DAY_S / 2, series.y, pen=series_pen(theme, i, 1.5))
        chart.add_series(series, item)
    _join_line(chart, data, theme)
    return chart


def _count_axis(chart: ChartWidget) -> None:
    vb = chart.getPlotItem().getViewBox()
    vb.enableAutoRange(axis="y")
    vb.setAutoVisible(y=True)
    vb.setLimits(yMin=0)


def _join_line(chart: ChartWidget, data: ProgressData, theme: Theme) -> None:
    if data.joined is None or not data.start <= data.joined <= data.end:
        return
    line = pg.InfiniteLine(pos=epoch(data.joined), angle=90, movable=False, pen=pg.mkPen(theme.foreground, width=1.5),
                           label="Joined", labelOpts={"position": 0.92, "color": theme.foreground, "anchors": [(0, 0), (0, 0)]})
    line.setZValue(-4)
    chart.getPlotItem().addItem(line, ignoreBounds=True)


BUILDERS = {"stage": _stage_chart, "habit": _habit_chart, "rubric": _rubric_chart,
            "activity": _activity_chart, "network": _network_chart}


def build_progress_charts(data: ProgressData, theme: Theme, *, parent: QWidget | None = None) -> list[ChartWidget]:
    """The stacked charts of one exec, x-linked to the first, each with the coaching sessions marked."""
    charts = [BUILDERS[key](data, theme, parent) for key in CHART_KEYS]
    link_charts(charts, data)
    return charts


def link_charts(charts: list[ChartWidget], data: ProgressData) -> None:
    """Mark the sessions on every chart and link their x axes (and crosshairs) to the first one's."""
    for chart in charts:
        link_chart(charts, chart, data)
    charts[0].getPlotItem().setXRange(*data.x_range, padding=0)


def link_chart(charts: list[ChartWidget], chart: ChartWidget, data: ProgressData) -> None:
    """Mark the sessions on one chart of ``charts`` and link its x axis (and crosshair) to the first chart's.

    ``charts`` may still grow: the progress page links each chart as it is built, so the last one does not
    make every chart re-range and repaint in one turn of the event loop.
    """
    chart.add_sessions(data.sessions)
    chart.set_x_limits(*data.x_range)
    if chart is not charts[0]:
        chart.getPlotItem().setXLink(charts[0].getPlotItem())
    chart.sig_hover_x.connect(lambda x, src=chart: [c.show_crosshair(x) for c in charts if c is not src])
