"""The frozen application's entry point: the same ``esncoach`` command as the installed script."""

from __future__ import annotations

import multiprocessing

if __name__ == "__main__":
    multiprocessing.freeze_support()  # a no-op unless a library starts worker processes in the bundle
    from esncoach.cli import main

    raise SystemExit(main())
