"""The report dialog as a CM uses it: menu entry, preview, save one PDF, save a folder of them off the UI thread."""

from __future__ import annotations

import re
import stat
import unicodedata
from pathlib import Path

from PySide6.QtPrintSupport import QPrintPreviewWidget
from pypdf import PdfReader

from esncoach.services import execs, settings
from esncoach.services import report_content as rc
from esncoach.store.workspace import Workspace
from esncoach.views.app_settings import AppSettings
from esncoach.views.reports.dialog import ReportDialog


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def pdf_text(path: Path) -> tuple[int, str]:
    reader = PdfReader(str(path))
    return len(reader.pages), " ".join(norm(p.extract_text() or "") for p in reader.pages)


def _dialog(qtbot, ws: Workspace, name: str | None = None) -> ReportDialog:  # type: ignore[no-untyped-def]
    exec_id = execs.find_exec(ws, name).id if name else None
    dialog = ReportDialog(ws, exec_id=exec_id)
    qtbot.addWidget(dialog)
    return dialog


def _select(dialog: ReportDialog, kind: str) -> None:
    dialog.kind.setCurrentIndex(dialog.kind.findData(kind))


def test_menu_entry_opens_the_dialog_at_the_selected_exec(qtbot, demo_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QAction

    from esncoach.views.main_window import MainWindow

    window = MainWindow(demo_ws, AppSettings())
    qtbot.addWidget(window)
    chen = execs.find_exec(demo_ws, "Chen Wei").id
    window.select_exec(chen)
    action = window.findChild(QAction, "hook:esncoach.views.reports.opener:open_report_dialog")
    assert action is not None and action.shortcut().toString() == "Ctrl+P"
    action.trigger()
    qtbot.waitUntil(lambda: window.findChild(ReportDialog) is not None)  # its modules may load on a worker first
    dialog = window.findChild(ReportDialog)
    assert dialog is not None and dialog.isVisible()
    assert dialog.exec_box.currentData() == chen
    dialog.close()


def test_save_one_exec_summary_through_the_dialog(qtbot, demo_ws: Workspace, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dialog = _dialog(qtbot, demo_ws, "Farid Haddad")
    assert dialog.exec_box.currentText() == "Farid Haddad"
    assert dialog.start.isEnabled()
    dialog.cm_name.setText("Sofia Laurent")
    dialog.page_size.setCurrentIndex(dialog.page_size.findData("Letter"))
    target = tmp_path / "farid.pdf"
    with qtbot.waitSignal(dialog.sig_saved, timeout=120_000) as blocker:
        dialog.save_to(target)
    assert blocker.args == [[str(target)]]
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    pages, text = pdf_text(target)
    assert pages >= 2 and "Farid Haddad" in text and "Sofia Laurent" in text
    assert f"Page {pages} of {pages}" in text
    assert "Amelia Hart" not in text
    assert float(PdfReader(str(target)).pages[0].mediabox.width) == 612
    assert settings.get(demo_ws, rc.CM_NAME) == "Sofia Laurent"
    assert AppSettings().page_size == "Letter"
    assert "Saved" in dialog.note.text()


def test_assistant_brief_and_portfolio_options(qtbot, demo_ws: Workspace, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dialog = _dialog(qtbot, demo_ws, "Chen Wei")
    _select(dialog, "assistant")
    assert dialog.exec_box.isEnabled() and not dialog.start.isEnabled()
    target = tmp_path / "brief.pdf"
    with qtbot.waitSignal(dialog.sig_saved, timeout=120_000):
        dialog.save_to(target)
    _pages, text = pdf_text(target)
    assert "ASSISTANT BRIEF" in text and "Chen Wei" in text
    _select(dialog, "portfolio")
    assert not dialog.exec_box.isEnabled() and dialog.preview_button.isEnabled()


def test_batch_runs_off_the_ui_thread_with_progress(qtbot, demo_ws: Workspace, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dialog = _dialog(qtbot, demo_ws)
    _select(dialog, "batch")
    assert not dialog.preview_button.isEnabled()
    assert "folder" in dialog.save_button.text()
    folder = tmp_path / "reports"
    folder.mkdir()
    with qtbot.waitSignal(dialog.sig_saved, timeout=600_000) as blocker:
        dialog.save_batch_to(folder)
    paths = [Path(p) for p in blocker.args[0]]
    active = execs.list_execs(demo_ws, include_archived=False)
    assert len(paths) == len(active)
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in paths)
    for row, path in zip(active, paths, strict=True):
        _pages, text = pdf_text(path)
        assert row.name in norm(text)
        for other in active:
            if other.id != row.id:
                assert norm(other.name) not in text


def test_preview_paints_pages(qtbot, demo_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    dialog = _dialog(qtbot, demo_ws, "Isabel Moreno")
    _select(dialog, "assistant")
    task = dialog.preview()
    qtbot.waitUntil(lambda: dialog.preview_dialog is not None, timeout=60_000)
    task.wait()
    preview = dialog.preview_dialog
    assert preview is not None
    widget = preview.findChild(QPrintPreviewWidget)
    widget.updatePreview()
    qtbot.waitUntil(lambda: widget.pageCount() >= 1, timeout=30_000)
    assert 1 <= widget.pageCount() <= 2  # the listening brief (#17) may take a second page
    preview.close()
