"""GuiThreadCharts deletes the chart widgets it drew before the waiting worker resumes: a widget's destructor
on the GUI thread (Qt's connection lock, then the GIL) racing a worker that builds a QTextDocument (the GIL,
then the lock) deadlocked a report test."""

from __future__ import annotations

import threading

from PySide6.QtWidgets import QWidget

from esncoach.reports.charts import GuiThreadCharts


def test_the_drawn_widgets_are_gone_before_the_worker_resumes(qtbot) -> None:  # type: ignore[no-untyped-def]
    events: list[str] = []

    def source(req, width_px, height_px):  # type: ignore[no-untyped-def]
        chart = QWidget()  # as views/charts/export.py does: drawn, then deleteLater
        chart.destroyed.connect(lambda: events.append("deleted"))
        chart.deleteLater()
        return []

    charts = GuiThreadCharts(source)

    def worker() -> None:
        charts("req", 10, 10)
        events.append("worker resumed")

    thread = threading.Thread(target=worker)
    thread.start()
    qtbot.waitUntil(lambda: "worker resumed" in events, timeout=10_000)
    thread.join()
    assert events == ["deleted", "worker resumed"]
