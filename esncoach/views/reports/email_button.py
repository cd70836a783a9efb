""""Prepare e-mail": save the report into a private drafts folder and open a draft with it attached.

A button beside "Save PDF…" in the report dialog (Executive ▸ Prepare e-mail…, Ctrl+Shift+M, opens the
dialog on the selected exec with this button focused: ``email_menu``). The draft is an ``.eml`` file
(``services.email_draft``) opened with the system's mail program; nothing is sent by esncoach.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialogButtonBox, QMenu, QPushButton

from esncoach import paths
from esncoach.services import email_draft
from esncoach.services import report_content as rc
from esncoach.store.errors import StoreError
from esncoach.views.messages import show_error

REPORT_TITLES = {"exec": "Progress summary", "assistant": "Assistant brief", "portfolio": "Programme summary"}


def drafts_folder() -> Path:
    """Where drafts and the PDFs they carry are written (private to this user)."""
    return paths.data_dir() / "drafts"


class EmailDraftFlow:
    """Saves the dialog's report as a PDF in the drafts folder, then writes and opens the draft."""

    def __init__(self, dialog: Any, button: QPushButton) -> None:
        self.dialog = dialog
        self.button = button
        self.last_draft: Path | None = None
        menu = QMenu(button)
        self.to_exec = menu.addAction(dialog.tr("To the &executive"), lambda: self.prepare("exec"))
        self.to_assistant = menu.addAction(dialog.tr("To their &assistant"), lambda: self.prepare("assistant"))
        self.to_nobody = menu.addAction(dialog.tr("&Without a recipient"), lambda: self.prepare(None))
        button.setMenu(menu)
        dialog.kind.currentIndexChanged.connect(self.update)
        dialog.exec_box.currentIndexChanged.connect(self.update)
        self.update()

    def update(self) -> None:
        """One draft per report: not for the batch; the exec or assistant only when an exec is chosen."""
        kind = self.dialog.current_kind()
        has_exec = self.dialog.exec_box.count() > 0
        self.button.setEnabled(kind != "batch" and (has_exec or kind == "portfolio"))
        for action in (self.to_exec, self.to_assistant):
            action.setEnabled(kind in ("exec", "assistant") and has_exec)

    def prepare(self, to: str | None) -> None:
        """Check the address first (nothing is written without one), then save the PDF and write the draft."""
        kind = self.dialog.current_kind()
        exec_id = self.dialog.exec_box.currentData() if kind in ("exec", "assistant") else None
        ws = self.dialog.ws
        try:
            if exec_id is not None and to:
                email_draft.recipients(ws, exec_id=exec_id, to=to)
            folder = email_draft.private_folder(drafts_folder())
        except (StoreError, OSError) as exc:
            show_error(self.dialog, self.dialog.tr("Prepare e-mail"), exc)
            return
        name = self.dialog.exec_box.currentText() if exec_id is not None else ""
        pdf = folder / (rc.file_stem_for(kind, name, dt.date.today()) + ".pdf")

        def _saved(written: list[str]) -> None:
            self.dialog.sig_saved.disconnect(_saved)
            if not written:
                return
            try:
                self.last_draft = email_draft.report_email(ws, exec_id=exec_id, to=to, pdf=Path(written[0]),
                                                           report_title=REPORT_TITLES[kind], folder=folder)
            except (StoreError, OSError) as exc:
                show_error(self.dialog, self.dialog.tr("Prepare e-mail"), exc)
                return
            self.dialog.note.setText(self.dialog.tr("Draft ready: %s (opened in your mail program; "
                                                    "esncoach sends nothing).") % self.last_draft)
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.last_draft)))

        self.dialog.sig_saved.connect(_saved)
        self.dialog.save_to(pdf)


def add_email_button(dialog: Any, buttons: QDialogButtonBox) -> QPushButton:
    """Put "Prepare e-mail" beside the dialog's Save PDF button."""
    button = QPushButton(dialog.tr("Prepare &e-mail"), objectName="email")
    button.setToolTip(dialog.tr("Save the report and open an e-mail draft with it attached; nothing is sent"))
    buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
    dialog.email_flow = EmailDraftFlow(dialog, button)
    dialog.email_button = button
    return button
