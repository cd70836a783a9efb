"""The impact models' libraries are imported on a worker after start-up, not on the UI thread (#14)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

CHILD = r'''
import sys, threading
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget

app = QApplication([])
from esncoach.views.metrics import impact_warm

assert "statsmodels" not in sys.modules and "esncoach.services.impact" not in sys.modules
importers = []
real_import = __builtins__.__import__ if hasattr(__builtins__, "__import__") else __builtins__["__import__"]

def spy(name, *args, **kwargs):
    if name.startswith("statsmodels") and name not in sys.modules:
        importers.append(threading.current_thread() is threading.main_thread())
    return real_import(name, *args, **kwargs)

import builtins
builtins.__import__ = spy
window = QWidget()
window.show()
impact_warm.schedule_warm_up(window, 0)

def check():
    if "statsmodels.tsa.stattools" in sys.modules:
        from esncoach.views.tasks import wait_all
        wait_all()
        print("WARM", importers and not any(importers))
        app.quit()

timer = QTimer()
timer.timeout.connect(check)
timer.start(10)
QTimer.singleShot(60_000, app.quit)
app.exec()
'''


def test_statsmodels_is_warmed_on_a_worker_after_the_window_is_shown() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-c", CHILD], cwd=Path(__file__).resolve().parents[1], env=env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "WARM True" in out.stdout, out.stdout + out.stderr[-2000:]
