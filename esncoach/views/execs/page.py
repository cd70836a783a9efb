"""One exec's page: a header with who they are and where they stand, then one tab per area."""

from __future__ import annotations

import importlib
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QTabWidget, QVBoxLayout, QWidget

from esncoach.services import execs
from esncoach.store.workspace import Workspace
from esncoach.views.execs.tabs import EXEC_TABS


def _load(spec: str) -> type[QWidget]:
    module_name, class_name = spec.split(":")
    return getattr(importlib.import_module(module_name), class_name)


class ExecPage(QWidget):
    """Shows the selected exec, one tab per area.

    Tabs are built the first time they are shown and refreshed (``set_exec``) only when visible, so
    start-up and moving through the exec list pay for one tab, not all of them. ``tab_widgets`` builds
    and refreshes every tab, for code that works with tabs directly (search's open-in-place, tests).
    """

    sig_data_changed = Signal()
    """Something shown in the exec list may have changed (stage, last session, next action)."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = ws
        self.exec_id: int | None = None
        layout = QVBoxLayout(self)
        header = QHBoxLayout()
        self.name_label = QLabel()
        self.name_label.setObjectName("execName")
        font = self.name_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.name_label.setFont(font)
        self.subtitle = QLabel()
        self.stage_badge = QLabel()
        self.stage_badge.setObjectName("stageBadge")
        self.stage_badge.setStyleSheet(
            "QLabel#stageBadge { background: #2f5d8a; color: white; border-radius: 9px; padding: 3px 10px; }"
        )
        titles = QVBoxLayout()
        titles.addWidget(self.name_label)
        titles.addWidget(self.subtitle)
        header.addLayout(titles, 1)
        header.addWidget(self.stage_badge, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(header)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self._built: list[Any] = [None] * len(EXEC_TABS)
        self._stale: set[int] = set()
        for title, _spec in EXEC_TABS:
            self.tabs.addTab(QWidget(), self.tr(title))
        self.tabs.currentChanged.connect(self._on_current_tab)
        layout.addWidget(self.tabs, 1)
        self.empty = QLabel(self.tr("Select an executive on the left, or add one with Ctrl+N."))
        self.empty.setStyleSheet("color: palette(placeholder-text); font-size: 14pt;")
        layout.addWidget(self.empty)
        self.set_exec(None)

    def set_exec(self, exec_id: int | None) -> None:
        self.exec_id = exec_id
        shown = exec_id is not None
        self.tabs.setVisible(shown)
        self.name_label.setVisible(shown)
        self.subtitle.setVisible(shown)
        self.stage_badge.setVisible(shown)
        self.empty.setVisible(not shown)
        self._stale = set(range(len(EXEC_TABS)))
        if shown:
            self._fill_header()
            self._tab(self.tabs.currentIndex())
        else:
            for index, tab in enumerate(self._built):
                if tab is not None:
                    tab.set_exec(None)
                    self._stale.discard(index)

    @property
    def tab_widgets(self) -> list[Any]:
        """Every tab, built and showing the current exec."""
        return [self._tab(i) for i in range(len(EXEC_TABS))]

    def _tab(self, index: int) -> Any:
        """The tab at ``index``: built on first use, refreshed if the exec changed since."""
        tab = self._built[index]
        if tab is None:
            title, spec = EXEC_TABS[index]
            tab = _load(spec)(self._ws, self)
            signal = getattr(tab, "sig_data_changed", None)
            if signal is not None:
                signal.connect(self._on_tab_changed_data)
            current = self.tabs.currentIndex()
            blocked = self.tabs.blockSignals(True)
            placeholder = self.tabs.widget(index)
            self.tabs.removeTab(index)
            self.tabs.insertTab(index, tab, self.tr(title))
            self.tabs.setCurrentIndex(current)
            self.tabs.blockSignals(blocked)
            placeholder.deleteLater()
            self._built[index] = tab
            self._stale.add(index)
        if index in self._stale:
            self._stale.discard(index)
            tab.set_exec(self.exec_id)
        return tab

    def _on_current_tab(self, index: int) -> None:
        if index >= 0 and self.exec_id is not None:
            self._tab(index)

    def _fill_header(self) -> None:
        assert self.exec_id is not None
        row = execs.get_exec(self._ws, self.exec_id)
        self.name_label.setText(row.name + (self.tr("  (archived)") if row.archived else ""))
        self.subtitle.setText(" · ".join(x for x in (row.title, row.department) if x))
        self.stage_badge.setText(row.stage.label)

    def refresh(self) -> None:
        """Re-read the header and every tab (after an edit elsewhere)."""
        self.set_exec(self.exec_id)

    def _on_tab_changed_data(self) -> None:
        if self.exec_id is not None:
            self._fill_header()
        self.sig_data_changed.emit()
