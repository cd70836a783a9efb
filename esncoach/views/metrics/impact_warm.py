"""Warm the impact models' libraries in the background once the main window is up.

statsmodels (with scipy.stats) takes about a second to import. The impact services import it lazily so
start-up does not pay for it; this imports it on a worker a few seconds after the first paint, so the
first Engagement tab (or impact report) does not wait for it either; what it loaded is then frozen out of
the garbage collector's full passes (``gc_pauses``). Light on purpose: app.py imports
this module at start-up, and everything heavy (numpy, the services, statsmodels) loads on the worker.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget

from esncoach.views.gc_pauses import freeze_long_lived
from esncoach.views.tasks import run_task

WARM_UP_DELAY_MS = 4_000
"""After the first paint and the rest of start-up's work (Today's overview starts at 1.5 s)."""


def _preload(_progress: Any) -> None:
    from esncoach.services import impact, impact_model  # noqa: F401 - numpy and the services, on the worker

    impact_model.preload()


def schedule_warm_up(window: QWidget, delay_ms: int = WARM_UP_DELAY_MS) -> None:
    """Import the impact models' libraries on a worker ``delay_ms`` after now, if ``window`` is still shown."""

    def start() -> None:
        if window.isVisible():
            run_task(window, "", _preload, lambda _r: freeze_long_lived(), on_error=lambda _e: None,
                     show_progress=False)

    QTimer.singleShot(delay_ms, window, start)
