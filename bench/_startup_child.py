"""Child process of bench/startup.py: start the real app (or a bare window) and exit once it is ready.

'Ready' means painted: the main window's exec list has had its first paint with rows in it (the app's own
``ListPaintWatch``, the event that also lets the rest of the app load), or the bare window has had its
first paint — what a user waits for. ``STARTUP_CHILD_TRACE=1`` prints when that was and whether SQLAlchemy
had been imported by then.
"""

from __future__ import annotations

import os
import sys
import time

START = time.perf_counter()
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _done() -> None:
    if os.environ.get("STARTUP_CHILD_TRACE"):
        print(f"ready after {time.perf_counter() - START:.3f} s; SQLAlchemy imported: {'sqlalchemy' in sys.modules}",
              flush=True)
    # The main thread's CPU seconds so far: what the window itself cost, whatever else the machine runs.
    print(f"MAIN_CPU {time.thread_time():.4f}", flush=True)
    print("READY", flush=True)
    os._exit(0)  # skip teardown: we measure start-up only


def _watch(app, ready) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QTimer

    timer = QTimer(app)
    timer.setInterval(2)

    def check() -> None:
        if ready():
            _done()

    timer.timeout.connect(check)
    timer.start()


def run_app(db: str, passphrase_file: str) -> None:
    # Nothing of Qt is imported here: the app starts exactly as ``esncoach --db … --passphrase-file …`` does
    # (its key derivation starts before the toolkit loads). The watch hooks the controller's two ways of
    # showing a window (esncoach.app imports no Qt) and ends the run on the exec list's first paint with rows.
    from esncoach import app as gui

    def hooked(name: str):  # type: ignore[no-untyped-def]
        original = getattr(gui.AppController, name)

        def show(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            result = original(self, *args, **kwargs)
            watch = getattr(self.window, "first_paint", None)
            if watch is not None:
                watch.sig_painted.connect(_done)
            return result

        return show

    for name in ("open_early", "_show"):
        setattr(gui.AppController, name, hooked(name))
    from esncoach.cli import main

    main(["--db", db, "--passphrase-file", passphrase_file])


def run_bare() -> None:
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.resize(1280, 800)
    painted: list[bool] = []

    class Watch(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
            if event.type() == QEvent.Type.Paint:
                painted.append(True)
            return False

    watch = Watch(window)
    window.installEventFilter(watch)
    window.show()
    _watch(app, lambda: bool(painted))
    app.exec()


if __name__ == "__main__":
    if sys.argv[1] == "app":
        run_app(sys.argv[2], sys.argv[3])
    else:
        run_bare()
