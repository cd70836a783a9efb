"""One exec's page: a header with who they are and where they stand, then one tab per area."""

from __future__ import annotations

import importlib
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QTabWidget, QVBoxLayout, QWidget

from esncoach.services import execs
from esncoach.store.workspace import Workspace
from esncoach.views.exec_tabs import EXEC_TABS


def _load(spec: str) -> type[QWidget]:
    module_name, class_name = spec.split(":")
    return getattr(importlib.import_module(module_name), class_name)


class ExecPage(QWidget):
    """Shows the selected exec; every tab gets ``set_exec`` when the selection changes."""

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
        self.tab_widgets: list[Any] = []
        for title, spec in EXEC_TABS:
            tab = _load(spec)(ws, self)
            self.tab_widgets.append(tab)
            self.tabs.addTab(tab, self.tr(title))
            signal = getattr(tab, "sig_data_changed", None)
            if signal is not None:
                signal.connect(self._on_tab_changed_data)
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
        if shown:
            self._fill_header()
        for tab in self.tab_widgets:
            tab.set_exec(exec_id)

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
