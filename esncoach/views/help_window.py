"""Help ▸ User guide (F1): the offline guide in ``resources/help/``; Help ▸ Keyboard shortcuts (Ctrl+/).

The shortcut list is read from the main window's menus at the moment it opens, so it always shows the
keys the actions really have (feature modules add theirs through ``menu_actions``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtGui import QKeySequence, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLineEdit,
    QMenu,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from esncoach.paths import resources_dir


def guide_path() -> Any:
    """The bundled guide (Markdown)."""
    return resources_dir() / "help" / "guide.md"


def _fit(dialog: QDialog, width: int, height: int) -> None:
    parent = dialog.parentWidget()
    screen = (parent.screen() if parent is not None else None) or QApplication.primaryScreen()
    if screen is None:
        dialog.resize(width, height)
        return
    area = screen.availableGeometry()
    dialog.resize(min(width, int(area.width() * 0.9)), min(height, int(area.height() * 0.9)))


class GuideWindow(QDialog):
    """The user guide in a read-only browser; Esc closes, links to other sections scroll."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("esncoach guide"))
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        layout = QVBoxLayout(self)
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(False)
        try:
            text = guide_path().read_text(encoding="utf-8")
        except OSError:
            text = self.tr("The guide is missing from this installation (%s).") % guide_path()
        self.browser.setMarkdown(text)
        layout.addWidget(self.browser, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        _fit(self, 820, 900)
        self.browser.setFocus()


@dataclass(frozen=True)
class ShortcutRow:
    """One action with its keys, as the shortcut list shows it."""

    menu: str
    action: str
    keys: str


def _clean(text: str) -> str:
    return text.replace("&&", "\x00").replace("&", "").replace("\x00", "&").rstrip("…").rstrip(".").strip()


def shortcut_rows(window: Any) -> list[ShortcutRow]:
    """Every menu action of ``window`` that has a shortcut, menu by menu, from the QActions themselves."""
    rows: list[ShortcutRow] = []

    def walk(menu: QMenu, path: str) -> None:
        for action in menu.actions():
            if action.menu() is not None:
                walk(action.menu(), f"{path} ▸ {_clean(action.text())}")
                continue
            keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts() if not k.isEmpty()]
            if keys and not action.isSeparator():
                rows.append(ShortcutRow(path, _clean(action.text()), " or ".join(keys)))

    for top in window.menuBar().actions():
        if top.menu() is not None:
            walk(top.menu(), _clean(top.text()))
    return rows


class ShortcutsWindow(QDialog):
    """Every keyboard shortcut of the main window, filterable by typing."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        layout = QVBoxLayout(self)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(self.tr("Type to filter (action, menu or key)"))
        self.filter.setClearButtonEnabled(True)
        layout.addWidget(self.filter)
        self.rows = shortcut_rows(window)
        self.model = QStandardItemModel(len(self.rows), 3, self)
        self.model.setHorizontalHeaderLabels([self.tr("Keys"), self.tr("Action"), self.tr("Menu")])
        for n, row in enumerate(self.rows):
            for col, text in enumerate((row.keys, row.action, row.menu)):
                self.model.setItem(n, col, QStandardItem(text))
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        _fit(self, 720, 760)
        self.filter.setFocus()

    def visible_rows(self) -> list[tuple[str, str, str]]:
        """(keys, action, menu) of the rows the filter leaves."""
        return [tuple(self.proxy.index(r, c).data() for c in range(3)) for r in range(self.proxy.rowCount())]  # type: ignore[misc]


def _show(window: Any, attr: str, factory: Any) -> QDialog:
    dialog = getattr(window, attr, None)
    if dialog is None:
        dialog = factory()
        setattr(window, attr, dialog)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog


def open_guide(window: Any) -> QDialog:
    """Menu hook (Help ▸ User guide, F1)."""
    return _show(window, "_guide_window", lambda: GuideWindow(window))


def open_shortcuts(window: Any) -> QDialog:
    """Menu hook (Help ▸ Keyboard shortcuts, Ctrl+/): rebuilt each time so it matches the menus now."""
    old = getattr(window, "_shortcuts_window", None)
    if old is not None:
        old.deleteLater()
        window._shortcuts_window = None
    return _show(window, "_shortcuts_window", lambda: ShortcutsWindow(window))


__all__ = ["GuideWindow", "ShortcutRow", "ShortcutsWindow", "open_guide", "open_shortcuts", "shortcut_rows"]
