"""Main-window entry points for the data features whose dialogs take (parent, workspace)."""

from __future__ import annotations

from typing import Any


def import_figures(window: Any) -> None:
    """File ▸ Import engagement figures…: the import wizard; the exec page refreshes afterwards."""
    from esncoach.views.metrics.import_wizard import open_import_wizard

    open_import_wizard(window, window.ws, on_imported=lambda _result: window.refresh())


def enter_figures(window: Any) -> None:
    """File ▸ Enter figures by hand…: the grid for the selected exec (or the network when none is)."""
    from esncoach.views.metrics.manual_entry import open_manual_entry

    open_manual_entry(window, window.ws, window.current_exec_id(), on_saved=lambda *_a: window.refresh())
