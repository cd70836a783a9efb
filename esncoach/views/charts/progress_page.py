"""The exec page's Progress tab: stacked charts on one date axis, range presets, and what each chart means.

The tab is built with the exec page at start-up, so this module must not import pyqtgraph: the charts
are built (and pyqtgraph imported) the first time the tab is shown with an exec selected. It only ever
shows the selected exec (coaching mode embeds it in front of that exec).
"""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from esncoach.models import LadderStage
from esncoach.services import progress_series
from esncoach.services.progress_series import DAY_S, RANGE_PRESETS, ProgressData, epoch
from esncoach.store.workspace import Workspace
from esncoach.views.charts.theme import current_theme
from esncoach.views.dates import date_text
from esncoach.views.icons import icon
from esncoach.views.messages import show_error
from esncoach.views.tasks import run_task

SIDE_WIDTH = 210
CHART_HEIGHT = {"stage": 180, "habit": 215, "rubric": 235, "activity": 215, "network": 235}
NEXT_ROW_MS = 10
"""The pause between two build steps (make a chart hidden; show it). Not 0: Qt 6 runs a zero-delay single shot
as a posted event, and posted events (each chart's queued repaints with them) run back to back in one pass of
the event loop, so five rows chained that way froze the window for their sum (#18: 277 ms). Longer than the
layout and paint a step leaves behind, so the loop has gone idle (input, timers) before the next step."""


class ProgressTab(QWidget):
    """One exec's progress: ladder stage, habit strength, rubric scores, activity and network response."""

    sig_charts_built = Signal()
    """The charts were (re)built for the current exec; tests and the report preview wait for it."""

    charts_enabled = True
    """False builds the page without its plots (same data read, same side panels): the benchmark's baseline."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = ws
        self.exec_id: int | None = None
        self.data: ProgressData | None = None
        self.charts: list[Any] = []
        self.preset: str | None = None
        self._dirty = True
        self._generation = 0
        self._task: Any = None
        self._building: list[Any] = []
        self._paused: tuple[int, int, list[Any], Any] | None = None
        """The chart build stopped while the tab was hidden (generation, row, charts so far, the step due)."""
        self.criterion_boxes: dict[str, QCheckBox] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Show:")))
        self.range_group = QButtonGroup(self)
        self.range_buttons: dict[str, QToolButton] = {}
        for label, _days in RANGE_PRESETS:
            button = QToolButton()
            button.setText(self.tr(label))
            button.setCheckable(True)
            button.setAutoRaise(True)
            button.clicked.connect(lambda _c=False, lbl=label: self.set_range_preset(lbl))
            self.range_group.addButton(button)
            self.range_buttons[label] = button
            bar.addWidget(button)
        bar.addStretch(1)
        self.export_button = QToolButton()
        self.export_button.setText(self.tr("Export charts"))
        self.export_button.setIcon(icon("export"))
        self.export_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.export_button)
        menu.addAction(self.tr("All charts as PNG…"), lambda: self._on_export_all("png"))
        menu.addAction(self.tr("All charts as SVG…"), lambda: self._on_export_all("svg"))
        self.export_button.setMenu(menu)
        bar.addWidget(self.export_button)
        layout.addLayout(bar)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.body = QWidget()
        self.grid = QGridLayout(self.body)
        self.grid.setContentsMargins(0, 0, 8, 0)
        self.grid.setColumnStretch(0, 1)
        self.grid.setHorizontalSpacing(8)
        self.scroll.setWidget(self.body)
        layout.addWidget(self.scroll, 1)
        self.empty = QLabel()
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet("color: palette(placeholder-text); font-size: 12pt;")
        layout.addWidget(self.empty)
        self.empty.hide()

    # ----- the tab protocol -------------------------------------------------------------------
    def set_exec(self, exec_id: int | None) -> None:
        """Show another exec; the charts are rebuilt now if the tab is visible, else when it is next shown."""
        self.exec_id = exec_id
        self._dirty = True
        if self.isVisible():
            self.rebuild()

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802 - Qt naming
        super().showEvent(event)
        if self._dirty:
            self.rebuild()
        elif self._paused is not None:
            generation, row, built, step = self._paused
            self._paused = None
            QTimer.singleShot(NEXT_ROW_MS, self, lambda: step(generation, row, built))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt naming
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self.charts:
            self._dirty = True
            if self.isVisible():
                self.rebuild()

    # ----- building ---------------------------------------------------------------------------
    def rebuild(self) -> None:
        """Re-read the exec's series on a worker thread, then rebuild the charts (imports pyqtgraph the first time).

        Years of daily figures take longer to read than a frame lasts, so switching execs never waits for
        them; a switch made while one exec is still loading drops that exec's result.
        """
        self._dirty = False
        self._paused = None
        self._clear()
        self._generation += 1
        if self.exec_id is None:
            self._show_empty(self.tr("Select an executive to see their progress."))
            return
        self.empty.setText(self.tr("Loading…"))  # under the (empty) chart area, which keeps its place and focus
        self.empty.show()
        self.scroll.show()
        generation, exec_id, ws, charts = self._generation, self.exec_id, self._ws, self.charts_enabled

        def load(_progress: Any) -> ProgressData:
            data = progress_series.progress_data(ws, exec_id=exec_id)
            if charts:  # pyqtgraph's first import (a tenth of a second or more) happens here too, not on the UI thread
                import esncoach.views.charts.progress_plots  # noqa: F401
            return data

        self._task = run_task(self, self.tr("Progress charts"), load,
                              lambda data: self._on_loaded(generation, data),
                              on_error=lambda exc: self._on_load_failed(generation, exc), show_progress=False)

    def _on_load_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._show_empty(self.tr("The progress charts could not be read."))
        show_error(self, self.tr("Progress charts"), exc)

    def _on_loaded(self, generation: int, data: ProgressData) -> None:
        if generation != self._generation:
            return  # another exec (or range) was asked for meanwhile
        self.data = data
        self.empty.hide()
        self.scroll.show()
        # The spare height goes below the charts from the start: rows made earlier keep their size (and are
        # not repainted) while later ones are added.
        self.grid.setRowStretch(len(progress_series.CHART_KEYS), 1)
        self._build_next(generation, 0, [])

    def _build_next(self, generation: int, row: int, built: list[Any]) -> None:
        """Build one chart row (still hidden), then yield to the event loop before showing it: a pyqtgraph chart
        takes tens of milliseconds to make and as long again to lay out and paint the first time; one after the
        other, or five in a row, would freeze the window for their sum."""
        if not self._may_go_on(generation, row, built, self._build_next):
            return
        key = progress_series.CHART_KEYS[row]
        if self.charts_enabled:
            from esncoach.views.charts.progress_plots import BUILDERS, link_chart

            chart: QWidget = BUILDERS[key](self.data, current_theme(), self.body)
            built.append(chart)
            self._building = built  # the rubric panel, made next, finds its lines here
            # Linked (and the first one ranged) now, not all at the end: re-ranging five charts at once
            # repaints all five in one turn of the event loop.
            link_chart(built, chart, self.data)
            if row == 0:
                self._set_x_range(self.preset or self._default_preset())
        else:
            chart = QWidget(self.body)
        chart.setMinimumHeight(CHART_HEIGHT.get(key, 220))
        chart.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        chart.setMinimumWidth(320)
        chart.hide()  # shown (laid out and painted) in the next turn, by _show_row
        self.grid.addWidget(chart, row, 0)
        QTimer.singleShot(NEXT_ROW_MS, self, lambda: self._show_row(generation, row, built))

    def _show_row(self, generation: int, row: int, built: list[Any]) -> None:
        """Show the chart row just built with its side panel, then build the next row in a later turn."""
        if not self._may_go_on(generation, row, built, self._show_row):
            return
        keys = progress_series.CHART_KEYS
        item = self.grid.itemAtPosition(row, 0)
        if item is not None and item.widget() is not None:
            item.widget().show()
        self.grid.addWidget(self._side_panel(keys[row]), row, 1, Qt.AlignmentFlag.AlignTop)
        if row + 1 < len(keys):
            QTimer.singleShot(NEXT_ROW_MS, self, lambda: self._build_next(generation, row + 1, built))
            return
        self.charts = built
        preset = self.preset or self._default_preset()
        if built:  # ranged with the first chart already
            self.preset = preset
            self.range_buttons[preset].setChecked(True)
        else:
            self.set_range_preset(preset)
        self.sig_charts_built.emit()

    def _may_go_on(self, generation: int, row: int, built: list[Any], step: Any) -> bool:
        """Whether a build step is still wanted now; a step due while the tab is hidden waits to be shown (#18)."""
        if generation != self._generation or self.data is None:
            return False
        if not self.isVisible():  # the user went to another tab: carry on when this one is shown again
            self._paused = (generation, row, built, step)
            return False
        return True

    def _clear(self) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget()
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self.charts = []
        self._building = []
        self.criterion_boxes = {}
        self.data = None

    def _show_empty(self, text: str) -> None:
        self.scroll.hide()
        self.empty.setText(text)
        self.empty.show()

    def _default_preset(self) -> str:
        assert self.data is not None
        return "All" if (self.data.end - self.data.start).days <= 366 else "Year"

    # ----- side panels ------------------------------------------------------------------------
    def _side_panel(self, key: str) -> QWidget:
        panel = QWidget()
        panel.setFixedWidth(SIDE_WIDTH)
        box = QVBoxLayout(panel)
        box.setContentsMargins(0, 6, 0, 0)
        box.setSpacing(3)
        data = self.data
        assert data is not None
        if key == "stage":
            ranks = data.stage.ranks
            moves = len(data.stage.changes)
            now = list(LadderStage)[int(ranks[-1])].label if len(ranks) else ""
            box.addWidget(self._note(self.tr("Now: <b>%1</b>").replace("%1", html.escape(now))))
            box.addWidget(self._note(self.tr("%n move(s) on the ladder in this range", "", moves)))
            hint = self._note(self.tr("Drag to pan, scroll to zoom, hover for exact values. "
                                      "Dashed lines are coaching sessions."))
            hint.setStyleSheet("color: palette(placeholder-text);")
            box.addWidget(hint)
        elif key == "habit":
            if len(data.habit.strength):
                box.addWidget(self._note(self.tr("Strength now: <b>%1%</b>").replace("%1", f"{data.habit.strength[-1]:.0f}")))
            box.addWidget(self._note(self.tr("Shaded: streaks of kept check-ins. Marks under 0%: "
                                             "done ●, skipped ■, missed ✕.")))
        elif key == "rubric":
            if not any(len(s) for s in data.rubric.values()):
                box.addWidget(self._note(self.tr("No scored practice posts yet.")))
            for criterion, series in data.rubric.items():
                if not len(series):
                    continue
                check = QCheckBox(criterion)
                check.setChecked(True)
                check.toggled.connect(lambda on, c=criterion: self.set_criterion_visible(c, on))
                self.criterion_boxes[criterion] = check
                item = self._rubric_item(criterion)
                if item is not None:  # a click on the legend hides the line too: keep the box in step
                    item.visibleChanged.connect(lambda c=criterion, i=item: self._sync_box(c, i.isVisible()))
                box.addWidget(check)
        elif key == "activity":
            if not data.activity:
                box.addWidget(self._note(self.tr("No figures for this executive yet: import an export on the Data page.")))
            else:
                box.addWidget(self._note(self.tr("Weekly totals of the executive's own messages, replies and likes, "
                                                 "and the replies they received.")))
        elif key == "network":
            box.addWidget(self._note(self._impact_html()))
        box.addStretch(1)
        return panel

    def _note(self, text: str) -> QLabel:
        label = QLabel(text)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.RichText)
        return label

    def _impact_html(self) -> str:
        data = self.data
        assert data is not None
        if not data.network:
            return self.tr("No network figures yet.")
        imp = data.impact
        if imp is None:
            return self.tr("Set the date this executive joined the network to see the impact of joining.")
        head = self.tr("<b>Effect of joining</b> on %2, allowing for the network's own trend and weekly "
                       "pattern (%1 days each side):").replace(
            "%1", str(imp.days)).replace("%2", date_text(imp.join_date))
        rows = "".join(f"<br>{html.escape(line.text)}" for line in imp.network)
        # One plain sentence for the first figure with an estimate: what the numbers above mean.
        lead = next((line.sentence for line in imp.network if line.adjusted and line.adjusted.effect_pct is not None), "")
        lead = f"<p><i>{html.escape(lead)}</i></p>" if lead else ""
        foot = self.tr("<br><small>* fewer than 80% of days have figures. Shows association, not proof.</small>")
        return head + rows + lead + foot

    # ----- actions ----------------------------------------------------------------------------
    def set_range_preset(self, label: str) -> None:
        """Show the last 4 weeks, quarter, year, or everything, on every chart at once."""
        self.preset = label
        self.range_buttons[label].setChecked(True)
        if self.charts:
            self._set_x_range(label)

    def _set_x_range(self, label: str) -> None:
        charts = self.charts or self._building
        if not charts or self.data is None:
            return
        start, end = progress_series.preset_range(dict(RANGE_PRESETS)[label], today=self.data.today,
                                                  first=self.data.start)
        charts[0].getPlotItem().setXRange(epoch(start), epoch(end) + DAY_S, padding=0)

    def x_range(self) -> tuple[float, float]:
        """The x range every chart shows now (they are linked)."""
        return tuple(self.charts[0].getPlotItem().getViewBox().viewRange()[0])  # type: ignore[return-value]

    def _rubric_item(self, criterion: str):  # type: ignore[no-untyped-def]
        chart = next((c for c in self.charts or self._building if c.key == "rubric"), None)
        return chart.series_item(criterion) if chart is not None else None

    def _sync_box(self, criterion: str, visible: bool) -> None:
        box = self.criterion_boxes.get(criterion)
        if box is not None and box.isChecked() != visible:
            box.setChecked(visible)

    def set_criterion_visible(self, criterion: str, visible: bool) -> None:
        """Show or hide one rubric criterion's line."""
        item = self._rubric_item(criterion)
        if item is not None:
            item.setVisible(visible)
        self._sync_box(criterion, visible)

    def export_all(self, folder: str, fmt: str) -> list[str]:
        """Save every chart into ``folder`` as PNG or SVG; returns the paths written."""
        from pathlib import Path

        from esncoach.views.charts.chart_file import export_chart

        stamp = dt.date.today().isoformat()
        out = []
        for chart in self.charts:
            out.append(str(export_chart(chart, Path(folder) / f"progress-{chart.key}-{stamp}.{fmt}")))
        return out

    def _on_export_all(self, fmt: str) -> None:
        if not self.charts:
            return
        folder = QFileDialog.getExistingDirectory(self, self.tr("Export charts to folder"))
        if not folder:
            return
        try:
            self.export_all(folder, fmt)
        except Exception as exc:  # noqa: BLE001 - show the reason; nothing else changed
            show_error(self, self.tr("Export charts"), exc)

