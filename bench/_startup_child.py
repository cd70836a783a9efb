"""Child process of bench/startup.py: start the real app (or a bare window) and exit once it is ready.

'Ready' means the main window is exposed and its exec list is filled — what a user waits for.
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _watch(app, ready) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QTimer

    timer = QTimer(app)
    timer.setInterval(2)

    def check() -> None:
        if ready():
            print("READY", flush=True)
            os._exit(0)  # skip teardown: we measure start-up only

    timer.timeout.connect(check)
    timer.start()


def run_app(db: str, passphrase_file: str) -> None:
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])

    def ready() -> bool:
        from esncoach.views.main_window import MainWindow

        windows = [w for w in app.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        return bool(windows) and windows[0].proxy.rowCount() > 0

    _watch(app, ready)
    from esncoach.cli import main

    main(["--db", db, "--passphrase-file", passphrase_file])


def run_bare() -> None:
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.resize(1280, 800)
    window.show()
    _watch(app, window.isVisible)
    app.exec()


if __name__ == "__main__":
    if sys.argv[1] == "app":
        run_app(sys.argv[2], sys.argv[3])
    else:
        run_bare()
