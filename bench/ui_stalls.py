"""UI-thread stalls: the event loop's longest gaps while the real main window works on the large workspace.

Opens the real ``MainWindow`` offscreen on a copy of the shared large workspace (``large_workspace.py``,
200 execs x 5 years by default; ``BENCH_EXECS=50`` for a quicker run) and runs a 5 ms repeating timer;
every interval between its ticks beyond 5 ms is time the UI thread could not react. Activities, each
measured on its own:

* ``exec_tabs``: select several execs and show every tab of the exec page in turn;
* ``search_typing``: type a query into the search popup a key at a time (60 ms apart);
* ``backup``: File ▸ Back up now (``backup_dialog.back_up_now``);
* ``import``: a generated 200,000-row generic CSV through the import wizard as File ▸ Import figures…
  opens it, then its own steps (peek at the file, analyse, import with its before-import backup);
* ``report_single``: the report dialog's Save PDF of one progress summary (the selected exec), then its preview;
* ``report_batch``: the report dialog's batch of progress summaries (cancelled after ``BENCH_REPORT_S``
  seconds, 30 by default, on a workspace where it would run for minutes).

Reports the longest interval and the 99th percentile per activity (the goal: ≤ 100 ms, p99 ≤ 30 ms), and
the UI thread's own CPU time inside the worst interval (``ui_cpu_max_ms``): on a machine shared with other
work a gap can be the scheduler's, not ours; ``idle`` (the window doing nothing for 3 s) is that baseline.
``BENCH_ONLY=exec_tabs,search_typing`` runs only the named activities (quick runs while working).
Last line: one JSON object.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

EXECS = int(os.environ.get("BENCH_EXECS", "200"))
IMPORT_ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "200000"))
REPORT_S = float(os.environ.get("BENCH_REPORT_S", "30"))
ONLY = {a for a in os.environ.get("BENCH_ONLY", "").split(",") if a}
"""Run only these activities (comma-separated names, e.g. ``BENCH_ONLY=exec_tabs,search_typing``); all when empty."""
GUI_GC = os.environ.get("BENCH_GUI_GC", "1") != "0"
"""Collect garbage on the UI thread only, as the app does (``views.gc_pauses``); ``BENCH_GUI_GC=0``: Python's own."""
EXEC_COUNT = int(os.environ.get("BENCH_TAB_EXECS", "3"))
TICK_MS = 5


class GapMeter:
    """A 5 ms repeating timer on the UI thread; records how long each tick really took to come."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.timer = QTimer()
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)
        self.intervals: list[float] = []
        self.cpu: list[float] = []
        """The UI thread's own CPU time within each interval: its work, whatever else the machine runs."""
        self.last = 0.0
        self.last_cpu = 0.0

    def _tick(self) -> None:
        now, cpu = time.perf_counter(), time.thread_time()
        self.intervals.append(now - self.last)
        self.cpu.append(cpu - self.last_cpu)
        self.last, self.last_cpu = now, cpu

    def start(self) -> None:
        self.intervals = []
        self.cpu = []
        self.last, self.last_cpu = time.perf_counter(), time.thread_time()
        self.timer.start()

    def stop(self) -> dict[str, float]:
        self.timer.stop()
        self._tick()  # the gap up to now counts too
        ms = sorted(v * 1000 for v in self.intervals)
        p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))] if ms else 0.0
        cpu = sorted(v * 1000 for v in self.cpu)
        cpu_p99 = cpu[min(len(cpu) - 1, int(len(cpu) * 0.99))] if cpu else 0.0
        return {"max_ms": round(ms[-1], 1) if ms else 0.0, "p99_ms": round(p99, 1), "ticks": len(ms),
                "ui_cpu_max_ms": round(cpu[-1], 1) if cpu else 0.0, "ui_cpu_p99_ms": round(cpu_p99, 1)}


def run_until(done: Callable[[], bool], timeout_s: float) -> bool:
    """Run the event loop until ``done()`` or the timeout; True if done."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    poll = QTimer()
    poll.setInterval(10)
    poll.timeout.connect(lambda: done() and loop.quit())
    poll.start()
    QTimer.singleShot(int(timeout_s * 1000), loop.quit)
    if not done():
        loop.exec()
    poll.stop()
    return done()


def dismiss_message_boxes() -> Any:
    """Closes any message box an activity ends with (a real user would read it; the bench must go on)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    def check() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QMessageBox) and widget.isVisible():
                print(f"    (dismissed: {widget.text()[:200]!r})", flush=True)
                widget.accept()

    timer = QTimer()
    timer.setInterval(50)
    timer.timeout.connect(check)
    timer.start()
    return timer


WORST_TABS: dict[str, float] = {}
"""Longest gap seen while each exec-page tab (or the exec switch itself) was being shown, ms."""
WORST_TABS_CPU: dict[str, float] = {}
"""The most UI-thread CPU time spent inside one gap while each tab was being shown, ms."""


def idle(seconds: float) -> None:
    """Nothing at all: the gaps the machine alone makes (other processes, the scheduler) — the baseline."""
    run_until(lambda: False, seconds)


def exec_tabs(window: Any, exec_ids: list[int], meter: GapMeter) -> None:
    def note(label: str, since: int) -> None:
        gaps, cpu = meter.intervals[since:], meter.cpu[since:]
        if gaps:
            WORST_TABS[label] = round(max(WORST_TABS.get(label, 0.0), max(gaps) * 1000), 1)
            WORST_TABS_CPU[label] = round(max(WORST_TABS_CPU.get(label, 0.0), max(cpu) * 1000), 1)

    for exec_id in exec_ids:
        tabs = window.page.tabs
        mark = len(meter.intervals)
        window.select_exec(exec_id)
        run_until(lambda: False, 0.3)
        note(f"select exec (on tab {tabs.tabText(tabs.currentIndex())})", mark)
        for i in range(tabs.count()):
            mark = len(meter.intervals)
            tabs.setCurrentIndex(i)
            run_until(lambda: False, 0.4)  # the tab loads (on a worker where it is slow) and paints
            note(tabs.tabText(i), mark)


def search_typing(window: Any) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from esncoach.views.search_window import open_search

    popup = open_search(window)
    assert popup is not None
    for query in ("pric", "roadmap", "t", "session 4"):
        popup.query.clear()
        for ch in query:
            QTest.keyClick(popup.query, ch)
            run_until(lambda: False, 0.06)
        run_until(lambda: False, 0.4)
    QTest.keyClick(popup.query, Qt.Key.Key_Escape)


def backup(window: Any) -> None:
    from esncoach.views.workspace.backup_dialog import back_up_now

    task = back_up_now(window, window.ws)
    finished: list[bool] = []
    task.sig_finished.connect(lambda: finished.append(True))
    assert run_until(lambda: bool(finished), 600), "backup did not finish"


def import_figures(window: Any, csv_path: Path) -> None:
    from esncoach.views.metrics.import_wizard import ImportWizard, open_import_wizard

    open_import_wizard(window, window.ws)  # as File ▸ Import figures… does
    assert run_until(lambda: window.findChild(ImportWizard) is not None, 60), "the wizard did not open"
    wizard = window.findChild(ImportWizard)
    wizard.file_page.path_edit.setText(str(csv_path))
    for step, ready in (("peek", lambda: wizard.peek is not None), ("analyse", lambda: wizard.analysis is not None),
                        ("import", lambda: wizard.result is not None)):
        wizard.run_step(step)
        assert run_until(lambda: ready() or wizard.last_error is not None, 900), f"{step} did not finish"  # noqa: B023
        assert wizard.last_error is None, wizard.last_error
        if step == "peek":
            wizard.columns_page.initializePage()  # the column guesses the user would accept
        run_until(lambda: wizard.task is None, 60)  # noqa: B023
    wizard.close()
    wizard.deleteLater()


def open_report_dialog(window: Any) -> Any:
    from esncoach.views.reports.opener import open_report_dialog  # the menu's path: modules load on a worker

    opened: list[Any] = []
    open_report_dialog(window, then=opened.append)
    assert run_until(lambda: bool(opened), 120), "the report dialog did not open"
    return opened[0]


def report_single(window: Any, folder: Path, meter: GapMeter) -> None:
    from PySide6.QtPrintSupport import QPrintPreviewWidget

    folder.mkdir(parents=True, exist_ok=True)
    dialog = open_report_dialog(window)
    for step in ("save", "preview"):
        mark = len(meter.intervals)
        task = dialog.save_to(folder / "single.pdf") if step == "save" else dialog.preview()
        finished: list[bool] = []
        task.sig_finished.connect(lambda: finished.append(True))  # noqa: B023
        assert run_until(lambda: bool(finished), 300), f"report {step} did not finish"  # noqa: B023
        if step == "preview":
            widget = dialog.preview_dialog.findChild(QPrintPreviewWidget)
            assert run_until(lambda: widget.pageCount() >= 1, 60), "the preview painted no page"  # noqa: B023
            run_until(lambda: False, 0.3)
            dialog.preview_dialog.close()
        gaps, cpu = meter.intervals[mark:], meter.cpu[mark:]
        print(f"    report_single {step:>8}: longest gap {max(gaps) * 1000:7.1f} ms "
              f"(UI-thread CPU in one gap {max(cpu) * 1000:6.1f} ms)", flush=True)
    dialog.close()


def report_batch(window: Any, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    dialog = open_report_dialog(window)
    task = dialog.save_batch_to(folder)
    finished: list[bool] = []
    task.sig_finished.connect(lambda: finished.append(True))
    if not run_until(lambda: bool(finished), REPORT_S):
        task.cancel()
        run_until(lambda: bool(finished), 300)
    dialog.close()


def main() -> None:
    from PySide6.QtWidgets import QApplication

    from esncoach.views.app_settings import AppSettings
    from esncoach.views.main_window import MainWindow
    from large_workspace import large_workspace

    app = QApplication.instance() or QApplication([])
    collector = None
    if GUI_GC:
        from esncoach.views.gc_pauses import collect_on_gui_thread

        collector = collect_on_gui_thread(app)  # as app.py does
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="esncoach-bench-stalls-") as tmp:
        folder = Path(tmp)
        os.environ["ESNCOACH_SETTINGS_DIR"] = str(folder)
        lw = large_workspace(EXECS, 5, copy_to=folder / "large.db")
        import importlib.util

        spec = importlib.util.spec_from_file_location("bench_import", Path(__file__).with_name("import.py"))
        assert spec and spec.loader
        bench_import = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(bench_import)
        csv_path = folder / "figures.csv"
        bench_import.write_generic(csv_path, IMPORT_ROWS)
        keep_going = dismiss_message_boxes()
        with lw.open() as ws:
            meter = GapMeter()
            meter.start()
            window = MainWindow(ws, AppSettings())
            window.resize(1366, 800)
            window.show()
            run_until(lambda: window.proxy.rowCount() > 0, 60)
            run_until(lambda: False, 0.5)
            results["open_window"] = meter.stop()
            activities: list[tuple[str, Callable[[], None]]] = [
                ("idle", lambda: idle(3.0)),
                ("exec_tabs", lambda: exec_tabs(window, lw.exec_ids[:EXEC_COUNT], meter)),
                ("search_typing", lambda: search_typing(window)),
                ("backup", lambda: backup(window)),
                ("import", lambda: import_figures(window, csv_path)),
                ("report_single", lambda: report_single(window, folder / "single", meter)),
                ("report_batch", lambda: report_batch(window, folder / "reports")),
            ]
            for name, activity in activities:
                if ONLY and name not in ONLY:
                    continue
                meter.start()
                started = time.perf_counter()
                activity()
                results[name] = {**meter.stop(), "seconds": round(time.perf_counter() - started, 1)}
                print(f"{name:>14}: longest gap {results[name]['max_ms']:7.1f} ms, p99 {results[name]['p99_ms']:6.1f} ms "
                      f"over {results[name]['seconds']} s (UI-thread CPU in one gap: max "
                      f"{results[name]['ui_cpu_max_ms']:.1f} ms, p99 {results[name]['ui_cpu_p99_ms']:.1f} ms)", flush=True)
            window.close()
            from esncoach.views.tasks import wait_all

            wait_all()
        keep_going.stop()
    del app
    for label, ms in sorted(WORST_TABS.items(), key=lambda kv: -kv[1]):
        print(f"    exec page {label:>40}: longest gap {ms:7.1f} ms (UI-thread CPU {WORST_TABS_CPU[label]:6.1f} ms)")
    print(json.dumps({"bench": "ui_stalls", "execs": EXECS, "tick_ms": TICK_MS, "import_rows": IMPORT_ROWS,
                      "activities": results, "exec_tabs_worst_ms": WORST_TABS,
                      "exec_tabs_worst_ui_cpu_ms": WORST_TABS_CPU,
                      "gui_gc": {"collections": collector.collections,
                                 "longest_ms": [round(s * 1000, 1) for s in collector.longest_s]} if collector else None}))


if __name__ == "__main__":
    main()
