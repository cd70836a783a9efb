"""esncoach: a desktop coach's notebook for bringing executives onto the enterprise social network."""

from __future__ import annotations

__version__ = "0.1.0"
APP_NAME = "esncoach"
