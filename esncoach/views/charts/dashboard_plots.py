"""The portfolio dashboard's charts, built from ``portfolio.Portfolio``; every bar segment and point is an
exec (or one exec's session) that a click opens.

Shared by the dashboard window and the report export (``export.render_portfolio_charts``).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QWidget

from esncoach.models import LadderStage
from esncoach.services.portfolio import Bar, ExecRef, Portfolio, value_at_join
from esncoach.services.progress_series import DAY_S, epoch
from esncoach.views.charts.plots import ChartWidget, VLines, series_pen, step_edges
from esncoach.views.charts.theme import Theme
from esncoach.views.dates import date_text

POINT_HIT_PX = 9
DASHBOARD_KEYS = ("stages", "strength", "sessions", "moves", "network")


@dataclass(frozen=True)
class Target:
    """A clickable area of a chart: a rectangle in view coordinates, or a point with a pixel tolerance."""

    x0: float
    y0: float
    x1: float
    y1: float
    ref: ExecRef
    point: bool = False


class PortfolioChart(ChartWidget):
    """A dashboard chart whose bars and points stand for execs: hover names them, a click opens them."""

    sig_exec_activated = Signal(int)
    """The user clicked a bar segment or point standing for this exec."""

    def __init__(self, key: str, title: str, theme: Theme, *, date_axis: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(key, title, theme, date_axis=date_axis, parent=parent)
        self.targets: list[Target] = []
        self.hover_text = self._target_text
        self.getPlotItem().getViewBox().setMouseEnabled(x=False, y=False)
        self.scene().sigMouseClicked.connect(self._on_clicked)

    def target_at(self, x: float, y: float) -> Target | None:
        """The exec target under a view position, if any (points win over bars)."""
        px, py = self.getPlotItem().getViewBox().viewPixelSize()
        best, best_d = None, float("inf")
        for t in self.targets:
            if t.point:
                dx, dy = abs(t.x0 - x) / px, abs(t.y0 - y) / py
                if dx <= POINT_HIT_PX and dy <= POINT_HIT_PX and dx + dy < best_d:
                    best, best_d = t, dx + dy
        if best is not None:
            return best
        return next((t for t in self.targets if not t.point and t.x0 <= x <= t.x1 and t.y0 <= y <= t.y1), None)

    def target_center(self, ref_exec_id: int) -> tuple[float, float] | None:
        """Where in view coordinates a target for this exec sits (for tests and keyboard access)."""
        t = next((t for t in self.targets if t.ref.exec_id == ref_exec_id), None)
        if t is None:
            return None
        return ((t.x0 + t.x1) / 2, (t.y0 + t.y1) / 2) if not t.point else (t.x0, t.y0)

    def _target_text(self, x: float, y: float) -> str | None:
        t = self.target_at(x, y)
        if t is None:
            return None
        detail = f"<br>{html.escape(t.ref.detail)}" if t.ref.detail else ""
        return f"<b>{html.escape(t.ref.name)}</b>{detail}<br><i>{self.tr('Click to open')}</i>"

    def _on_clicked(self, event) -> None:  # type: ignore[no-untyped-def]
        if event.button() != Qt.MouseButton.LeftButton:
            return
        vb = self.getPlotItem().getViewBox()
        if not vb.sceneBoundingRect().contains(event.scenePos()):
            return
        p = vb.mapSceneToView(event.scenePos())
        t = self.target_at(p.x(), p.y())
        if t is not None:
            event.accept()
            self.sig_exec_activated.emit(t.ref.exec_id)


def _unit_bars(chart: PortfolioChart, bars: Sequence[Bar], positions: Sequence[float], width: float,
               colour: str, *, horizontal: bool = False) -> None:
    """Bars built from one segment per exec (or session), each a click target, separated by thin gaps."""
    x0s, x1s, y0s, y1s, brushes = [], [], [], [], []
    light = chart.theme.qcolor(colour, 255)
    dim = chart.theme.qcolor(colour, 185)
    for pos, bar in zip(positions, bars, strict=True):
        for k, ref in enumerate(bar.segments):
            if horizontal:
                rect = (k, pos - width / 2, k + 1, pos + width / 2)
            else:
                rect = (pos - width / 2, k, pos + width / 2, k + 1)
            x0s.append(rect[0]); y0s.append(rect[1]); x1s.append(rect[2]); y1s.append(rect[3])  # noqa: E702
            brushes.append(pg.mkBrush(light if k % 2 == 0 else dim))
            chart.targets.append(Target(*rect, ref))
    if x0s:
        item = pg.BarGraphItem(x0=np.array(x0s), x1=np.array(x1s), y0=np.array(y0s), y1=np.array(y1s),
                               brushes=brushes, pen=pg.mkPen(chart.theme.background, width=1))
        chart.getPlotItem().addItem(item)


def _stage_chart(pf: Portfolio, theme: Theme, parent: QWidget | None) -> PortfolioChart:
    n = sum(b.count for b in pf.stages)
    chart = PortfolioChart("stages", f"Executives per ladder stage ({n})", theme, parent=parent)
    pi = chart.getPlotItem()
    stages = list(LadderStage)
    # Lowest rung at the top, like a funnel read downwards.
    positions = [len(stages) - 1 - s.rank for s in stages]
    pi.getAxis("left").setTicks([[(p, s.label) for p, s in zip(positions, stages, strict=True)]])
    _unit_bars(chart, pf.stages, positions, 0.7, theme.color(0), horizontal=True)
    most = max((b.count for b in pf.stages), default=0)
    pi.getAxis("bottom").setTicks([[(v, str(v)) for v in range(0, most + 2, max(1, (most + 1) // 6 or 1))]])
    pi.setXRange(0, max(3, most) + 0.5, padding=0)
    pi.setYRange(-0.6, len(stages) - 0.4, padding=0)
    return chart


def _strength_chart(pf: Portfolio, theme: Theme, parent: QWidget | None) -> PortfolioChart:
    none = len(pf.no_habit)
    extra = f" — {none} without a habit" if none else ""
    chart = PortfolioChart("strength", f"Habit strength now{extra}", theme, parent=parent)
    pi = chart.getPlotItem()
    positions = [10 * i + 5 for i in range(len(pf.strength))]
    _unit_bars(chart, pf.strength, positions, 8.6, theme.color(2))
    pi.getAxis("bottom").setTicks([[(v, f"{v}%") for v in range(0, 101, 20)]])
    most = max((b.count for b in pf.strength), default=0)
    pi.getAxis("left").setTicks([[(v, str(v)) for v in range(0, most + 2, max(1, (most + 1) // 5 or 1))]])
    pi.setXRange(-4, 104, padding=0)
    pi.setYRange(0, max(3, most) + 0.5, padding=0)
    return chart


def _sessions_chart(pf: Portfolio, theme: Theme, parent: QWidget | None) -> PortfolioChart:
    held = sum(b.count for b in pf.sessions)
    chart = PortfolioChart("sessions", f"Sessions held per week ({held} in {len(pf.sessions)} weeks)", theme,
                           date_axis=True, parent=parent)
    pi = chart.getPlotItem()
    positions = [epoch(m) + 3.5 * DAY_S for m in pf.session_weeks]
    _unit_bars(chart, pf.sessions, positions, 6 * DAY_S, theme.color(1))
    most = max((b.count for b in pf.sessions), default=0)
    pi.getAxis("left").setTicks([[(v, str(v)) for v in range(0, most + 2, max(1, (most + 1) // 5 or 1))]])
    if pf.session_weeks:
        pi.setXRange(epoch(pf.session_weeks[0]), epoch(pf.session_weeks[-1]) + 7 * DAY_S, padding=0.01)
    pi.setYRange(0, max(3, most) + 0.5, padding=0)
    return chart


def _moves_chart(pf: Portfolio, theme: Theme, parent: QWidget | None) -> PortfolioChart:
    title = (f"Ladder moves this month: {pf.moves_up} up, {pf.moves_back} back" if pf.moves
             else "Ladder moves this month: none yet")
    chart = PortfolioChart("moves", title, theme, date_axis=True, parent=parent)
    pi = chart.getPlotItem()
    stages = list(LadderStage)
    pi.getAxis("left").setTicks([[(s.rank, s.label) for s in stages]])
    first = pf.today.replace(day=1)
    pi.setXRange(epoch(first), epoch(pf.today) + DAY_S, padding=0.02)
    pi.setYRange(-0.5, len(stages) - 0.5, padding=0)
    for m in pf.moves:
        x = epoch(m.day) + DAY_S / 2
        frm = m.from_stage.rank if m.from_stage else m.stage.rank
        colour = theme.good if m.up else theme.bad
        pi.addItem(pg.PlotDataItem([x, x], [frm, m.stage.rank], pen=pg.mkPen(colour, width=2)))
        dot = pg.ScatterPlotItem([x], [m.stage.rank], symbol="t1" if m.up else "t", size=13,
                                 brush=pg.mkBrush(colour), pen=pg.mkPen(theme.background))
        pi.addItem(dot)
        chart.targets.append(Target(x, m.stage.rank, x, m.stage.rank, ExecRef(m.exec_id, m.name, m.text), point=True))
    return chart


def _network_chart(pf: Portfolio, theme: Theme, parent: QWidget | None) -> PortfolioChart:
    chart = PortfolioChart("network", "Network totals (per week) and when each executive joined", theme,
                           date_axis=True, parent=parent)
    chart.add_legend(columns=4)
    pi = chart.getPlotItem()
    pi.setDownsampling(auto=True, mode="peak")
    pi.setClipToView(True)
    vb = pi.getViewBox()
    vb.setMouseEnabled(x=True, y=False)
    vb.enableAutoRange(axis="y")
    vb.setAutoVisible(y=True)
    for i, series in enumerate(pf.network):
        item = pg.PlotDataItem(step_edges(series), series.y, stepMode="center", pen=series_pen(theme, i, 1.6))
        chart.add_series(series, item)
    if pf.network and pf.joins:
        top = pf.network[0]
        xs = [j.x + DAY_S / 2 for j in pf.joins]
        ys = [value_at_join(top, j) for j in pf.joins]
        lines = VLines(xs, pg.mkPen(theme.muted, width=1, style=Qt.PenStyle.DotLine))
        lines.setZValue(-5)
        pi.addItem(lines, ignoreBounds=True)
        dots = pg.ScatterPlotItem(xs, ys, symbol="d", size=12, brush=pg.mkBrush(theme.foreground),
                                  pen=pg.mkPen(theme.background))
        pi.addItem(dots)
        if chart.legend is not None:
            chart.legend.addItem(dots, "An executive joined")
        for j, x, y in zip(pf.joins, xs, ys, strict=True):
            chart.targets.append(Target(x, y, x, y, ExecRef(j.exec_id, j.name, f"joined {date_text(j.day)}"), point=True))
    if pf.network:
        x0 = float(pf.network[0].x[0]) if len(pf.network[0]) else epoch(pf.today)
        chart.set_x_limits(x0, epoch(pf.today) + 7 * DAY_S)
        pi.setXRange(x0, epoch(pf.today) + 7 * DAY_S, padding=0)
    return chart


BUILDERS = {"stages": _stage_chart, "strength": _strength_chart, "sessions": _sessions_chart,
            "moves": _moves_chart, "network": _network_chart}


def build_portfolio_charts(pf: Portfolio, theme: Theme, *, parent: QWidget | None = None) -> list[PortfolioChart]:
    """Every dashboard chart, in ``DASHBOARD_KEYS`` order."""
    return [BUILDERS[key](pf, theme, parent) for key in DASHBOARD_KEYS]
