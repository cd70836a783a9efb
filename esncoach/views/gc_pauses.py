"""Keeps the garbage collector off the workers and its full passes short: collections run on the UI thread.

A full (generation 2) pass walks every container object in the process. Once PySide6, SQLAlchemy, numpy,
pyqtgraph and a few tabs are loaded that is hundreds of thousands of objects and ~50-300 ms, with the GIL
held: a worker reading an exec's rows (thousands of ORM objects, so a full pass now and then) froze the
window for that long, whichever thread triggered it (``bench/ui_stalls.py``). Two remedies live here:

* ``freeze_long_lived``: ``gc.freeze()`` moves what exists now out of the collector's view; later passes
  walk only what was made since. Call it after a step that loads long-lived things (a module, a tab); never
  in a loop: whatever garbage exists at that moment is kept for good, which is a few objects once per call.
* ``collect_on_gui_thread``: automatic collection is switched off once the ``QApplication`` exists and a
  timer on the UI thread collects the generation that is due (the usual pattern for PyQt/PySide apps).
  A collection triggered on a worker also finalised whatever Qt wrapper was in the garbage there, and a
  QObject destroyed on a thread other than its own can crash the process; here cycles die on the UI
  thread. A full pass also waits for the heap to grow by a quarter (as Python's own rule does), is never
  started while a mouse button is held (a drag, a click in progress), and comes no sooner after the last
  one than ``FULL_PASS_SPACING`` times its duration, so full passes take at most a few percent of the UI
  thread however busy the workers are. The command line never calls it
  and keeps Python's own collection.
"""

from __future__ import annotations

import gc
import sys
import time

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer
from PySide6.QtGui import QGuiApplication

CHECK_MS = 50
"""How often the UI thread looks at ``gc.get_count()`` (about a microsecond when nothing is due)."""
BUSY_CHECK_MS = 10
BUSY_FACTOR = 10
"""Over ``BUSY_FACTOR`` times the young threshold since the last look: look again after ``BUSY_CHECK_MS``."""
MIDDLE_PASS_OBJECTS = 50_000
"""A middle (generation 1) pass also runs once the young passes since the last one saw this many objects:
with passes 50-100 ms apart, ten young passes of busy workers fill the middle generation with hundreds of
thousands of objects (a 55-58 ms pass in ``bench/ui_stalls.py``); Python's own passes are 700 objects apart."""
FULL_PASS_GROWTH = 0.25
"""A full pass waits until the heap (``sys.getallocatedblocks()``, O(1)) grew by this much since the last one:
Python's own rule skips a full pass until the long-lived objects grew by 25%, which a timer cannot read."""
FULL_PASS_SPACING = 50
"""A full pass waits at least this many times the last one's duration (300 ms pass: 15 s apart)."""


def freeze_long_lived() -> None:
    """Exclude every object alive now from future collections (cheap: it relinks lists, visits nothing)."""
    gc.freeze()


class GuiThreadCollector(QObject):
    """Runs the collections Python would have run, on the UI thread from a timer, with gc.disable()d."""

    def __init__(self, parent: QObject, interval_ms: int = CHECK_MS) -> None:
        super().__init__(parent)
        self.thresholds = gc.get_threshold()
        self.was_enabled = gc.isenabled()
        self.collections = [0, 0, 0]
        """Collections run here, per generation (tests, benches)."""
        self.last_full_s = 0.0
        """How long the last full pass took (seconds)."""
        self.longest_s = [0.0, 0.0, 0.0]
        """The longest collection run here, per generation (seconds; benches)."""
        self._next_full_at = 0.0
        self._young_since_middle = 0
        """Young objects collected since the last middle pass: at most what that pass will walk."""
        self._blocks_after_full = sys.getallocatedblocks()
        self.interval_ms = interval_ms
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.collect_due)
        gc.disable()
        self._timer.start()

    def collect_due(self) -> int:
        """Collect the oldest generation whose count passed its threshold; the number of objects freed."""
        young, middle, old = gc.get_count()
        t0, t1, t2 = self.thresholds
        # Busy workers: look again sooner, so each young pass (and every tenth, the middle one) stays small.
        self._timer.setInterval(BUSY_CHECK_MS if young > BUSY_FACTOR * t0 else self.interval_ms)
        if young <= t0:
            return 0
        generation = 0
        if middle >= t1 or self._young_since_middle + young >= MIDDLE_PASS_OBJECTS:
            generation = 1
            if old >= t2 and self._full_pass_allowed():
                generation = 2
        started = time.perf_counter()
        freed = gc.collect(generation)
        took = time.perf_counter() - started
        self.longest_s[generation] = max(self.longest_s[generation], took)
        if generation == 2:
            self._blocks_after_full = sys.getallocatedblocks()
            self.last_full_s = took
            self._next_full_at = time.perf_counter() + FULL_PASS_SPACING * took
        self.collections[generation] += 1
        self._young_since_middle = self._young_since_middle + young if generation == 0 else 0
        return freed

    def _full_pass_allowed(self) -> bool:
        if time.perf_counter() < self._next_full_at:
            return False
        if sys.getallocatedblocks() < self._blocks_after_full * (1 + FULL_PASS_GROWTH):
            return False
        return QGuiApplication.mouseButtons() == Qt.MouseButton.NoButton  # not in the middle of a drag or click

    def stop(self) -> None:
        """Give collection back to Python (as it was before)."""
        global _active
        if _active is self:
            _active = None
        self._timer.stop()
        if self.was_enabled:
            gc.enable()


def collect_on_gui_thread(app: QCoreApplication) -> GuiThreadCollector | None:
    """Switch automatic collection off and collect from a timer on ``app``'s thread; None when gc is off."""
    global _active
    if _active is not None:
        return _active
    if not gc.isenabled() or gc.get_threshold()[0] == 0:
        return None  # someone turned the collector off on purpose: leave it so
    _active = GuiThreadCollector(app)
    return _active


def stop_collecting() -> None:
    """Give collection back to Python once the app's event loop is over (``run_gui`` returning)."""
    if _active is not None:
        _active.stop()


_active: GuiThreadCollector | None = None
