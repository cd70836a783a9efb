"""The progress tab builds its charts one per turn of the event loop, each linked and ranged as it comes (#18)."""

from __future__ import annotations

from PySide6.QtCore import QTimer

from esncoach.services import execs, progress_series
from esncoach.services.progress_series import DAY_S, epoch
from esncoach.store.workspace import Workspace
from esncoach.views.charts.progress_page import ProgressTab


def test_timers_run_between_chart_rows_and_each_chart_is_linked_when_made(qtbot, demo_ws: Workspace, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import esncoach.views.charts.progress_plots as plots

    tab = ProgressTab(demo_ws)
    qtbot.addWidget(tab)
    tab.resize(1100, 1300)
    ticks = [0]
    ticker = QTimer()
    ticker.setInterval(0)
    ticker.timeout.connect(lambda: ticks.__setitem__(0, ticks[0] + 1))
    seen: list[tuple[str, int, tuple[float, float] | None]] = []

    def watched(key, build):  # type: ignore[no-untyped-def]
        def make(data, theme, parent):  # type: ignore[no-untyped-def]
            first = tab._building[0] if tab._building else None
            shown = tuple(first.getPlotItem().getViewBox().viewRange()[0]) if first is not None else None
            seen.append((key, ticks[0], shown))
            return build(data, theme, parent)
        return make

    for key, build in list(plots.BUILDERS.items()):
        monkeypatch.setitem(plots.BUILDERS, key, watched(key, build))
    tab.set_exec(execs.find_exec(demo_ws, "Amelia Hart").id)
    ticker.start()
    with qtbot.waitSignal(tab.sig_charts_built, timeout=60_000):
        tab.show()
    ticker.stop()
    assert [k for k, _t, _r in seen] == list(progress_series.CHART_KEYS)
    # A timer came in between every two rows: the window could paint and take input while the charts were made.
    assert all(b[1] > a[1] for a, b in zip(seen, seen[1:], strict=False))
    # The first chart had the preset's range before the second was made (not set on all five at the end).
    start, end = progress_series.preset_range(dict(progress_series.RANGE_PRESETS)[tab.preset], today=tab.data.today,
                                              first=tab.data.start)
    x0, x1 = seen[1][2]
    assert abs(x0 - epoch(start)) < 60 and abs(x1 - (epoch(end) + DAY_S)) < 60
    # Every chart is on screen, linked and marked with the sessions once the tab says it is built.
    assert all(c.isVisible() and c.width() > 320 for c in tab.charts)
    assert len({tuple(c.getPlotItem().getViewBox().viewRange()[0]) for c in tab.charts}) == 1
    for chart in tab.charts:
        assert sorted(x for lines in chart.session_lines for x in lines.positions()) == [m.x for m in tab.data.sessions]
