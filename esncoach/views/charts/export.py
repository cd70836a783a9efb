"""Charts to files and images: PNG/SVG export of one chart, and print-resolution images for the PDF report.

The report calls ``render_progress_charts`` / ``render_portfolio_charts``; they build the very same chart
widgets the app shows (``progress_plots`` / ``dashboard_plots``) off screen and paint them into images,
so the report never has a second chart implementation. Call them on the GUI thread (they create widgets).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtGui import QImage

from esncoach.store.workspace import Workspace
from esncoach.views.charts.chart_file import (
    PRINT_DPI,
    PRINT_SCALE,
    REPORT_LOGICAL_WIDTH,
    export_chart,
    render_svg,
    render_widget,
)
from esncoach.views.charts.theme import theme_for


def _render_all(charts: list[Any], width_px: int, height_px: int) -> list[tuple[str, QImage]]:
    out = []
    try:
        for chart in charts:
            out.append((chart.chart_title, render_widget(chart, width_px, height_px)))
    finally:
        for chart in charts:
            chart.hide()
            chart.deleteLater()
    return out


def chart_data(ws: Workspace, *, kind: str, exec_id: int | None = None, start: dt.date | None = None,
               end: dt.date | None = None) -> Any:
    """The figures a report's charts draw (``progress_data`` or ``portfolio``): Qt-free reading that a
    worker thread does before the GUI thread draws, so the window does not freeze while it reads."""
    if kind == "progress":
        from esncoach.services.progress_series import progress_data

        assert exec_id is not None
        return progress_data(ws, exec_id=exec_id, start=start, end=end, with_impact=False)
    from esncoach.services.portfolio import portfolio

    return portfolio(ws)


def render_progress_charts(ws: Workspace | None, *, exec_id: int, start: dt.date, end: dt.date, width_px: int,
                           height_px: int, dark: bool = False, data: Any = None) -> list[tuple[str, QImage]]:
    """(title, image) per progress chart of one exec over [start, end], each ``width_px`` × ``height_px``,
    drawn by the app's own chart code at print resolution (from ``data`` when already read by ``chart_data``;
    ``ws`` may then be None, as in a report helper process)."""
    from esncoach.views.charts.progress_plots import build_progress_charts

    if data is None:
        assert ws is not None
        data = chart_data(ws, kind="progress", exec_id=exec_id, start=start, end=end)
    charts = build_progress_charts(data, theme_for(dark))
    return _render_all(charts, width_px, height_px)


def render_portfolio_charts(ws: Workspace | None, *, width_px: int, height_px: int, dark: bool = False,
                            data: Any = None) -> list[tuple[str, QImage]]:
    """(title, image) per portfolio dashboard chart, each ``width_px`` × ``height_px``, as the dashboard draws them."""
    from esncoach.views.charts.dashboard_plots import build_portfolio_charts

    if data is None:
        assert ws is not None
        data = chart_data(ws, kind="portfolio")
    charts = build_portfolio_charts(data, theme_for(dark))
    return _render_all(charts, width_px, height_px)


__all__ = [
    "PRINT_DPI",
    "PRINT_SCALE",
    "REPORT_LOGICAL_WIDTH",
    "chart_data",
    "export_chart",
    "render_portfolio_charts",
    "render_progress_charts",
    "render_svg",
    "render_widget",
]
