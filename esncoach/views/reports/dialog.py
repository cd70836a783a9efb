"""File ▸ Export progress report…: choose a report, preview it, save it as PDF (or one per exec, in a folder).

Content comes from ``esncoach.services.report_content`` and is typeset by ``esncoach.reports``; building
and saving run on a worker through ``run_task`` with progress and Cancel. The charts (widgets) and the
typesetting of a saved report, one or a batch, are done by helper processes (``esncoach.reports.helpers``,
``esncoach.reports.single``), so the window stays responsive through them; the preview gets the charts drawn
there and only lays the pages out here. Only when no helper can start are the charts drawn on the UI thread
for the worker (``GuiThreadCharts``: the worker waits for the UI thread, never the other way round).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QStandardPaths, Qt, Signal
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from esncoach.reports import batch, charts, helpers, pdf_writer, single
from esncoach.services import execs, settings
from esncoach.services import report_content as rc
from esncoach.services.progress import ProgressSink
from esncoach.store.workspace import Workspace
from esncoach.views.app_settings import AppSettings
from esncoach.views.dates import DATE_FORMAT
from esncoach.views.tasks import Task, run_task
from esncoach.views.window_size import fit_to_screen

KINDS = (
    ("exec", "Progress summary for an executive"),
    ("assistant", "Brief for an executive's assistant"),
    ("portfolio", "Programme summary for the sponsor"),
    ("batch", "Progress summaries for every executive (one PDF each)"),
)
PAGE_SIZE_LABELS = (("auto", "From the system's locale"), ("A4", "A4"), ("Letter", "US Letter"))


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(q: QDate) -> dt.date:
    return dt.date(q.year(), q.month(), q.day())


class ReportDialog(QDialog):
    """Pick a report and its options; preview, save one PDF or a folder of them."""

    sig_saved = Signal(list)
    """The paths (str) written by the last save, emitted on the UI thread once they are on disk."""

    def __init__(self, ws: Workspace, *, exec_id: int | None = None, parent: QWidget | None = None,
                 exec_names: list[tuple[int, str]] | None = None) -> None:
        """``exec_names``: the active execs as (id, name) in list order when the caller already has them (the
        main window does: reading 200 execs again here would hold the UI thread ~0.2 s); else read here."""
        super().__init__(parent)
        self.ws = ws
        self.settings = AppSettings()
        self.task: Task | None = None
        self.preview_dialog: QPrintPreviewDialog | None = None
        self._charts = charts.app_charts(ws)
        self._gui_charts = charts.GuiThreadCharts(self._charts) if self._charts is not None else None
        self._helper = single.SingleReportHelper()
        self.finished.connect(self._helper.close)
        self.destroyed.connect(self._helper.close)
        self.setWindowTitle(self.tr("Export progress report"))
        self.setMinimumWidth(520)

        self.kind = QComboBox(objectName="kind")
        for key, label in KINDS:
            self.kind.addItem(self.tr(label), key)
        self.exec_box = QComboBox(objectName="exec")
        if exec_names is None:
            exec_names = [(row.id, row.name) for row in execs.list_execs(ws, include_archived=False)]
        for row_id, name in exec_names:
            self.exec_box.addItem(name, row_id)
        if exec_id is not None and self.exec_box.findData(exec_id) >= 0:
            self.exec_box.setCurrentIndex(self.exec_box.findData(exec_id))
        self.start = QDateEdit(objectName="from", calendarPopup=True, displayFormat=DATE_FORMAT)
        self.end = QDateEdit(objectName="to", calendarPopup=True, displayFormat=DATE_FORMAT)
        period = QHBoxLayout()
        period.addWidget(self.start)
        period.addWidget(QLabel(self.tr("to")))
        period.addWidget(self.end)
        period.addStretch(1)
        self.page_size = QComboBox(objectName="page_size")
        for key, label in PAGE_SIZE_LABELS:
            self.page_size.addItem(self.tr(label), key)
        self.page_size.setCurrentIndex(max(0, self.page_size.findData(self.settings.page_size)))
        self.cm_name = QLineEdit(objectName="cm_name", placeholderText=self.tr(rc.DEFAULT_CM_LABEL))
        self.cm_name.setText(str(settings.get(ws, rc.CM_NAME) or ""))

        form = QFormLayout()
        form.addRow(self.tr("&Report:"), self.kind)
        form.addRow(self.tr("&Executive:"), self.exec_box)
        self.period_label = QLabel(self.tr("&Period:"))
        self.period_label.setBuddy(self.start)
        form.addRow(self.period_label, period)
        form.addRow(self.tr("P&aper:"), self.page_size)
        form.addRow(self.tr("Prepared &by:"), self.cm_name)
        self.note = QLabel(objectName="note", wordWrap=True)
        self.note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        if self._charts is None:
            self.note.setText(self.tr("Charts are not included: the chart export is not available in this build."))

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.preview_button = QPushButton(self.tr("Pre&view…"), objectName="preview")
        self.save_button = QPushButton(self.tr("&Save PDF…"), objectName="save")
        self.save_button.setDefault(True)
        buttons.addButton(self.preview_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.preview_button.clicked.connect(self.preview)
        self.save_button.clicked.connect(self._on_save_clicked)
        from esncoach.views.reports.email_button import add_email_button  # "Prepare e-mail" beside Save PDF

        add_email_button(self, buttons)

        self.mentions_label = QLabel(self.tr("Possible mentions of other executives to review before you share "
                                             "the file (a first name or a lower-case surname alone was left as "
                                             "written):"),
                                     objectName="mentions_label", wordWrap=True)
        self.mentions = QListWidget(objectName="mentions")
        self.mentions.setMaximumHeight(self.fontMetrics().height() * 7)
        self._show_mentions([])

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addWidget(self.mentions_label)
        layout.addWidget(self.mentions)
        layout.addWidget(buttons)
        self.kind.currentIndexChanged.connect(self._update)
        self.exec_box.currentIndexChanged.connect(self._reset_period)
        self._reset_period()
        self._update()

    # -- options --------------------------------------------------------------------------------------

    def current_kind(self) -> str:
        return str(self.kind.currentData())

    def _reset_period(self) -> None:
        exec_id = self.exec_box.currentData()
        if exec_id is None:
            return
        start, end = rc.default_period(self.ws, exec_id=exec_id, today=dt.date.today())
        self.start.setDate(_qdate(start))
        self.end.setDate(_qdate(end))

    def _update(self) -> None:
        kind = self.current_kind()
        has_execs = self.exec_box.count() > 0
        self.exec_box.setEnabled(kind in ("exec", "assistant"))
        for w in (self.start, self.end, self.period_label):
            w.setEnabled(kind in ("exec", "batch"))
        self.preview_button.setEnabled(kind != "batch" and (has_execs or kind == "portfolio"))
        self.save_button.setEnabled(has_execs or kind == "portfolio")
        self.save_button.setText(self.tr("&Save PDFs to folder…") if kind == "batch" else self.tr("&Save PDF…"))

    def _remember(self) -> None:
        self.settings.page_size = str(self.page_size.currentData())
        name = self.cm_name.text().strip()
        if name != (settings.get(self.ws, rc.CM_NAME) or ""):
            settings.put(self.ws, rc.CM_NAME, name)

    def _period(self) -> tuple[dt.date, dt.date]:
        return _pydate(self.start.date()), _pydate(self.end.date())

    def content_builder(self) -> Any:
        """A function (run on the worker) that builds the chosen report's content."""
        kind, exec_id = self.current_kind(), self.exec_box.currentData()
        start, end = self._period()
        ws = self.ws
        if kind == "exec":
            return lambda: rc.exec_summary(ws, exec_id=exec_id, start=start, end=end)
        if kind == "assistant":
            return lambda: rc.assistant_brief(ws, exec_id=exec_id)
        return lambda: rc.portfolio_summary(ws)

    # -- preview --------------------------------------------------------------------------------------

    def _typesetter(self, step: str, *, for_preview: bool = False) -> Any:
        """A function for the worker: ``(progress) -> (content, RenderedReport)``, the content read there and
        the report typeset by the dialog's helper (by the worker if none can start, the charts then drawn on
        the UI thread for it). Built here, on the UI thread: the worker touches no widget, not even for a
        translated message."""
        build, page_size, source, helper = self.content_builder(), str(self.page_size.currentData()), \
            self._charts, self._helper
        gui_charts = self._gui_charts
        gathering, reading = self.tr("Gathering the figures…"), self.tr("Reading the charts' figures…")

        def typeset(progress: ProgressSink) -> tuple[rc.ReportContent, helpers.RenderedReport]:
            progress(0, single.STEPS, gathering)
            content = build()
            progress(1, single.STEPS, reading)
            job = single.render_job(content, page_size=page_size, charts=source, keep_images=for_preview)
            return content, helper.render(job, progress, step, charts_here=gui_charts)

        return typeset

    def preview(self) -> Task:
        """Read the content and draw its charts off the UI thread, then show it in a print preview."""
        self._remember()
        typeset = self._typesetter(self.tr("Drawing the charts…"), for_preview=True)

        def work(progress: ProgressSink) -> tuple[rc.ReportContent, Any]:
            content, rendered = typeset(progress)
            return content, rendered.chart_source()  # QImages made here, on the worker

        self.task = run_task(self, self.tr("Preparing the preview"), work, lambda r: self._show_preview(*r))
        return self.task

    def _show_mentions(self, lines: list[str]) -> None:
        """List the possible mentions (page and phrase) of the last preview or save; hidden when there are none."""
        self.mentions.clear()
        self.mentions.addItems(lines)
        self.mentions_label.setVisible(bool(lines))
        self.mentions.setVisible(bool(lines))

    def possible_mentions(self) -> list[str]:
        """The lines the dialog lists under "possible mentions to review"."""
        return [self.mentions.item(i).text() for i in range(self.mentions.count())]

    def _show_preview(self, content: rc.ReportContent, chart_source: Any) -> None:
        self._show_mentions([self.tr("In the preview: %s") % m.phrase for m in content.possible_mentions])
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setFullPage(True)
        printer.setDocName(content.file_stem)
        dialog = QPrintPreviewDialog(printer, self)
        dialog.setWindowTitle(self.tr("Preview — %s") % content.title)
        page_size = str(self.page_size.currentData())
        dialog.paintRequested.connect(
            lambda p: pdf_writer.paint_on(content, p, page_size=page_size, charts=chart_source))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        fit_to_screen(dialog, 900, 1000)  # taller than a laptop screen otherwise
        self.preview_dialog = dialog
        dialog.open()

    # -- saving ---------------------------------------------------------------------------------------

    def _on_save_clicked(self) -> None:
        if self.current_kind() == "batch":
            folder = QFileDialog.getExistingDirectory(self, self.tr("Save the progress summaries in"), _documents())
            if folder:
                self.save_batch_to(Path(folder))
            return
        kind = self.current_kind()
        day = self._period()[1] if kind == "exec" else dt.date.today()
        name = rc.file_stem_for(kind, self.exec_box.currentText() if kind != "portfolio" else "", day) + ".pdf"
        path, _filter = QFileDialog.getSaveFileName(self, self.tr("Save the report as"),
                                                    str(Path(_documents()) / name), self.tr("PDF files (*.pdf)"))
        if path:
            if not path.lower().endswith(".pdf"):
                path += ".pdf"
            self.save_to(Path(path))

    def save_to(self, path: Path) -> Task:
        """Typeset the chosen report off the UI thread and write it atomically to ``path`` (nothing on Cancel)."""
        self._remember()
        typeset, saving = self._typesetter(self.tr("Typesetting %s…") % path.name), self.tr("Saving %s…") % path.name

        def work(progress: ProgressSink) -> list[pdf_writer.SavedReport]:
            _content, rendered = typeset(progress)
            progress(single.STEPS, single.STEPS, saving)  # the last look at Cancel: nothing is on disk yet
            return [rendered.save(path)]

        self.task = run_task(self, self.tr("Saving the report"), work, self._on_saved)
        return self.task

    def save_batch_to(self, folder: Path) -> Task:
        """One progress summary per active exec in ``folder``, with progress and Cancel."""
        self._remember()
        start, end = self._period()
        ws, page_size, chart_source = self.ws, str(self.page_size.currentData()), self._gui_charts

        def work(progress: ProgressSink) -> list[pdf_writer.SavedReport]:
            # Helper processes typeset and draw the charts; the UI thread draws only if they cannot start.
            return batch.write_all_exec_summaries(ws, out_dir=folder, start=start, end=end, page_size=page_size,
                                                  charts=chart_source, progress=progress, typeset_here=False)

        self.task = run_task(self, self.tr("Saving the progress summaries"), work, self._on_saved)
        return self.task

    def _on_saved(self, saved: list[pdf_writer.SavedReport]) -> None:
        if not saved:
            text = self.tr("There is no active executive to report on.")
        elif len(saved) == 1:
            text = self.tr("Saved %s (%d pages).") % (saved[0].path, saved[0].pages)
        else:
            text = self.tr("Saved %d progress summaries in %s.") % (len(saved), saved[0].path.parent)
        self.note.setText(text)
        many = len(saved) > 1
        self._show_mentions([(f"{s.path.name}, " if many else "") + self.tr("page %d: %s") % (m.page, m.phrase)
                             for s in saved for m in s.possible_mentions])
        window = self.parent().window() if self.parent() is not None else None
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(text, 10_000)
        self.sig_saved.emit([str(s.path) for s in saved])


def _documents() -> str:
    return QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())


def open_report_dialog(window: Any) -> ReportDialog:
    """File ▸ Export progress report…: the dialog for the open workspace, starting at the selected exec."""
    model = getattr(window, "model", None)
    names = None
    if model is not None and hasattr(model, "row_at"):  # the exec list as the window shows it, archived left out
        rows = (model.row_at(i) for i in range(model.rowCount()))
        names = [(r.id, r.name) for r in rows if not r.archived]
    dialog = ReportDialog(window.ws, exec_id=window.current_exec_id(), parent=window, exec_names=names)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
