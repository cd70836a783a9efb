"""Fail a test fast when a modal dialog waits for an answer nobody will give.

A modal dialog opened by mistake in a test (an unexpected error box, a question the test did not
foresee) blocks in its own event loop until pytest-timeout ends the whole run, so every later test is
lost with it. This guard closes a modal dialog that stays open for ``PATIENCE_S`` and fails the test
that opened it, naming the dialog.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import pytest

PATIENCE_S = float(os.environ.get("ESNCOACH_TEST_MODAL_PATIENCE", "45"))


@pytest.fixture(autouse=True)
def no_forgotten_modal_dialog(request: pytest.FixtureRequest) -> Iterator[None]:
    """Watch for a modal dialog that outlives its welcome in any test that uses Qt."""
    if "qtbot" not in request.fixturenames and "qapp" not in request.fixturenames:
        yield
        return
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    request.getfixturevalue("qapp")
    seen: dict[int, float] = {}
    stuck: list[str] = []

    def check() -> None:
        widget = QApplication.activeModalWidget()
        if widget is None:
            seen.clear()
            return
        first = seen.setdefault(id(widget), time.monotonic())
        if time.monotonic() - first < PATIENCE_S:
            return
        text = widget.text() if isinstance(widget, QMessageBox) else ""
        stuck.append(f"{type(widget).__name__} {widget.windowTitle()!r} {text!r}".strip())
        seen.pop(id(widget), None)
        widget.close()
        if widget.isVisible() and hasattr(widget, "reject"):
            widget.reject()

    timer = QTimer()
    timer.setInterval(500)
    timer.timeout.connect(check)
    timer.start()
    try:
        yield
    finally:
        timer.stop()
    if stuck:
        pytest.fail("A modal dialog stayed open with nobody to answer it: " + "; ".join(stuck), pytrace=False)
