"""The import wizard: choose a file, check the columns, review unmatched names, import in the background.

Reading the whole file (for the review) and importing it both run off the UI thread through
``run_task`` with a progress dialog and Cancel; a cancelled or failed import leaves the workspace as it was.
"""

from __future__ import annotations

import datetime as dt
import importlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QDate, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QTableWidget,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

if TYPE_CHECKING:
    from esncoach.imports import FilePeek, ImportResult
from esncoach.services.progress import ProgressSink
from esncoach.store.workspace import Workspace
from esncoach.views.dates import date_text
from esncoach.views.messages import show_error
from esncoach.views.tasks import Task, run_task

GENERIC = "generic"
NOT_MAPPED = ""


class PreviewModel(QAbstractTableModel):
    """The first rows of the file as read, under its own header."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._header: tuple[str, ...] = ()
        self._rows: tuple[tuple[str, ...], ...] = ()

    def set_data(self, header: tuple[str, ...], rows: tuple[tuple[str, ...], ...]) -> None:
        self.beginResetModel()
        self._header, self._rows = header, rows
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._header)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and index.isValid():
            row = self._rows[index.row()]
            return row[index.column()] if index.column() < len(row) else ""
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._header[section] if section < len(self._header) else ""
        return str(section + 1)


class _FilePage(QWizardPage):
    """Step 1: the file and, optionally, its format."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self._wiz = wizard
        self.setTitle(self.tr("Choose the export to import"))
        self.setSubTitle(self.tr("Viva Engage, Yammer Messages.csv, Slack member analytics, Teams user activity, "
                                 "or any CSV with a date column. The format is recognised from the header."))
        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText(self.tr("Path to a .csv file"))
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._on_browse)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        self.format_combo = QComboBox()
        self.format_combo.addItem(self.tr("Recognise automatically"), None)
        from esncoach.imports import FORMATS  # loaded on a worker by open_import_wizard

        for fmt in FORMATS:
            self.format_combo.addItem(fmt.label, fmt.name)
        form = QFormLayout(self)
        form.addRow(self.tr("File:"), row)
        form.addRow(self.tr("Format:"), self.format_combo)
        privacy = QLabel(self.tr("Only tracked executives get figures of their own. Everyone else in the file is "
                                 "counted in the network totals and not stored by name."))
        privacy.setWordWrap(True)
        form.addRow(privacy)
        self.path_edit.textChanged.connect(self.completeChanged)

    def _on_browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Import engagement figures"), "",
                                              self.tr("CSV files (*.csv *.txt);;All files (*)"))
        if path:
            self.path_edit.setText(path)

    def isComplete(self) -> bool:  # noqa: N802
        return Path(self.path_edit.text().strip()).is_file()

    def validatePage(self) -> bool:  # noqa: N802
        return self._wiz.run_step("peek")  # the file is peeked at on a worker; Next moves on when it is done


class _ColumnsPage(QWizardPage):
    """Step 2: what the file was recognised as, a preview, the generic column mapping and a Slack period."""

    def __init__(self, wizard: ImportWizard) -> None:
        from esncoach.imports.generic import FORMAT_HELP, METRICS

        super().__init__(wizard)
        self._wiz = wizard
        self.setTitle(self.tr("Check the columns"))
        layout = QVBoxLayout(self)
        self.recognised = QLabel()
        self.recognised.setWordWrap(True)
        layout.addWidget(self.recognised)
        self.mapping_box = QWidget()
        self.mapping_form = QFormLayout(self.mapping_box)
        self.format_help = QLabel(self.tr(FORMAT_HELP))
        self.format_help.setWordWrap(True)
        self.format_help.setObjectName("genericFormatHelp")
        self.mapping_form.addRow(self.format_help)
        self.mapping_combos: dict[str, QComboBox] = {}
        for target in ("date", "end_date", "period_days", "person", *METRICS):
            combo = QComboBox()
            self.mapping_combos[target] = combo
            label = {"date": self.tr("Date or start (required)"), "end_date": self.tr("End (rows covering a period)"),
                     "period_days": self.tr("Days per row (e.g. 7)"),
                     "person": self.tr("Person (empty = whole network)")}.get(
                target, target.replace("_", " ").capitalize())
            self.mapping_form.addRow(label + ":", combo)
        layout.addWidget(self.mapping_box)
        self.period_box = QWidget()
        period_row = QHBoxLayout(self.period_box)
        period_row.setContentsMargins(0, 0, 0, 0)
        self.period_check = QCheckBox(self.tr("The export covers the period from"))
        self.period_start = QDateEdit()
        self.period_end = QDateEdit()
        for edit in (self.period_start, self.period_end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        period_row.addWidget(self.period_check)
        period_row.addWidget(self.period_start)
        period_row.addWidget(QLabel(self.tr("to")))
        period_row.addWidget(self.period_end)
        period_row.addStretch(1)
        layout.addWidget(self.period_box)
        self.preview_model = PreviewModel(self)
        self.preview = QTableView()
        self.preview.setModel(self.preview_model)
        self.preview.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.preview, 1)

    def initializePage(self) -> None:  # noqa: N802
        from esncoach.imports import BY_NAME
        from esncoach.imports.csvstream import norm_header
        from esncoach.imports.generic import resolve_columns

        peek, fmt = self._wiz.peek, self._wiz.format_name
        assert peek is not None
        self.preview_model.set_data(peek.header, peek.preview)
        generic = fmt == GENERIC
        if peek.detected is not None and not generic:
            self.recognised.setText(self.tr("Recognised as: <b>%s</b>.") % BY_NAME[fmt].label)
        elif peek.detected is not None:
            self.recognised.setText(self.tr("Read as a generic CSV. Check which column holds what."))
        else:
            self.recognised.setText(self.tr("This layout is not one esncoach knows. Map its columns: at least the "
                                            "date and one figure."))
        self.mapping_box.setVisible(generic)
        if generic:
            guessed = resolve_columns([norm_header(h) for h in peek.header])
            for target, combo in self.mapping_combos.items():
                combo.clear()
                combo.addItem(self.tr("(none)"), NOT_MAPPED)
                for name in peek.header:
                    combo.addItem(name, name)
                index = guessed.get(target)
                combo.setCurrentIndex(0 if index is None else index + 1)
        # Slack's and the admin centre's rows lack a period; the Graph reports carry theirs in every row.
        self.period_box.setVisible(fmt in ("slack_members", "viva_admin_user_detail"))
        today = QDate.currentDate()
        self.period_end.setDate(today)
        self.period_start.setDate(today.addDays(-29))

    def column_map(self) -> dict[str, str]:
        """target -> the file's column name, as chosen (generic format only)."""
        if self._wiz.format_name != GENERIC:
            return {}
        return {t: c.currentData() or "" for t, c in self.mapping_combos.items()}

    def period(self) -> tuple[dt.date, dt.date] | None:
        if not self.period_box.isVisible() or not self.period_check.isChecked():
            return None
        return self.period_start.date().toPython(), self.period_end.date().toPython()

    def validatePage(self) -> bool:  # noqa: N802
        from esncoach.imports.generic import METRICS

        if self._wiz.format_name == GENERIC:
            chosen = self.column_map()
            if not chosen.get("date") or not any(chosen.get(m) for m in METRICS):
                show_error(self, self.tr("Map the columns"), self.tr("Choose the date column and at least one figure."))
                return False
        period = self.period()
        if period is not None and period[1] < period[0]:
            show_error(self, self.tr("Check the period"), self.tr("The period ends before it starts."))
            return False
        return self._wiz.run_step("analyse")


class _ReviewPage(QWizardPage):
    """Step 3: what the file holds, and names that resemble an exec without matching by email or handle."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self._wiz = wizard
        self.setTitle(self.tr("Review before importing"))
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.summary)
        self.review_label = QLabel()
        self.review_label.setWordWrap(True)
        layout.addWidget(self.review_label)
        self.review = QTableWidget(0, 3)
        self.review.setHorizontalHeaderLabels([self.tr("Name in the file"), self.tr("Rows"), self.tr("Count as")])
        self.review.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.review.verticalHeader().hide()
        layout.addWidget(self.review, 1)
        self.combos: dict[str, QComboBox] = {}

    def initializePage(self) -> None:  # noqa: N802
        result = self._wiz.analysis
        assert result is not None
        self.summary.setText(_summary_html(result, before_import=True))
        self.review.setRowCount(len(result.review))
        self.combos.clear()
        choices = QStandardItemModel(self.review)  # one list of execs shared by every row's combo
        network = QStandardItem(self.tr("The network only (not stored by name)"))
        network.setData(None, Qt.ItemDataRole.UserRole)
        choices.appendRow(network)
        for exec_id, exec_name in self._wiz.exec_names():
            item = QStandardItem(exec_name)
            item.setData(exec_id, Qt.ItemDataRole.UserRole)
            choices.appendRow(item)
        for row, name in enumerate(result.review):
            self.review.setItem(row, 0, _item(name.label))
            self.review.setItem(row, 1, _item(f"{name.rows:,}"))
            combo = QComboBox()
            combo.setModel(choices)
            combo.setCurrentIndex(0)
            if name.exact:
                combo.setCurrentIndex(combo.findData(name.suggestion_id))
            self.review.setCellWidget(row, 2, combo)
            self.combos[name.key] = combo
        self.review.setVisible(bool(result.review))
        self.review_label.setText(
            self.tr("These names do not match an executive's email or network handle but look like one. "
                    "Choose who each is; names equal to an executive's are pre-selected.") if result.review else
            self.tr("Every row about a tracked executive matched by email or handle."))

    def mapping(self) -> dict[str, int | None]:
        return {key: combo.currentData() for key, combo in self.combos.items()}

    def validatePage(self) -> bool:  # noqa: N802
        return self._wiz.run_step("import")


class _DonePage(QWizardPage):
    """Step 4: what was imported, replaced and rejected (with line numbers)."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self._wiz = wizard
        self.setTitle(self.tr("Import finished"))
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.summary)
        self.rejections = QPlainTextEdit()
        self.rejections.setReadOnly(True)
        layout.addWidget(self.rejections, 1)
        self.setFinalPage(True)

    def initializePage(self) -> None:  # noqa: N802
        result = self._wiz.result
        assert result is not None
        self.summary.setText(_summary_html(result, before_import=False))
        self.rejections.setPlainText("\n".join(f"Line {r.line}: {r.reason}" for r in result.rejections))
        self.rejections.setVisible(bool(result.rejections))


def _item(text: str) -> Any:
    from PySide6.QtWidgets import QTableWidgetItem

    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    return item


def _summary_html(r: ImportResult, *, before_import: bool) -> str:
    def tr(text: str) -> str:
        return QCoreApplication.translate("ImportWizard", text)

    period = f"{date_text(r.period[0])} – {date_text(r.period[1])}" if r.period else "—"
    matched = ", ".join(f"{m.name} ({m.rows:,})" for m in r.matched) or tr("none")
    lines = [
        tr("<b>%s</b> from <i>%s</i>, covering %s.") % (r.format_label, r.file_name, period),
        (tr("%s rows to import; %s rows will be skipped.") if before_import else tr("Imported %s rows; rejected %s."))
        % (f"{r.rows_imported:,}", f"{r.rows_rejected:,}"),
        tr("Executives matched: %s.") % matched,
        QCoreApplication.translate("ImportWizard", "%Ln other person(s) counted in the network totals only.", "",
                                   r.people_folded),
    ]
    if not before_import:
        lines.append(tr("Stored %s figures; replaced %s earlier figures (%s earlier imports).")
                     % (f"{r.samples_written:,}", f"{r.samples_replaced:,}", r.batches_replaced))
        if r.backup:
            lines.append(tr("A backup was taken just before: %s") % r.backup)
    elif r.rejections:
        first = "; ".join(f"line {x.line}: {x.reason}" for x in r.rejections[:3])
        lines.append(tr("First problems: %s.") % first)
    lines.extend(f"⚠ {w}" for w in r.warnings)
    return "<br>".join(lines)


class ImportWizard(QWizard):
    """Imports one export file into the workspace, step by step."""

    sig_imported = Signal(object)
    """Emitted with the ImportResult once figures are stored (views showing figures should refresh)."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = ws
        self.setWindowTitle(self.tr("Import engagement figures"))
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.path: Path | None = None
        self.format_name: str | None = None
        self.peek: FilePeek | None = None
        self.analysis: ImportResult | None = None
        self.result: ImportResult | None = None
        self.task: Task | None = None
        self.last_error: BaseException | None = None
        self._ready: str | None = None
        self._exec_names: list[tuple[int, str]] | None = None
        self.file_page = _FilePage(self)
        self.columns_page = _ColumnsPage(self)
        self.review_page = _ReviewPage(self)
        self.done_page = _DonePage(self)
        for page in (self.file_page, self.columns_page, self.review_page, self.done_page):
            self.addPage(page)
        self.resize(760, 560)

    # -- what the pages call --------------------------------------------------------------------
    def set_file(self, path: Path, format_name: str | None, peek: FilePeek | None = None) -> None:
        """Peek at the file (first rows only, unless ``peek`` was read already) and settle the format: chosen,
        recognised, or generic."""
        from esncoach.imports import peek_file

        self.peek = peek if peek is not None else peek_file(path)
        self.path = path
        self.format_name = format_name or (self.peek.detected.name if self.peek.detected else GENERIC)
        self.analysis = self.result = None
        self._ready = None

    def exec_names(self) -> list[tuple[int, str]]:
        """The executives a reviewed name can be counted as (read with the analysis, on its worker)."""
        if self._exec_names is None:
            self._exec_names = self._read_exec_names(self._ws)
        return self._exec_names

    @staticmethod
    def _read_exec_names(ws: Workspace) -> list[tuple[int, str]]:
        from esncoach.services.execs import list_execs

        return [(r.id, r.name) for r in list_execs(ws)]

    def _options(self) -> dict[str, Any]:
        return {"fmt": self.format_name, "column_map": self.columns_page.column_map() or None,
                "period": self.columns_page.period()}

    def analyse_fn(self, progress: ProgressSink) -> ImportResult:
        """Worker: read the whole file without storing (runs off the UI thread)."""
        from esncoach.imports import analyse_file

        assert self.path is not None
        return analyse_file(self._ws, self.path, progress=progress, **self._pending_options)

    def import_fn(self, progress: ProgressSink) -> ImportResult:
        """Worker: import for real in one transaction (runs off the UI thread)."""
        from esncoach.imports import import_file
        from esncoach.imports.pipeline import backup_before_import

        assert self.path is not None
        return import_file(self._ws, self.path, progress=progress, before_write=backup_before_import(self._ws),
                           **self._pending_options)

    def run_step(self, step: str) -> bool:
        """Let the wizard move on once ``step`` ("peek", "analyse" or "import") finished in the background.

        Even the peek runs on a worker: guessing a large file's delimiter reads a sample with regular
        expressions, a quarter of a second on the UI thread (``bench/ui_stalls.py``).
        """
        if self._ready == step:
            self._ready = None
            return True
        if self.task is not None:
            return False
        fn: Callable[[ProgressSink], Any]
        if step == "peek":
            from esncoach.imports import peek_file

            path, format_name = Path(self.file_page.path_edit.text().strip()), self.file_page.format_combo.currentData()
            fn = lambda _progress: (path, format_name, peek_file(path))  # noqa: E731
            title = self.tr("Opening the file…")
        else:
            self._pending_options = self._options()
            if step == "import":
                self._pending_options["mapping"] = self.review_page.mapping()
            if step == "analyse":
                ws, analyse = self._ws, self.analyse_fn
                fn = lambda progress: (analyse(progress), self._read_exec_names(ws))  # noqa: E731
            else:
                fn = self.import_fn
            title = self.tr("Reading the file…") if step == "analyse" else self.tr("Importing…")
        self.button(QWizard.WizardButton.NextButton).setEnabled(False)
        self.task = run_task(self, title, fn, lambda r: self._on_step_done(step, r),
                             on_error=lambda exc: self._on_step_failed(step, exc))
        self.task.sig_finished.connect(self._on_task_finished)
        return False

    def _on_step_done(self, step: str, result: Any) -> None:
        if step == "peek":
            self.set_file(*result[:2], peek=result[2])
        elif step == "analyse":
            self.analysis, self._exec_names = result
        else:
            self.result = result
            self.sig_imported.emit(result)
        self._ready = step

    def _on_step_failed(self, step: str, exc: BaseException) -> None:
        self.last_error = exc
        if step == "peek":
            show_error(self, self.tr("Cannot import this file"), exc)
        else:
            show_error(self, self.tr("Nothing was imported"), exc)

    def _on_task_finished(self) -> None:
        cancelled = self.task is not None and self.task.cancelled
        self.task = None
        self.button(QWizard.WizardButton.NextButton).setEnabled(True)
        if self._ready is not None:  # finished (even if Cancel came too late to stop it)
            self.next()
        elif cancelled:
            self.last_error = None


def open_import_wizard(parent: QWidget | None, ws: Workspace,
                       on_imported: Callable[[ImportResult], None] | None = None) -> None:
    """Open the wizard window-modal over ``parent`` (the File/Data menu's "Import figures…").

    The first time, the importers (numpy among them, half a second) load on a worker and the wizard opens
    when they are in, so the menu click does not freeze the window.
    """
    if parent is not None and "esncoach.imports.generic" not in sys.modules:
        task = run_task(parent, QCoreApplication.translate("ImportWizard", "Import engagement figures"),
                        lambda _progress: importlib.import_module("esncoach.imports.generic"),
                        lambda _module: _open_wizard(parent, ws, on_imported), show_progress=False)
        task.sig_finished.connect(task.deleteLater)
        return
    _open_wizard(parent, ws, on_imported)


def _open_wizard(parent: QWidget | None, ws: Workspace, on_imported: Callable[[ImportResult], None] | None) -> None:
    wizard = ImportWizard(ws, parent)
    wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    if on_imported is not None:
        wizard.sig_imported.connect(on_imported)
    wizard.setWindowModality(Qt.WindowModality.WindowModal)
    wizard.show()
