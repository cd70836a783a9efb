"""One report from the dialog off the UI thread: Save PDF and the preview are typeset and their charts drawn by a
helper process; the same PDF as typeset in this process; Cancel leaves no file; no helper = typeset here."""

from __future__ import annotations

from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrintPreviewWidget
from PySide6.QtWidgets import QApplication
from pypdf import PdfReader

from esncoach.reports import helpers, pdf_writer
from esncoach.reports import charts as report_charts
from esncoach.reports.charts import app_charts
from esncoach.services import execs, settings
from esncoach.services import report_content as rc
from esncoach.store.workspace import Workspace
from esncoach.views.reports.dialog import ReportDialog
from tests.test_report_helpers import _read  # page texts and image streams of a PDF
from tests.windows import open_main_window


def _open_with_ctrl_p(qtbot, ws: Workspace, name: str) -> ReportDialog:  # type: ignore[no-untyped-def]
    """The dialog as a CM opens it: the exec selected in the main window, Ctrl+P; then "Prepared by" typed in."""
    window = open_main_window(qtbot, ws)
    window.select_exec(execs.find_exec(ws, name).id)
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeWindow(), ReportDialog), timeout=60_000)
    dialog = QApplication.activeWindow()
    assert dialog.exec_box.currentText() == name
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_B, Qt.KeyboardModifier.AltModifier)  # "Prepared &by"
    assert QApplication.focusWidget() is dialog.cm_name
    dialog.cm_name.clear()
    qtbot.keyClicks(QApplication.focusWidget(), "Sofia Laurent")
    dialog.page_size.setCurrentIndex(dialog.page_size.findData("A4"))
    return dialog


def _count_charts_drawn_here(monkeypatch) -> list[str]:  # type: ignore[no-untyped-def]
    """Every app chart drawn in this process (a helper process draws its own, unseen here)."""
    drawn: list[str] = []
    real = report_charts.draw_app_charts
    monkeypatch.setattr(report_charts, "draw_app_charts",
                        lambda ws, req, w, h, data=None: drawn.append(req.kind) or real(ws, req, w, h, data))
    return drawn


def _typeset_here(dialog: ReportDialog, ws: Workspace, path: Path) -> Path:
    """The same report typeset in this process as before the helpers (the reference)."""
    content = dialog.content_builder()()
    return pdf_writer.save_report(content, path, page_size="A4", charts=app_charts(ws)).path


def test_save_pdf_is_typeset_by_a_helper_and_matches(qtbot, demo_ws: Workspace, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                     monkeypatch) -> None:
    dialog = _open_with_ctrl_p(qtbot, demo_ws, "Farid Haddad")
    built = _count_charts_drawn_here(monkeypatch)
    target = tmp_path / "farid.pdf"
    with qtbot.waitSignal(dialog.sig_saved, timeout=300_000) as blocker:
        dialog.save_to(target)
    assert blocker.args == [[str(target)]]
    assert built == []  # the charts were drawn by the helper process, not in the window's
    assert settings.get(demo_ws, rc.CM_NAME) == "Sofia Laurent"
    texts, images = _read(target)
    text = " ".join(texts)
    assert "Farid Haddad" in text and "Sofia Laurent" in text and "Figure 1." in text
    assert f"Page {len(texts)} of {len(texts)}" in text
    assert float(PdfReader(str(target)).pages[0].mediabox.width) < 600  # A4, not Letter
    assert (texts, images) == _read(_typeset_here(dialog, demo_ws, tmp_path / "here.pdf"))
    assert len(images) >= 2
    assert "Saved" in dialog.note.text()
    dialog.close()


def test_cancelled_save_leaves_no_file_and_the_next_save_works(qtbot, demo_ws: Workspace, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dialog = _open_with_ctrl_p(qtbot, demo_ws, "Chen Wei")
    target = tmp_path / "out" / "chen.pdf"
    target.parent.mkdir()
    saved: list[list[str]] = []
    dialog.sig_saved.connect(saved.append)
    task = dialog.save_to(target)
    # Cancel while the helper typesets (step 2 of 3 is reported while the worker waits for it).
    task._worker.sig_progress.connect(lambda done, _total, _msg: done == 2 and task.cancel())
    with qtbot.waitSignal(task.sig_finished, timeout=300_000):
        pass
    assert task.cancelled and saved == []
    assert list(target.parent.iterdir()) == []  # neither the PDF nor a temporary part of it
    with qtbot.waitSignal(dialog.sig_saved, timeout=300_000):
        dialog.save_to(target)
    texts, images = _read(target)
    assert "Chen Wei" in " ".join(texts) and images
    assert [p.name for p in target.parent.iterdir()] == ["chen.pdf"]
    dialog.close()


def test_preview_charts_come_from_the_helper(qtbot, demo_ws: Workspace, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    dialog = _open_with_ctrl_p(qtbot, demo_ws, "Isabel Moreno")
    built = _count_charts_drawn_here(monkeypatch)
    drawn: list[int] = []
    real_paint_on = pdf_writer.paint_on

    def counting_paint_on(content, device, *, page_size="auto", charts=None):  # type: ignore[no-untyped-def]
        def source(req, w, h):  # type: ignore[no-untyped-def]
            images = charts(req, w, h)
            drawn.extend(image.width() for _title, image in images)
            return images

        return real_paint_on(content, device, page_size=page_size, charts=source)

    monkeypatch.setattr(pdf_writer, "paint_on", counting_paint_on)
    task = dialog.preview()
    with qtbot.waitSignal(task.sig_finished, timeout=300_000):
        pass
    preview = dialog.preview_dialog
    assert preview is not None
    widget = preview.findChild(QPrintPreviewWidget)
    widget.updatePreview()
    qtbot.waitUntil(lambda: widget.pageCount() >= 2, timeout=60_000)
    assert built == []  # the images were drawn in the helper; the preview only lays the pages out
    assert len(drawn) >= 2 and min(drawn) > 100
    preview.close()
    dialog.close()


def test_without_helpers_save_and_preview_are_done_here(qtbot, demo_ws: Workspace, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                        monkeypatch) -> None:
    def broken(self, job):  # type: ignore[no-untyped-def]
        raise BrokenProcessPool("A child process terminated abruptly")

    monkeypatch.setattr(helpers.HelperPool, "submit_render", broken)
    dialog = _open_with_ctrl_p(qtbot, demo_ws, "Farid Haddad")
    built = _count_charts_drawn_here(monkeypatch)
    target = tmp_path / "farid.pdf"
    with qtbot.waitSignal(dialog.sig_saved, timeout=300_000):
        dialog.save_to(target)
    assert built  # drawn in this process: on the UI thread for the worker
    texts, images = _read(target)
    assert "Figure 1." in " ".join(texts) and len(images) >= 2
    assert (texts, images) == _read(_typeset_here(dialog, demo_ws, tmp_path / "here.pdf"))
    task = dialog.preview()
    with qtbot.waitSignal(task.sig_finished, timeout=300_000):
        pass
    widget = dialog.preview_dialog.findChild(QPrintPreviewWidget)
    widget.updatePreview()
    qtbot.waitUntil(lambda: widget.pageCount() >= 2, timeout=60_000)
    dialog.preview_dialog.close()
    dialog.close()
