"""The portfolio dashboard: the CM's view of every exec at once, with click-through to each exec.

Opened from View ▸ Portfolio dashboard (``open_dashboard``). Like the progress tab, it builds its charts
(and imports pyqtgraph) only when first shown, so it can become the home screen without slowing start-up.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from esncoach.services import attention, portfolio
from esncoach.store.workspace import Workspace
from esncoach.views.charts.theme import current_theme
from esncoach.views.messages import show_error
from esncoach.views.tasks import run_task
from esncoach.views.window_size import close_on_escape, fit_to_screen

ExecIdRole = Qt.ItemDataRole.UserRole + 1


class _AttentionFallback(QListWidget):
    """The needs-attention list, used until the shared ``attention_view.AttentionList`` is available."""

    sig_exec_activated = Signal(int)
    """The user opened an exec from the list."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = ws
        self.setWordWrap(True)
        self.setAlternatingRowColors(True)
        self.itemActivated.connect(self._on_activated)
        self.itemClicked.connect(self._on_activated)
        self.refresh()

    def refresh(self) -> None:
        self.clear()
        items = attention.needs_attention(self._ws)
        if not items:
            self.addItem(QListWidgetItem(self.tr("Nobody needs attention right now.")))
        for a in items:
            item = QListWidgetItem(f"{a.exec_name}\n{a.summary()}")
            item.setData(ExecIdRole, a.exec_id)
            self.addItem(item)

    def _on_activated(self, item: QListWidgetItem) -> None:
        exec_id = item.data(ExecIdRole)
        if exec_id is not None:
            self.sig_exec_activated.emit(int(exec_id))


def _attention_list(ws: Workspace, parent: QWidget) -> QWidget:
    try:
        from esncoach.views.habits.attention_view import AttentionList  # the sessions/habits engineer's widget
    except ImportError:
        return _AttentionFallback(ws, parent)
    return AttentionList(ws, parent)


class DashboardWidget(QWidget):
    """Execs per stage, this month's moves, habit strengths, sessions per week, who needs attention, and
    the network's totals with every join date; any bar segment, point or list row opens its exec."""

    sig_exec_activated = Signal(int)
    """The user clicked something standing for this exec; the main window selects it."""

    sig_charts_built = Signal()
    """The charts were (re)built from the workspace."""

    charts_enabled = True
    """False builds the window without its plots (same figures read, same list): the benchmark's baseline."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = ws
        self.charts: list[Any] = []
        self.attention: QWidget | None = None
        self.data: portfolio.Portfolio | None = None
        self._dirty = True
        self._generation = 0
        self._task: Any = None
        self.setWindowTitle(self.tr("Portfolio dashboard"))
        layout = QVBoxLayout(self)
        head = QHBoxLayout()
        self.summary = QLabel()
        font = self.summary.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        self.summary.setFont(font)
        head.addWidget(self.summary, 1)
        refresh = QPushButton(self.tr("Refresh"))
        refresh.clicked.connect(self.rebuild)
        head.addWidget(refresh)
        layout.addLayout(head)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(10)
        self.grid.setVerticalSpacing(6)
        layout.addLayout(self.grid, 1)

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802 - Qt naming
        super().showEvent(event)
        if self._dirty:
            self.rebuild()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt naming
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self.charts:
            self._dirty = True
            if self.isVisible():
                self.rebuild()

    def rebuild(self) -> None:
        """Re-read the portfolio figures on a worker thread, then rebuild every chart (imports pyqtgraph the
        first time). The figures of hundreds of execs take longer than a frame; the window stays responsive."""
        self._dirty = False
        self._generation += 1
        generation, ws = self._generation, self._ws
        if not self.charts and self.data is None:
            self.summary.setText(self.tr("Loading…"))
        charts = self.charts_enabled

        def load(_progress: Any) -> portfolio.Portfolio:
            data = portfolio.portfolio(ws)
            if charts:  # pyqtgraph's first import happens here too, not on the UI thread
                import esncoach.views.charts.dashboard_plots  # noqa: F401
            return data

        self._task = run_task(self, self.tr("Portfolio dashboard"), load,
                              lambda data: self._on_loaded(generation, data),
                              on_error=lambda exc: self._on_load_failed(generation, exc), show_progress=False)

    def _on_load_failed(self, generation: int, exc: BaseException) -> None:
        if generation == self._generation:  # a failed read shows a message, never a broken window
            show_error(self, self.tr("Portfolio dashboard"), exc)

    def _on_loaded(self, generation: int, data: portfolio.Portfolio) -> None:
        if generation != self._generation:
            return  # a newer refresh is on its way
        while self.grid.count():
            widget = self.grid.takeAt(0).widget()
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self.data = data
        if self.charts_enabled:
            from esncoach.views.charts.dashboard_plots import build_portfolio_charts

            self.charts = build_portfolio_charts(data, current_theme(), parent=self)
            by_key: dict[str, QWidget] = {c.key: c for c in self.charts}
            for chart in self.charts:
                chart.sig_exec_activated.connect(self.sig_exec_activated)
        else:
            self.charts = []
            by_key = {key: QWidget(self) for key in ("stages", "strength", "sessions", "moves", "network")}
        self.grid.addWidget(by_key["stages"], 0, 0)
        self.grid.addWidget(by_key["strength"], 0, 1)
        self.grid.addWidget(by_key["sessions"], 1, 0)
        self.grid.addWidget(by_key["moves"], 1, 1)
        self.grid.addWidget(by_key["network"], 2, 0, 1, 2)
        side = QWidget(self)
        box = QVBoxLayout(side)
        box.setContentsMargins(0, 0, 0, 0)
        title = QLabel(self.tr("<b>Needs attention</b>"))
        box.addWidget(title)
        self.attention = _attention_list(self._ws, side)
        signal = getattr(self.attention, "sig_exec_activated", None)
        if signal is not None:
            signal.connect(self.sig_exec_activated)
        box.addWidget(self.attention, 1)
        self.grid.addWidget(side, 0, 2, 3, 1)
        for col, stretch in enumerate((3, 3, 2)):
            self.grid.setColumnStretch(col, stretch)
        for row in range(3):
            self.grid.setRowStretch(row, 1)
        n = sum(b.count for b in data.stages)
        attention_count = self._attention_count()
        self.summary.setText(self.tr("<b>%1</b> executives · <b>%2</b> moves this month · <b>%3</b> need attention")
                             .replace("%1", str(n)).replace("%2", str(len(data.moves)))
                             .replace("%3", html.escape(attention_count)))
        self.sig_charts_built.emit()

    def _attention_count(self) -> str:
        model = getattr(self.attention, "model", None)
        if model is not None and hasattr(model, "rowCount"):
            return str(model.rowCount())
        if isinstance(self.attention, _AttentionFallback):
            return str(sum(1 for i in range(self.attention.count())
                           if self.attention.item(i).data(ExecIdRole) is not None))
        try:
            return str(len(attention.needs_attention(self._ws)))
        except Exception:  # noqa: BLE001 - the count is a courtesy; the list shows any problem
            return "?"


def open_dashboard(window: Any) -> DashboardWidget:
    """The View menu's "Portfolio dashboard": one dashboard window per main window; clicks select the exec."""
    existing = getattr(window, "_portfolio_dashboard", None)
    if existing is not None:
        if existing.isVisible():
            existing.rebuild()
        else:
            existing._dirty = True  # rebuilt from fresh figures when shown
        existing.show()
        existing.raise_()
        existing.activateWindow()
        return existing
    dash = DashboardWidget(window.ws, window)
    dash.setWindowFlag(Qt.WindowType.Window, True)
    fit_to_screen(dash, 1280, 800)  # a laptop's 768 pixels must show the bottom row too
    close_on_escape(dash)

    def _on_exec(exec_id: int) -> None:
        window.select_exec(exec_id)
        window.raise_()
        window.activateWindow()

    dash.sig_exec_activated.connect(_on_exec)
    window._portfolio_dashboard = dash
    dash.show()
    return dash
