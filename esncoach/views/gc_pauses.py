"""Keeps the garbage collector's full passes short by freezing the objects that live as long as the window.

A full (generation 2) pass walks every container object in the process. Once PySide6, SQLAlchemy, numpy,
pyqtgraph and a few tabs are loaded that is hundreds of thousands of objects and ~50-300 ms, with the GIL
held: a worker reading an exec's rows (thousands of ORM objects, so a full pass now and then) froze the
window for that long, whichever thread triggered it (``bench/ui_stalls.py``). ``gc.freeze()`` moves what
exists now out of the collector's view; later passes walk only what was made since. Call it after a step
that loads long-lived things (a module, a tab); never in a loop: whatever garbage exists at that moment
is kept for good, which is a few objects once per call.
"""

from __future__ import annotations

import gc


def freeze_long_lived() -> None:
    """Exclude every object alive now from future collections (cheap: it relinks lists, visits nothing)."""
    gc.freeze()
