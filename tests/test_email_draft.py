"""E-mail drafts: an .eml with the report attached, addressed, marked unsent, owner-only, opened by the system."""

from __future__ import annotations

import email
import email.policy
import stat
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QMessageBox

from esncoach.models import SupportRole
from esncoach.services import email_draft, execs
from esncoach.store.errors import ValidationError
from esncoach.store.workspace import Workspace
from tests.windows import open_main_window


def _read(path: Path) -> email.message.EmailMessage:
    return email.message_from_bytes(path.read_bytes(), policy=email.policy.default)  # type: ignore[return-value]


def test_draft_has_recipient_attachment_and_unsent_flag(ws: Workspace, tmp_path: Path) -> None:
    exec_id = execs.add_exec(ws, name="Élodie Marchand", email="elodie.marchand@example.com")
    pdf = tmp_path / "summary.pdf"
    pdf.write_bytes(b"%PDF-1.7 test")
    path = email_draft.report_email(ws, exec_id=exec_id, to="exec", pdf=pdf, report_title="Progress summary",
                                    folder=tmp_path / "drafts")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "drafts").stat().st_mode) == 0o700
    msg = _read(path)
    assert msg["X-Unsent"] == "1"
    assert msg["To"].addresses[0].addr_spec == "elodie.marchand@example.com"
    assert msg["To"].addresses[0].display_name == "Élodie Marchand"
    assert msg["Subject"] == "Progress summary — Élodie Marchand"
    assert msg.get_body(("plain",)).get_content().startswith("Hello Élodie,")
    (attachment,) = list(msg.iter_attachments())
    assert attachment.get_filename() == "summary.pdf" and attachment.get_content_type() == "application/pdf"
    assert attachment.get_content() == b"%PDF-1.7 test"
    again = email_draft.report_email(ws, exec_id=exec_id, to="exec", pdf=pdf, report_title="Progress summary",
                                     folder=tmp_path / "drafts")
    assert again != path and again.name == "summary-2.eml"  # never overwrites an earlier draft


def test_assistant_address_and_clear_refusals(ws: Workspace, tmp_path: Path) -> None:
    exec_id = execs.add_exec(ws, name="Bruno Castillo")
    with pytest.raises(ValidationError, match="Bruno Castillo has no e-mail address"):
        email_draft.recipients(ws, exec_id=exec_id, to="exec")
    with pytest.raises(ValidationError, match="has no assistant"):
        email_draft.recipients(ws, exec_id=exec_id, to="assistant")
    person = execs.add_person(ws, name="Sam Patel", email="sam@example.com")
    execs.link_person(ws, exec_id=exec_id, person_id=person, role=SupportRole.ASSISTANT)
    assert email_draft.recipients(ws, exec_id=exec_id, to="assistant") == [
        email_draft.Recipient("Sam Patel", "sam@example.com")]


def test_prepare_email_from_the_exec_by_keyboard_opens_a_draft(qtbot, demo_ws: Workspace, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    window = open_main_window(qtbot, demo_ws)
    amelia = execs.find_exec(demo_ws, "Amelia Hart")
    window.select_exec(amelia.id)
    qtbot.keyClick(window, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None
                    and QApplication.focusWidget().objectName() == "email")
    dialog = QApplication.focusWidget().window()
    assert dialog.exec_box.currentData() == amelia.id
    dialog.email_flow.to_exec.trigger()
    qtbot.waitUntil(lambda: bool(opened), timeout=60_000)
    msg = _read(Path(opened[0]))
    assert msg["X-Unsent"] == "1" and amelia.email in msg["To"]
    (attachment,) = list(msg.iter_attachments())
    assert attachment.get_content().startswith(b"%PDF")
    assert stat.S_IMODE(Path(opened[0]).stat().st_mode) == 0o600
    dialog.close()


def test_no_address_writes_nothing(qtbot, ws: Workspace, monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from esncoach.views.reports import email_button
    from esncoach.views.reports.dialog import ReportDialog

    monkeypatch.setattr(email_button, "drafts_folder", lambda: tmp_path / "drafts")
    errors: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, text: errors.append(text))
    execs.add_exec(ws, name="Kavya Raman")
    dialog = ReportDialog(ws)
    qtbot.addWidget(dialog)
    dialog.email_flow.to_exec.trigger()
    assert errors == ["Kavya Raman has no e-mail address; add one with Edit executive (Ctrl+E)."]
    assert not (tmp_path / "drafts").exists()
