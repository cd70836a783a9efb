"""The report batch typeset by helper processes: the same PDFs as typeset in this process, nothing drawn on
the window's thread, Cancel, and a batch that still completes when the helpers cannot start."""

from __future__ import annotations

import re
import unicodedata
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from pypdf import PdfReader

from esncoach.reports import batch, helpers
from esncoach.reports.charts import app_charts
from esncoach.services import execs
from esncoach.store.workspace import Workspace
from esncoach.views.charts import plots
from esncoach.views.reports.dialog import ReportDialog
from tests.windows import open_main_window


def _read(path: Path) -> tuple[list[str], list[bytes]]:
    """Each page's text (normalised: Qt's PDFs break words with tabs and use ligatures) and the raw
    streams of the images on the pages, as stored in the file."""
    reader = PdfReader(str(path))
    texts = [re.sub(r"\s+", " ", unicodedata.normalize("NFKC", p.extract_text() or "")).strip()
             for p in reader.pages]
    images = [x.get_object()._data for p in reader.pages
              for x in (p["/Resources"].get("/XObject") or {}).values() if x.get_object().get("/Subtype") == "/Image"]
    return texts, images


def test_helpers_write_the_same_pdfs_as_this_process(qtbot, demo_ws: Workspace, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    here, there = tmp_path / "here", tmp_path / "helpers"
    here.mkdir()
    there.mkdir()
    source = app_charts(demo_ws)
    alone = batch.write_all_exec_summaries(demo_ws, out_dir=here, page_size="A4", charts=source, helper_processes=0)
    shared = batch.write_all_exec_summaries(demo_ws, out_dir=there, page_size="A4", charts=source,
                                            helper_processes=2)
    assert [s.path.name for s in shared] == [s.path.name for s in alone]
    assert len(alone) == len(execs.list_execs(demo_ws, include_archived=False))
    for a, b in zip(alone, shared, strict=True):
        assert (b.pages, b.possible_mentions) == (a.pages, a.possible_mentions)
        texts, images = _read(b.path)
        assert (texts, images) == _read(a.path)  # charts drawn in a helper are the very same images
        assert len(images) >= 2 and "Figure 1." in " ".join(texts)


def test_dialog_batch_draws_no_chart_in_the_window_process(qtbot, demo_ws: Workspace, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                           monkeypatch) -> None:
    built: list[str] = []
    original = plots.ChartWidget.__init__

    def counting(self, key, *args, **kwargs):  # type: ignore[no-untyped-def]
        built.append(key)
        original(self, key, *args, **kwargs)

    monkeypatch.setattr(plots.ChartWidget, "__init__", counting)
    dialog = ReportDialog(demo_ws)
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData("batch"))
    folder = tmp_path / "reports"
    folder.mkdir()
    with qtbot.waitSignal(dialog.sig_saved, timeout=600_000) as blocker:
        dialog.save_batch_to(folder)
    paths = [Path(p) for p in blocker.args[0]]
    assert len(paths) == len(execs.list_execs(demo_ws, include_archived=False))
    assert built == []  # every chart was drawn by a helper process
    for path in paths:
        texts, images = _read(path)
        assert images and "Figure 1." in " ".join(texts)


def test_cancelled_batch_stops_and_leaves_only_whole_files(qtbot, demo_ws: Workspace, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dialog = ReportDialog(demo_ws)
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData("batch"))
    folder = tmp_path / "reports"
    folder.mkdir()
    seen: list[int] = []
    task = dialog.save_batch_to(folder)
    task._worker.sig_progress.connect(lambda done, _total, _msg: seen.append(done))
    qtbot.waitUntil(lambda: bool(seen), timeout=600_000)
    task.cancel()
    with qtbot.waitSignal(task.sig_finished, timeout=600_000):
        pass
    assert task.cancelled
    files = sorted(folder.iterdir())
    assert len(files) < len(execs.list_execs(demo_ws, include_archived=False))
    for path in files:  # each one finished: no temporary or half-written file is left
        assert path.suffix == ".pdf"
        texts, _images = _read(path)
        assert "Page 1 of" in " ".join(texts)


def test_batch_is_typeset_here_when_the_helpers_cannot_start(qtbot, demo_ws: Workspace, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                             monkeypatch) -> None:
    def broken(self, job):  # type: ignore[no-untyped-def]
        raise BrokenProcessPool("A child process terminated abruptly")

    monkeypatch.setattr(helpers.HelperPool, "submit", broken)
    saved = batch.write_all_exec_summaries(demo_ws, out_dir=tmp_path, page_size="A4", charts=app_charts(demo_ws),
                                           helper_processes=1)
    assert len(saved) == len(execs.list_execs(demo_ws, include_archived=False))
    for s in saved:
        texts, images = _read(s.path)
        assert images and "Figure 1." in " ".join(texts)


def test_ctrl_p_loads_the_dialog_modules_on_a_worker(qtbot, demo_ws: Workspace, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import sys
    import threading

    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QDialog

    from esncoach.views.app_settings import AppSettings
    from esncoach.views.main_window import MainWindow
    from esncoach.views.reports import opener

    monkeypatch.delitem(sys.modules, opener.DIALOG_MODULE)  # as on the first Ctrl+P of a session
    on_ui_thread: list[bool] = []
    real_import = opener.importlib.import_module

    def recording(name: str):  # type: ignore[no-untyped-def]
        if name == opener.DIALOG_MODULE:
            on_ui_thread.append(threading.current_thread() is threading.main_thread())
        return real_import(name)

    monkeypatch.setattr(opener.importlib, "import_module", recording)
    window = open_main_window(qtbot, demo_ws)
    chen = execs.find_exec(demo_ws, "Chen Wei").id
    window.select_exec(chen)
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget() or QApplication.activeWindow(), QDialog),
                    timeout=60_000)
    dialog = QApplication.activeWindow()
    assert type(dialog).__name__ == "ReportDialog" and dialog.exec_box.currentData() == chen
    assert on_ui_thread == [False]  # the dialog's modules were imported by a worker, once
    dialog.close()
