"""Allows ``python -m esncoach`` to behave exactly like the ``esncoach`` script."""

from esncoach.cli import main

raise SystemExit(main())
