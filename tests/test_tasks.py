"""Background work: results and errors come back on the UI thread; Cancel stops the work."""

from __future__ import annotations

import threading

from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication, QWidget

from esncoach.views.tasks import run_task


def test_result_arrives_on_the_ui_thread_after_progress(qtbot) -> None:  # type: ignore[no-untyped-def]
    parent = QWidget()
    qtbot.addWidget(parent)
    worker_threads: list[object] = []
    got: list[tuple[int, bool]] = []

    def work(progress) -> int:  # type: ignore[no-untyped-def]
        worker_threads.append(threading.current_thread())
        for i in range(50):
            progress(i, 50, f"step {i}")
        return 42

    task = run_task(parent, "Working", work, lambda r: got.append((r, QThread.currentThread() is QApplication.instance().thread())))
    with qtbot.waitSignal(task.sig_finished, timeout=10_000):
        pass
    assert got == [(42, True)]
    assert worker_threads[0] is not threading.main_thread()


def test_errors_go_to_on_error_and_cancel_stops_quietly(qtbot) -> None:  # type: ignore[no-untyped-def]
    parent = QWidget()
    qtbot.addWidget(parent)
    errors: list[BaseException] = []
    task = run_task(parent, "Failing", lambda _p: 1 / 0, lambda _r: None, on_error=errors.append)
    with qtbot.waitSignal(task.sig_finished, timeout=10_000):
        pass
    assert isinstance(errors[0], ZeroDivisionError)

    started = threading.Event()
    reached_end: list[bool] = []

    def long_work(progress) -> None:  # type: ignore[no-untyped-def]
        started.set()
        for i in range(10_000_000):
            progress(i, 10_000_000)
        reached_end.append(True)

    results: list[object] = []
    cancel_errors: list[BaseException] = []
    task = run_task(parent, "Long", long_work, results.append, on_error=cancel_errors.append)
    started.wait(5)
    task.cancel()
    with qtbot.waitSignal(task.sig_finished, timeout=10_000):
        pass
    assert results == [] and cancel_errors == [] and reached_end == []
    assert task.cancelled
