"""Executive ▸ Prepare e-mail… (Ctrl+Shift+M): the report dialog on the selected exec, "Prepare e-mail" focused.

Apart from ``email_button`` (which the dialog imports) so the two modules do not import each other.
"""

from __future__ import annotations

from typing import Any

from esncoach.views.messages import show_error
from esncoach.views.reports.opener import open_report_dialog


def prepare_email_for_current(window: Any) -> Any:
    """Menu hook (Executive ▸ Prepare e-mail…): the report dialog on the selected exec, the e-mail button focused."""
    if window.current_exec_id() is None:
        show_error(window, window.tr("Prepare e-mail"), window.tr("Select an executive first."))
        return None
    open_report_dialog(window, then=lambda dialog: dialog.email_button.setFocus())  # the dialog may come a moment later
    return None
