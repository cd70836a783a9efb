"""File ▸ Export progress report… and Executive ▸ Prepare e-mail…: the report dialog, opened without holding
the window while its modules load.

The first time, importing the dialog's modules (report content and its services, typesetting, the batch's
helper processes) takes a few tenths of a second: long enough to freeze the window (#18). They are
imported on a worker (module code only, no widget), and the dialog is built on the UI thread when they are in.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from typing import Any

DIALOG_MODULE = "esncoach.views.reports.dialog"

_loading: set[int] = set()
"""Windows whose dialog is on its way (a second Ctrl+P meanwhile opens no second dialog)."""


def open_report_dialog(window: Any, then: Callable[[Any], object] | None = None) -> None:
    """Open the report dialog at the selected exec: now if its modules are loaded, else once a worker has
    imported them; ``then(dialog)`` runs when it is shown."""

    def show(_module: object = None) -> None:
        _loading.discard(id(window))
        from esncoach.views.reports.dialog import open_report_dialog as open_now

        dialog = open_now(window)
        if then is not None:
            then(dialog)

    if DIALOG_MODULE in sys.modules:
        show()
        return
    if id(window) in _loading:
        return
    from esncoach.views.tasks import run_task

    _loading.add(id(window))
    run_task(window, window.tr("Opening the report dialog"), lambda _progress: importlib.import_module(DIALOG_MODULE),
             show, on_error=lambda exc: _failed(window, exc), show_progress=False)


def _failed(window: Any, exc: BaseException) -> None:
    from esncoach.views.messages import show_error

    _loading.discard(id(window))
    show_error(window, window.tr("Export progress report"), exc)

