"""One chart to a file or an image: PNG at print resolution, SVG as vectors.

Kept apart from ``export`` (which builds whole chart sets for the PDF report out of ``progress_plots`` /
``dashboard_plots``) so a chart's own Export menu can use it without an import cycle through ``plots``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QApplication, QWidget

from esncoach.store.errors import StoreError

PRINT_DPI = 300
PRINT_SCALE = 3.0
"""How many image pixels per screen pixel a PNG export gets (about 300 dpi for a chart printed at screen size)."""

REPORT_LOGICAL_WIDTH = 900
"""The on-screen width a report chart is laid out at before being painted at the requested pixel size."""


def render_widget(widget: QWidget, width_px: int, height_px: int, *, background: str | None = None) -> QImage:
    """Paint a chart widget into a ``width_px`` × ``height_px`` image as vectors scaled up (never a blown-up
    bitmap); a widget not on screen is first laid out at a screen size of the same shape."""
    if width_px < 1 or height_px < 1:
        raise StoreError("The image must be at least one pixel wide and high.")
    if not widget.isVisible() or widget.testAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen):
        scale = max(1.0, width_px / REPORT_LOGICAL_WIDTH)
        widget.resize(QSize(round(width_px / scale), round(height_px / scale)))
        _lay_out(widget)
    else:
        _settle_layouts()
    scale = width_px / max(1, widget.width())
    image = QImage(width_px, height_px, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor(background or getattr(getattr(widget, "theme", None), "background", "#ffffff")))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    view = widget.viewport() if hasattr(widget, "viewport") else widget
    if hasattr(widget, "scene") and widget.scene() is not None:
        # Paint the scene straight into the image: QWidget.render of a graphics view clips to its unscaled size.
        source = widget.mapToScene(view.rect()).boundingRect()
        widget.scene().render(painter, QRectF(0, 0, width_px, height_px), source)
    else:
        painter.scale(scale, height_px / max(1, widget.height()))
        widget.render(painter)
    painter.end()
    dots_per_metre = round(PRINT_DPI / 0.0254)
    image.setDotsPerMeterX(dots_per_metre)
    image.setDotsPerMeterY(dots_per_metre)
    return image


def _lay_out(widget: QWidget) -> None:
    """Make an off-screen widget lay itself out at its size before painting."""
    if not widget.isVisible():
        widget.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
        # Never on screen, so never painted there: its images come from the scene. (Re-enabling updates would
        # post a paint at screen size that the next chart's sendPostedEvents delivers: ~15 ms a chart of waste.)
        widget.setUpdatesEnabled(False)
        widget.show()
    app = QApplication.instance()
    if app is not None:
        app.sendPostedEvents()
    widget.updateGeometry()


def _settle_layouts() -> None:
    """Apply pending layout requests, so a chart just built reports its laid-out size."""
    app = QApplication.instance()
    if app is not None:
        for _ in range(3):
            app.sendPostedEvents(None, QEvent.Type.LayoutRequest)


def export_chart(plot_widget: Any, path: str | Path) -> Path:
    """Save one chart to ``path``: an SVG drawing for ``.svg``, otherwise a PNG at print resolution."""
    path = Path(path)
    suffix = path.suffix.lower()
    widget = plot_widget if isinstance(plot_widget, QWidget) else plot_widget.getViewWidget()
    if suffix == ".svg":
        render_svg(widget, path)
        return path
    if suffix not in (".png", ""):
        raise StoreError("Charts export as PNG (.png) or SVG (.svg).")
    if suffix == "":
        path = path.with_suffix(".png")
    image = render_widget(widget, round(widget.width() * PRINT_SCALE), round(widget.height() * PRINT_SCALE))
    if not image.save(str(path), "PNG"):
        raise StoreError(f"The chart could not be written to {path}.")
    return path


def render_svg(widget: QWidget, path: Path) -> None:
    """Write a chart as an SVG drawing at its on-screen size.

    Qt's own SVG generator paints the scene as vectors; pyqtgraph's SVGExporter is not used because it
    fails on the path data Qt 6.11 writes (it expects "x,y" pairs).
    """
    from PySide6.QtSvg import QSvgGenerator

    if not widget.isVisible():
        widget.resize(QSize(REPORT_LOGICAL_WIDTH, max(1, widget.height())))
        _lay_out(widget)
    else:
        _settle_layouts()
    w, h = widget.width(), widget.height()
    generator = QSvgGenerator()
    generator.setFileName(str(path))
    generator.setSize(QSize(w, h))
    generator.setViewBox(QRectF(0, 0, w, h))
    generator.setResolution(96)
    generator.setTitle(getattr(widget, "chart_title", "Chart"))
    generator.setDescription("esncoach chart")
    painter = QPainter()
    if not painter.begin(generator):
        raise StoreError(f"The chart could not be written to {path}.")
    painter.fillRect(QRectF(0, 0, w, h), QColor(getattr(getattr(widget, "theme", None), "background", "#ffffff")))
    source = widget.mapToScene(widget.viewport().rect()).boundingRect()
    widget.scene().render(painter, QRectF(0, 0, w, h), source)
    painter.end()
    if not path.exists() or path.stat().st_size == 0:
        raise StoreError(f"The chart could not be written to {path}.")


__all__ = ["PRINT_DPI", "PRINT_SCALE", "REPORT_LOGICAL_WIDTH", "export_chart", "render_svg", "render_widget"]
