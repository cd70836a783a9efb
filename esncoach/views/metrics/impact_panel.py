"""The exec page's "Engagement" tab: the estimated effect of the exec joining, the raw before/after change,
and who draws responses.

It leads with the adjusted effect (the network's trend and weekly pattern modelled, other execs' joins
kept apart, a placebo check) in one plain sentence per metric, keeps the raw before/after change visible
as the figure people quote, says plainly that this shows association, not proof, and offers the same
window a year earlier when the data has it, so the CM can show a sceptical exec a fair comparison.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

import html

from esncoach.services import impact, influencers, settings
from esncoach.services.impact import ImpactReport, MetricImpact
from esncoach.store.errors import StoreError
from esncoach.store.workspace import Workspace
from esncoach.views.dates import date_text
from esncoach.views.messages import show_error
from esncoach.views.tasks import Task, run_task

ASSOCIATION_NOTE = (
    "A before/after comparison shows association, not proof: campaigns, seasons and other leaders joining "
    "move these figures too. The interval shows how much the change could be down to day-to-day noise."
)
ADJUSTED_NOTE = (
    "The effect of joining compares the days after the exec's first week with what the network's own trend "
    "and weekly pattern predicted, with other execs' joins estimated alongside. Placebo dates are fake join "
    "dates earlier on: a real effect should be larger than most of them."
)
GOOD, BAD = QColor("#2e7d32"), QColor("#c62828")


@dataclass(frozen=True)
class ImpactLine:
    """One row of the table: whose figure, which metric, and the comparison."""

    group: str
    impact: MetricImpact


def _num(value: float | None) -> str:
    return "—" if value is None else f"{value:,.1f}"


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:+.1f}%"


class ImpactTableModel(QAbstractTableModel):
    """Rows of the adjusted effect, then the raw before/after comparison; an effect is coloured when its
    interval excludes zero."""

    # Two-line headings and figure names keep the eight columns within a laptop-width exec page.
    COLUMNS = ("Figure", "Effect of\njoining", "95%\ninterval", "Raw\nchange", "Raw 95%\ninterval",
               "Before\n(per day)", "From joining\n(per day)", "Days with\ndata")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lines: list[ImpactLine] = []

    def set_lines(self, lines: list[ImpactLine]) -> None:
        self.beginResetModel()
        self.lines = lines
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.lines)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.tr(self.COLUMNS[section])
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        line = self.lines[index.row()]
        m, col = line.impact, index.column()
        adj = m.adjusted
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return f"{line.group}\n{m.metric.replace('_', ' ')}"
            if col == 1:
                return "" if adj is None else _pct(adj.effect_pct)
            if col == 2:
                return "" if adj is None or adj.ci95 is None else f"{adj.ci95[0]:+.1f} to {adj.ci95[1]:+.1f}%"
            if col == 3:
                return _pct(m.change_pct)
            if col == 4:
                return "" if m.ci95 is None else f"{m.ci95[0]:+.1f} to {m.ci95[1]:+.1f}%"
            if col == 5:
                return _num(m.before)
            if col == 6:
                return _num(m.after)
            return f"{m.coverage[0]:.0%} / {m.coverage[1]:.0%}"
        if role == Qt.ItemDataRole.ForegroundRole and col == 1 and adj is not None and adj.ci95 is not None:
            if adj.ci95[0] > 0:
                return GOOD
            if adj.ci95[1] < 0:
                return BAD
        if role == Qt.ItemDataRole.FontRole and col == 1 and adj is not None and adj.effect_pct is not None:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and col > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            tips = []
            if col in (1, 2) and adj is not None:
                tips.append(adj.sentence(m.metric.replace("_", " ").capitalize()))
                tips += list(adj.notes[0 if adj.effect_pct is not None else 1:])
            if not m.well_covered:
                tips.append(self.tr("Under 80% of the days in a window have figures: read this one with care."))
            return "\n".join(tips) or None
        return None


class ImpactTab(QWidget):
    """Before/after figures around the exec's join date, with the influence ranking among execs."""

    sig_data_changed = Signal()
    """Figures were imported or typed here."""
    sig_computed = Signal()
    """The figures for the exec and window last asked for are shown (or the reason there are none)."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = ws
        self._exec_id: int | None = None
        self._generation = 0
        self._task: Task | None = None
        self.report: ImpactReport | None = None
        self._ranking: list[influencers.InfluencerRow] | None = None
        """Every exec ranked by network influence (the same whichever exec is shown; ~1 s of CPU on a large
        workspace), read once on its own worker, kept across exec switches, read again when the figures may
        have changed (``_forget_ranking``)."""
        self._ranking_task: Task | None = None
        self._ranking_epoch = 0
        self._awaiting_ranking = False
        """The exec's figures are shown and wait for the ranking before ``sig_computed``."""
        layout = QVBoxLayout(self)
        # Two short rows rather than one long one, so the tab never widens the exec page.
        controls = QHBoxLayout()
        controls.addWidget(QLabel(self.tr("Days per window:")))
        self.days = QSpinBox()
        self.days.setRange(7, 180)
        self.days.setValue(int(settings.get(ws, impact.WINDOW_DAYS)))
        controls.addWidget(self.days)
        self.year_earlier = QCheckBox(self.tr("Same window a year earlier"))
        controls.addWidget(self.year_earlier)
        controls.addStretch(1)
        layout.addLayout(controls)
        buttons = QHBoxLayout()
        self.import_button = QPushButton(self.tr("Import figures…"))
        self.type_button = QPushButton(self.tr("Type figures…"))
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.type_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.headline = QLabel()
        self.headline.setWordWrap(True)
        layout.addWidget(self.headline)
        self.effects = QLabel()
        """One plain sentence per network metric: the adjusted effect of joining, led with."""
        self.effects.setWordWrap(True)
        self.effects.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.effects)
        self.model = ImpactTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)  # two-line names
        header = self.table.horizontalHeader()
        # Every column as wide as its contents (the figure names must stay readable); the table scrolls.
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.setWordWrap(False)
        self.table.setMinimumWidth(200)  # scrolls rather than widening the exec page
        layout.addWidget(self.table, 1)
        self.warnings = QLabel()
        self.warnings.setWordWrap(True)
        layout.addWidget(self.warnings)
        self.note = QLabel(self.tr(ASSOCIATION_NOTE))
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: palette(placeholder-text);")
        self.note.setToolTip(self.tr(ADJUSTED_NOTE))
        layout.addWidget(self.note)
        self.influence = QLabel()
        self.influence.setWordWrap(True)
        layout.addWidget(self.influence)
        self.days.valueChanged.connect(self.refresh)
        self.year_earlier.toggled.connect(self._fill_table)
        self.import_button.clicked.connect(self._on_import)
        self.type_button.clicked.connect(self._on_type)

    def set_exec(self, exec_id: int | None) -> None:
        if exec_id == self._exec_id:
            self._forget_ranking()  # the same exec again: a refresh after an edit elsewhere, figures may differ
        self._exec_id = exec_id
        self.refresh()

    def _forget_ranking(self) -> None:
        self._ranking = None
        self._ranking_epoch += 1  # a ranking still being read is of the old figures: it is not kept

    def refresh(self) -> None:
        """Recompute for the current exec and window on a worker thread; "Computing…" until it is in.

        The adjusted models take tens of milliseconds and their first use imports statsmodels (about a
        second): neither happens on the UI thread. A result for an exec (or window) switched away from
        meanwhile is dropped; ``sig_computed`` says when the figures shown are the ones asked for.
        """
        self._generation += 1
        self._awaiting_ranking = False
        self.report = None
        self.warnings.clear()
        self.influence.clear()
        self.effects.clear()
        self.model.set_lines([])
        if self._exec_id is None:
            self.headline.setText("")
            self.sig_computed.emit()
            return
        self.headline.setText(self.tr("Computing…"))
        generation, ws, exec_id, days = self._generation, self._ws, self._exec_id, self.days.value()
        self._task = run_task(self, self.tr("Engagement"),
                              lambda _progress: impact.exec_impact(ws, exec_id=exec_id, days=days),
                              lambda report: self._on_computed(generation, report),
                              on_error=lambda exc: self._on_failed(generation, exc), show_progress=False)
        self._read_ranking()

    def _read_ranking(self) -> None:
        """Start reading the ranking on its own worker unless it is known or already being read."""
        if self._ranking is not None or self._ranking_task is not None:
            return
        epoch, ws = self._ranking_epoch, self._ws

        def done(rows: list[influencers.InfluencerRow]) -> None:
            self._ranking_task = None
            if epoch != self._ranking_epoch:  # the figures changed while it was read
                self._read_ranking()
                return
            self._ranking = rows
            self._show_ranking(rows)

        def failed(_exc: BaseException) -> None:
            self._ranking_task = None
            self._show_ranking([])  # the exec's own figures still count; the ranking is tried again next time

        self._ranking_task = run_task(self, self.tr("Engagement"), lambda _progress: influencers.rank_influencers(ws),
                                      done, on_error=failed, show_progress=False)

    def _show_ranking(self, rows: list[influencers.InfluencerRow]) -> None:
        if self._awaiting_ranking:
            self._awaiting_ranking = False
            self._fill_influence(rows)
            self.sig_computed.emit()

    def _on_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self.headline.setText(str(exc) if isinstance(exc, StoreError) else self.tr("The figures could not be read."))
        self.year_earlier.setEnabled(False)
        self.sig_computed.emit()
        if not isinstance(exc, StoreError):
            show_error(self, self.tr("Engagement"), exc)

    def _on_computed(self, generation: int, r: ImpactReport) -> None:
        if generation != self._generation:
            return  # another exec (or window) was asked for meanwhile
        self.report = r
        self.headline.setText(self.tr("Joined the network on %s. Estimated effect of joining on the network, "
                                      "then the raw change of the mean per day over the %s days before that date "
                                      "and the %s days from it.") % (date_text(r.join_date), r.days, r.days))
        self.effects.setText(self._effects_html(r))
        self.year_earlier.setEnabled(r.year_earlier is not None)
        self.year_earlier.setToolTip("" if r.year_earlier is not None else
                                     self.tr("There are no figures for the same dates a year earlier."))
        self.warnings.setText("\n".join(f"⚠ {w}" for w in r.warnings))
        self._fill_table()
        self._awaiting_ranking = True
        if self._ranking is not None:
            self._show_ranking(self._ranking)
        else:
            self._read_ranking()  # read by then unless it failed; then it is tried again

    def _effects_html(self, r: ImpactReport) -> str:
        items, notes = [], []
        for m in r.network.values():
            if m.adjusted is None:
                continue
            items.append(f"<li>{html.escape(m.adjusted.sentence(m.metric.replace('_', ' ').capitalize()))}</li>")
            rest = m.adjusted.notes[0 if m.adjusted.effect_pct is not None else 1:]
            notes += [n for n in rest if n not in notes]
        if not items:
            return ""
        text = "<b>" + html.escape(self.tr("Effect of joining")) + "</b><ul style='margin-top:2px'>" + "".join(items) + "</ul>"
        if notes:
            text += "<small>" + "<br>".join(html.escape(n) for n in notes) + "</small>"
        return text

    def _fill_table(self) -> None:
        r = self.report
        if r is None:
            return
        lines = [ImpactLine(self.tr("Network"), m) for m in r.network.values()]
        lines += [ImpactLine(r.exec_name, m) for m in r.own.values()]
        if self.year_earlier.isChecked() and r.year_earlier is not None:
            lines += [ImpactLine(self.tr("Network a year earlier"), m) for m in r.year_earlier.values()]
        self.model.set_lines(lines)

    def _fill_influence(self, rows: list[influencers.InfluencerRow]) -> None:
        if not rows:
            return
        top = ", ".join(f"{r.rank}. {r.name} ({r.score:,.0f})" for r in rows[:5])
        mine = next((r for r in rows if r.exec_id == self._exec_id), None)
        text = self.tr("Execs ranked by %s: %s.") % (rows[0].basis, top)
        if mine is not None and mine.rank > 5:
            text += " " + self.tr("This exec is #%s.") % mine.rank
        self.influence.setText(text)

    def _on_import(self) -> None:
        from esncoach.views.metrics.import_wizard import open_import_wizard

        open_import_wizard(self, self._ws, on_imported=lambda _r: self._on_figures_changed())

    def _on_type(self) -> None:
        from esncoach.views.metrics.manual_entry import ManualEntryDialog

        dialog = ManualEntryDialog(self._ws, self, self._exec_id)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.sig_saved.connect(self._on_figures_changed)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.show()

    def _on_figures_changed(self) -> None:
        self._forget_ranking()
        self.refresh()
        self.sig_data_changed.emit()
