"""The chart widget every esncoach chart is drawn in: themed axes, a legend under the plot, session markers,
a crosshair and a hover read-out with exact values and dates.

Imported only when a chart is first built (it imports pyqtgraph).
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QAction, QFont, QFontMetrics
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QFileDialog, QWidget

from esncoach.services.progress_series import DAY_S, Series, SessionMark, day_of
from esncoach.views.charts.theme import DASHES, Theme
from esncoach.views.charts.timeline_axis import TimelineAxis
from esncoach.views.dates import date_text, weekday_date_text

pg.setConfigOptions(antialias=True)

SESSION_HOVER_PX = 6
LEFT_AXIS_LABELS = ("Long-form posts", "100%", "10,000")
"""The widest left-axis labels any chart shows; every chart's left axis gets their width so x axes align."""

_PEN_STYLES = {"solid": Qt.PenStyle.SolidLine, "dash": Qt.PenStyle.DashLine, "dot": Qt.PenStyle.DotLine,
               "dashdot": Qt.PenStyle.DashDotLine}

Formatter = Callable[[float], str]


def series_pen(theme: Theme, i: int, width: float = 2.0):  # type: ignore[no-untyped-def]
    """The i-th series' pen: Okabe–Ito colour plus a dash pattern, so hue is never the only cue."""
    return pg.mkPen(theme.color(i), width=width, style=_PEN_STYLES[DASHES[i % len(DASHES)]])


def left_axis_width(font: QFont) -> int:
    """A left-axis width that fits the widest label any chart uses."""
    fm = QFontMetrics(font)
    return max(fm.horizontalAdvance(t) for t in LEFT_AXIS_LABELS) + 16


def fmt_number(value: float) -> str:
    """Integers without decimals, others with one, thousands separated."""
    return f"{value:,.0f}" if abs(value - round(value)) < 1e-9 else f"{value:,.1f}"


class ChartWidget(pg.PlotWidget):
    """One chart: a title, a themed plot, an optional date axis, a legend below and a hover read-out."""

    sig_hover_x = Signal(object)
    """The x under the mouse (epoch seconds), or None when the mouse leaves; linked charts draw a crosshair there."""

    def __init__(self, key: str, title: str, theme: Theme, *, date_axis: bool = True,
                 parent: QWidget | None = None) -> None:
        axes = {"bottom": TimelineAxis()} if date_axis else {}
        super().__init__(parent=parent, background=theme.background, axisItems=axes)
        self.key = key
        self.chart_title = title
        self.theme = theme
        self.date_axis = date_axis
        self.series: list[tuple[Series, pg.GraphicsObject, Formatter | None]] = []
        self.sessions: list[SessionMark] = []
        self.session_lines: list[VLines] = []
        self.hover_text: Callable[[float, float], str | None] | None = None
        self.legend: pg.LegendItem | None = None
        self.message: pg.TextItem | None = None
        pi = self.getPlotItem()
        pi.setTitle(f"<b>{html.escape(title)}</b>", color=theme.foreground, size="10pt")
        pi.showGrid(x=True, y=True, alpha=theme.grid_alpha)
        pi.hideButtons()
        pi.setMenuEnabled(False)
        font = QFont(self.font())
        for name in ("left", "bottom"):
            axis = pi.getAxis(name)
            axis.setPen(pg.mkPen(theme.muted))
            axis.setTextPen(pg.mkPen(theme.foreground))
            axis.setStyle(tickFont=font)
        pi.getAxis("left").setWidth(left_axis_width(font))
        vb = pi.getViewBox()
        vb.setMouseEnabled(x=True, y=False)
        self._crosshair = pg.InfiniteLine(angle=90, movable=False, pen=pg.mkPen(theme.muted, width=1))
        self._crosshair.setZValue(50)
        self._crosshair.hide()
        pi.addItem(self._crosshair, ignoreBounds=True)
        self._readout = pg.TextItem(anchor=(0, 0), color=theme.foreground,
                                    fill=pg.mkBrush(theme.qcolor(theme.readout_fill, 235)),
                                    border=pg.mkPen(theme.muted))
        self._readout.setZValue(100)
        self._readout.hide()
        pi.addItem(self._readout, ignoreBounds=True)
        self.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.setMinimumHeight(150)
        save = QAction(self.tr("Save chart as PNG or SVG…"), self)
        save.triggered.connect(self._on_save_as)
        self.addAction(save)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

    def _on_save_as(self) -> None:
        from esncoach.views.charts.chart_file import export_chart
        from esncoach.views.messages import show_error

        name = self.chart_title.lower().split(" (")[0].replace(" ", "-")
        path, _f = QFileDialog.getSaveFileName(self, self.tr("Save chart"), f"{name}.png",
                                               self.tr("PNG image (*.png);;SVG drawing (*.svg)"))
        if path:
            try:
                export_chart(self, path)
            except Exception as exc:  # noqa: BLE001 - the reason goes to the user; nothing else changed
                show_error(self, self.tr("Save chart"), exc)

    # ----- building ---------------------------------------------------------------------------
    def add_legend(self, columns: int = 4):  # type: ignore[no-untyped-def]
        """A legend laid out in rows under the x axis (never over the data); click an entry to hide its series."""
        legend = pg.LegendItem(colCount=columns, labelTextColor=self.theme.foreground, labelTextSize="9pt",
                               verSpacing=-6, horSpacing=18)
        # LegendItem ignores transformations (it is meant to float over the view); in the layout it must
        # scale with the chart, or a print-resolution export shrinks the legend text.
        legend.setFlag(legend.GraphicsItemFlag.ItemIgnoresTransformations, False)
        self.getPlotItem().layout.addItem(legend, 4, 1)
        self.legend = legend
        return legend

    def add_series(self, series: Series, item: pg.GraphicsObject, *, legend: bool = True,
                   fmt: Formatter | None = None) -> pg.GraphicsObject:
        """Plot an item standing for ``series``; its values appear in the hover read-out."""
        self.getPlotItem().addItem(item)
        self.series.append((series, item, fmt))
        if legend and self.legend is not None:
            self.legend.addItem(item, series.label)
        return item

    def add_sessions(self, marks: Sequence[SessionMark]) -> None:
        """Coaching sessions as dashed vertical markers (planned ones dotted) behind the data."""
        held = [m.x for m in marks if m.number is not None]
        planned = [m.x for m in marks if m.number is None]
        for xs, style in ((held, Qt.PenStyle.DashLine), (planned, Qt.PenStyle.DotLine)):
            if xs:
                lines = VLines(xs, pg.mkPen(self.theme.session, width=1, style=style))
                lines.setZValue(-5)
                self.getPlotItem().addItem(lines, ignoreBounds=True)
                self.session_lines.append(lines)
        self.sessions = list(marks)

    def show_message(self, text: str) -> None:
        """Say in the middle of the plot why it is empty (kept centred while the user pans)."""
        item = pg.TextItem(text, color=self.theme.muted, anchor=(0.5, 0.5))
        self.getPlotItem().addItem(item, ignoreBounds=True)
        vb = self.getPlotItem().getViewBox()

        def centre(*_args) -> None:  # type: ignore[no-untyped-def]
            rect = vb.viewRect()
            item.setPos(rect.center())

        vb.sigRangeChanged.connect(centre)
        centre()
        self.message = item

    def set_x_limits(self, x0: float, x1: float) -> None:
        """Keep panning and zooming within the data's days."""
        self.getPlotItem().getViewBox().setLimits(xMin=x0, xMax=x1, minXRange=3 * DAY_S)

    def series_item(self, key: str) -> pg.GraphicsObject | None:
        """The plotted item of a series by key."""
        return next((item for s, item, _f in self.series if s.key == key), None)

    # ----- hover ------------------------------------------------------------------------------
    def show_crosshair(self, x: float | None) -> None:
        """Draw the shared crosshair at ``x`` (None hides it); linked charts call this for each other."""
        if x is None:
            self._crosshair.hide()
        else:
            self._crosshair.setPos(x)
            self._crosshair.show()

    def sessions_near(self, x: float) -> list[SessionMark]:
        """Sessions whose marker is within a few pixels of ``x``."""
        px = self.getPlotItem().getViewBox().viewPixelSize()[0]
        tol = max(px * SESSION_HOVER_PX, DAY_S / 2)
        return [m for m in self.sessions if abs(m.x - x) <= tol]

    def readout_text(self, x: float, y: float) -> str | None:
        """The read-out under the mouse: the day, each visible series' value there, and any session nearby."""
        if self.hover_text is not None:
            text = self.hover_text(x, y)
            if text is not None or not self.series:
                return text
        lines = [f"<b>{weekday_date_text(day_of(x))}</b>"] if self.date_axis else []
        tol = max(self.getPlotItem().getViewBox().viewPixelSize()[0] * SESSION_HOVER_PX, DAY_S / 2)
        for series, item, fmt in self.series:
            if not item.isVisible():
                continue
            value = series.value_at(x, tolerance_s=tol)
            if value is None:
                continue
            shown = fmt(value) if fmt else f"{fmt_number(value)} {series.unit}".rstrip()
            lines.append(f"<span style='color:{self._item_color(item)}'>■</span> {html.escape(series.label)}: "
                         f"{html.escape(shown)}")
        lines += [f"<i>{html.escape(m.text)}</i>" for m in self.sessions_near(x)]
        return "<br>".join(lines) if lines else None

    def _item_color(self, item: pg.GraphicsObject) -> str:
        try:
            pen = item.opts.get("pen") if hasattr(item, "opts") else None
            if pen is not None and not isinstance(pen, (str, tuple)):
                return pg.mkPen(pen).color().name()
            brush = item.opts.get("symbolBrush") or item.opts.get("brush")
            return pg.mkBrush(brush).color().name()
        except Exception:  # noqa: BLE001 - a colour swatch is decoration, never worth a crash
            return self.theme.foreground

    def hover_at(self, scene_pos: QPointF) -> str | None:
        """Update the crosshair and read-out for a scene position; returns the read-out shown (for tests)."""
        vb = self.getPlotItem().getViewBox()
        if not vb.sceneBoundingRect().contains(scene_pos):
            self._readout.hide()
            self.show_crosshair(None)
            self.sig_hover_x.emit(None)
            return None
        point = vb.mapSceneToView(scene_pos)
        x, y = point.x(), point.y()
        if self.date_axis:
            self.show_crosshair(x)
            self.sig_hover_x.emit(x)
        text = self.readout_text(x, y)
        if not text:
            self._readout.hide()
            return None
        (x0, x1), (y0, y1) = vb.viewRange()
        px, py = vb.viewPixelSize()
        right_half = x > (x0 + x1) / 2
        self._readout.setAnchor((1, 0) if right_half else (0, 0))
        self._readout.setHtml(f"<div style='font-size:9pt'>{text}</div>")
        self._readout.setPos(x + (-8 if right_half else 8) * px, y1 - 4 * py)
        self._readout.show()
        return text

    def _on_mouse_moved(self, pos: QPointF) -> None:
        self.hover_at(pos)

    def wheelEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802 - Qt naming
        """The wheel scrolls the page the chart sits on; Ctrl+wheel zooms the time axis."""
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            super().wheelEvent(event)
            return
        area = self.parentWidget()
        while area is not None and not isinstance(area, QAbstractScrollArea):
            area = area.parentWidget()
        if area is None:
            event.ignore()
            return
        delta = event.angleDelta()
        bar = area.verticalScrollBar() if abs(delta.y()) >= abs(delta.x()) else area.horizontalScrollBar()
        QApplication.sendEvent(bar, event.clone())  # handed over explicitly: Qt does not propagate every wheel event
        event.accept()

    def leaveEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802 - Qt naming
        self._readout.hide()
        self.show_crosshair(None)
        self.sig_hover_x.emit(None)
        super().leaveEvent(event)


class VLines(pg.GraphicsObject):
    """Many full-height vertical lines in one item (sessions, join dates): far cheaper than one
    InfiniteLine each when a five-year range holds hundreds of them."""

    def __init__(self, xs: Sequence[float], pen) -> None:  # type: ignore[no-untyped-def]
        super().__init__()
        self.xs = np.asarray(sorted(xs), dtype=float)
        self._pen = pen

    def positions(self) -> list[float]:
        """The x of every line."""
        return [float(x) for x in self.xs]

    def _view_rect(self):  # type: ignore[no-untyped-def]
        vb = self.getViewBox()
        return vb.viewRect() if vb is not None else QRectF()

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt naming
        rect = self._view_rect()
        if not len(self.xs):
            return QRectF()
        return QRectF(float(self.xs[0]), rect.top(), float(self.xs[-1] - self.xs[0]) or 1.0, rect.height())

    def viewRangeChanged(self) -> None:  # noqa: N802 - pyqtgraph hook
        self.prepareGeometryChange()
        self.update()

    def paint(self, painter, *_args) -> None:  # type: ignore[no-untyped-def]
        rect = self._view_rect()
        lo, hi = np.searchsorted(self.xs, [rect.left(), rect.right()])
        vb = self.getViewBox()
        pen = self._pen
        if vb is not None and hi - lo > vb.width() / 12:
            # Years of fortnightly sessions would hatch the chart: fade the lines when they crowd.
            pen = pg.mkPen(pen)
            colour = pen.color()
            colour.setAlpha(70)
            pen.setColor(colour)
        painter.setPen(pen)
        for x in self.xs[max(0, lo - 1): hi + 1]:
            painter.drawLine(QPointF(x, rect.top()), QPointF(x, rect.bottom()))


def step_edges(series: Series) -> np.ndarray:
    """Bin edges for a step series (one more than its values): each value holds for ``step_days``."""
    if not len(series):
        return np.array([], dtype=float)
    return np.append(series.x, series.x[-1] + series.step_days * DAY_S)


def day_label(day: dt.date) -> str:
    return date_text(day)
