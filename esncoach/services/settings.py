"""Coaching rules the CM can tune, stored in the workspace so they travel with its data.

Each feature declares its settings (key and default) in one place with ``declare``; reading an
undeclared key is a programming error, so a typo cannot silently fall back to a default.
"""

from __future__ import annotations

import json
from typing import Any

from esncoach.models import WorkspaceSetting
from esncoach.store.workspace import Workspace

_DEFAULTS: dict[str, Any] = {}


def declare(key: str, default: Any) -> str:
    """Register a setting and its default; returns the key for use as a module constant."""
    _DEFAULTS[key] = default
    return key


def declared() -> dict[str, Any]:
    """Every declared setting with its default (for a settings dialog)."""
    return dict(_DEFAULTS)


def get(ws: Workspace, key: str) -> Any:
    """The stored value, or the declared default when the CM never changed it."""
    if key not in _DEFAULTS:
        raise KeyError(f"undeclared workspace setting {key!r}")
    with ws.session() as s:
        row = s.get(WorkspaceSetting, key)
        return json.loads(row.value_json) if row else _DEFAULTS[key]


def put(ws: Workspace, key: str, value: Any) -> None:
    """Store a value (JSON-serialisable) for a declared setting."""
    if key not in _DEFAULTS:
        raise KeyError(f"undeclared workspace setting {key!r}")
    with ws.session() as s:
        row = s.get(WorkspaceSetting, key)
        if row is None:
            s.add(WorkspaceSetting(key=key, value_json=json.dumps(value)))
        else:
            row.value_json = json.dumps(value)
