"""The progress protocol as services and views have always imported it; it lives in ``esncoach.progress``.

The store (backups, archives) runs long work too and may not import services, so the protocol moved below
both layers; this module keeps the old import path working.
"""

from __future__ import annotations

from esncoach.progress import Cancelled, ProgressSink, no_progress

__all__ = ["Cancelled", "ProgressSink", "no_progress"]
