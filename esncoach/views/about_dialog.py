"""Help ▸ About: the app's name and version, where its data lives, and the licences of what it ships with."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from esncoach import APP_NAME, __version__, paths
from esncoach.licences import Component, bundled_components, licence_text, package_component
from esncoach.views.icons import icon
from esncoach.views.window_size import fit_to_screen

ComponentRole = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex


class LicenceTableModel(QAbstractTableModel):
    """One row per bundled component: name, version, licence; the Component itself under ComponentRole."""

    HEADERS = ("Component", "Version", "Licence")

    def __init__(self, components: list[Component], parent: Any = None) -> None:
        super().__init__(parent)
        self._rows = list(components)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(self.HEADERS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        component = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (component.name, component.version, component.licence)[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join(part for part in (component.url, component.note) if part) or None
        if role == ComponentRole:
            return component
        return None

    def row_named(self, name: str) -> int:
        """The row of the component called ``name`` (case-insensitive), or -1."""
        return next((i for i, c in enumerate(self._rows) if c.name.lower() == name.lower()), -1)


class AboutDialog(QDialog):
    """What esncoach is, which version, and the licence of every bundled library (with its licence text)."""

    def __init__(self, parent: QWidget | None = None, components: list[Component] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("About %s") % APP_NAME)
        self.setWindowIcon(icon("app"))
        fit_to_screen(self, 720, 600)
        layout = QVBoxLayout(self)

        header = QHBoxLayout()
        logo = QLabel()
        logo.setPixmap(icon("app").pixmap(72, 72))
        logo.setAlignment(Qt.AlignmentFlag.AlignTop)
        header.addWidget(logo)
        self.title = QLabel(
            self.tr(
                "<h2 style='margin-bottom:2px'>%s %s</h2>"
                "<p>Coach executives onto the enterprise social network: sessions, habits, practice posts "
                "and progress, kept offline on this computer. Released under the %s licence.</p>"
                "<p>Workspaces are encrypted files (SQLCipher, AES-256) in <code>%s</code> unless you chose "
                "another place.</p>"
            ) % (APP_NAME, __version__, package_component(APP_NAME).licence, paths.data_dir())
        )
        self.title.setObjectName("aboutTitle")
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        header.addWidget(self.title, 1)
        layout.addLayout(header)

        intro = QLabel(self.tr("esncoach is built with these libraries, under their own licences:"))
        layout.addWidget(intro)
        self.model = LicenceTableModel(components if components is not None else bundled_components(), self)
        self.table = QTableView()
        self.table.setObjectName("licenceTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header_view = self.table.horizontalHeader()
        header_view.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header_view.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header_view.setStretchLastSection(True)
        self.licence_view = QPlainTextEdit()
        self.licence_view.setObjectName("licenceText")
        self.licence_view.setReadOnly(True)
        self.licence_view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.licence_view.setPlaceholderText(self.tr("Select a library to read its licence."))
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.licence_view)
        splitter.setSizes([300, 180])
        layout.addWidget(splitter, 1)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_changed)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def select_component(self, name: str) -> bool:
        """Select a component by name (and show its licence); False if there is no such component."""
        row = self.model.row_named(name)
        if row < 0:
            return False
        self.table.selectRow(row)
        return True

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        component: Component | None = current.data(ComponentRole) if current.isValid() else None
        if component is None:
            self.licence_view.clear()
            return
        summary = f"{component.name} {component.version} — {component.licence}"
        details = [summary]
        if component.note:
            details.append(component.note)
        if component.url:
            details.append(component.url)
        text = licence_text(component)
        self.licence_view.setPlainText("\n".join(details) + ("\n\n" + text if text else ""))


__all__ = ["AboutDialog", "ComponentRole", "LicenceTableModel"]
