"""Garbage collection on the UI thread (``views.gc_pauses``): cycles holding Qt objects die there, not on a worker."""

from __future__ import annotations

import gc
import threading
import weakref
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication

from esncoach.views.gc_pauses import GuiThreadCollector, collect_on_gui_thread


class _Cyclic(QObject):
    """A parentless QObject that keeps itself alive through a reference cycle; notes where it is finalised."""

    finalised_on: list[int] = []

    def __init__(self) -> None:
        super().__init__()
        self.me = self

    def __del__(self) -> None:
        _Cyclic.finalised_on.append(threading.get_ident())


class _Node:
    def __init__(self) -> None:
        self.me = self


@pytest.fixture
def collector(qapp: QApplication) -> Iterator[GuiThreadCollector]:
    gc.collect()
    made = collect_on_gui_thread(qapp)
    assert made is not None
    try:
        yield made
    finally:
        made.stop()
        made.deleteLater()
        gc.collect()


def test_a_cycle_dropped_on_a_worker_is_finalised_on_the_ui_thread(qtbot, collector: GuiThreadCollector) -> None:
    assert not gc.isenabled()
    _Cyclic.finalised_on.clear()
    box = [_Cyclic()]

    def work() -> None:
        box.clear()  # the worker drops the last reference ...
        junk = []
        for _ in range(200_000):  # ... and allocates far past every threshold, as an ORM read does
            junk.append([_Node()])
            if len(junk) > 1000:
                junk = []

    worker = threading.Thread(target=work)
    worker.start()
    worker.join()
    assert _Cyclic.finalised_on == []  # nothing was collected on the worker
    qtbot.waitUntil(lambda: bool(_Cyclic.finalised_on), timeout=5000)
    assert _Cyclic.finalised_on == [threading.main_thread().ident]


def test_garbage_stays_bounded_while_the_app_runs(qtbot, collector: GuiThreadCollector) -> None:
    alive: weakref.WeakSet[_Node] = weakref.WeakSet()
    stop = threading.Event()

    def churn() -> None:
        while not stop.is_set():
            for _ in range(2000):
                alive.add(_Node())  # each one garbage at once, freed only by a collection
            stop.wait(0.005)

    worker = threading.Thread(target=churn)
    worker.start()
    made_before = sum(collector.collections)
    peaks = []
    try:
        for _ in range(10):
            qtbot.wait(150)
            peaks.append(gc.get_count()[0])
    finally:
        stop.set()
        worker.join()
    assert sum(collector.collections) > made_before
    young_limit = 400_000  # far below what 1.5 s of churn without collection leaves (each node counts twice)
    assert max(peaks) < young_limit, peaks
    qtbot.waitUntil(lambda: len(alive) < 50_000, timeout=5000)  # the churned garbage went on the next passes


def test_stop_gives_collection_back_and_installing_twice_keeps_one(qapp: QApplication) -> None:
    assert gc.isenabled()
    first = collect_on_gui_thread(qapp)
    assert first is not None and collect_on_gui_thread(qapp) is first
    assert not gc.isenabled()
    first.stop()
    first.deleteLater()
    assert gc.isenabled()


def test_the_command_line_keeps_pythons_collection(tmp_path, passphrase_file, capsys) -> None:
    from esncoach.cli import main

    db, pf = str(tmp_path / "cli.db"), str(passphrase_file)
    assert main(["execs", "add", "--db", db, "--passphrase-file", pf, "--name", "Zoë Adler"]) == 0
    assert main(["execs", "list", "--db", db, "--passphrase-file", pf, "--json"]) == 0
    assert gc.isenabled()


def test_the_app_collects_on_the_ui_thread_and_gives_it_back_when_it_ends(qapp, monkeypatch, tmp_path) -> None:
    import argparse

    from esncoach import app
    from esncoach.app import AppController

    seen: list[bool] = []

    def fake_open(self: AppController, path: object, **_kwargs: object) -> bool:
        seen.append(gc.isenabled())
        return False  # run_gui returns 1 before its event loop

    monkeypatch.setattr(AppController, "open", fake_open)
    args = argparse.Namespace(db=str(tmp_path / "given.db"), passphrase_file=None, coach=None)
    assert app.run_gui(args) == 1
    assert seen == [False]  # the window would have opened with the UI thread's collection
    assert gc.isenabled()


def test_a_burst_of_young_objects_gets_its_middle_pass_at_once(collector: GuiThreadCollector) -> None:
    gc.collect()
    before = list(collector.collections)
    kept = [[i] for i in range(80_000)]  # a worker's read: many objects that survive the young pass
    collector.collect_due()
    assert collector.collections[1] == before[1] + 1  # not ten timer ticks later, with ten times as many
    assert len(kept) == 80_000
