"""``esncoach team push``: copy a solo workspace's execs onto the team server (added later)."""

from __future__ import annotations

import argparse


def add_to(actions: argparse._SubParsersAction) -> None:
    """Register ``team push`` (nothing yet)."""
    return None
