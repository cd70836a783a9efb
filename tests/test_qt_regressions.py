"""Guards against known Qt-binding bugs coming back with an upgrade."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def test_many_bool_and_object_signal_emits_do_not_corrupt_refcounts() -> None:
    """PySide6 6.12.0 on Python 3.11 over-releases True/False delivered to Python slots ('bool_dealloc').

    Run in a child process: the bug kills the interpreter with a fatal error, which must fail this
    test rather than the whole test session.
    """
    code = textwrap.dedent(
        """
        import os, sys
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from PySide6.QtCore import QCoreApplication, QObject, Signal

        class Emitter(QObject):
            sig_bool = Signal(bool)
            sig_object = Signal(object)

        app = QCoreApplication([])
        seen = []
        e = Emitter()
        e.sig_bool.connect(lambda v: seen.append(v))
        e.sig_object.connect(lambda v: seen.append(v))
        before = (sys.getrefcount(True), sys.getrefcount(False))
        for i in range(5000):
            e.sig_bool.emit(i % 2 == 0)
            e.sig_object.emit(i % 3 == 0)
        seen.clear()
        after = (sys.getrefcount(True), sys.getrefcount(False))
        print(len(seen), before, after)
        # Immortal in 3.12+, counted in 3.11: a leak or over-release shows as a large drift.
        assert all(abs(a - b) < 100 for a, b in zip(before, after)), (before, after)
        print("OK")
        """
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().endswith("OK")
