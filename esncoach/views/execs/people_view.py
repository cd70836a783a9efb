"""Mentors, assistants and sponsors seen from their side: whom they support, what they owe, and the
assistant's brief — the themes the CM asked them to watch on each exec's behalf."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from esncoach.models import SupportRole
from esncoach.services import people
from esncoach.store.errors import StoreError
from esncoach.store.workspace import Workspace
from esncoach.views.dates import date_text
from esncoach.views.messages import show_error
from esncoach.views.execs.person_dialog import ROLE_LABELS
from esncoach.views.window_size import fit_to_screen


class PeopleWindow(QDialog):
    """People on the left (filter by role); their execs, open items and (for assistants) brief on the right."""

    sig_exec_activated = Signal(int)
    """The user opened one of the person's execs."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = ws
        self.setWindowTitle(self.tr("Mentors and assistants"))
        fit_to_screen(self, 1000, 600)
        self.views: list[people.SupporterView] = []
        layout = QVBoxLayout(self)
        splitter = QSplitter(Qt.Orientation.Horizontal)

        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        self.role = QComboBox()
        self.role.addItem(self.tr("Everyone"), None)
        for role, label in ROLE_LABELS.items():
            self.role.addItem(self.tr(label + "s"), role)
        self.people = QListWidget()
        self.people.setSpacing(3)
        self.people.setAlternatingRowColors(True)
        ll.addWidget(self.role)
        ll.addWidget(self.people, 1)
        splitter.addWidget(left)

        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        self.heading = QLabel()
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.heading.setFont(font)
        self.subtitle = QLabel()
        rl.addWidget(self.heading)
        rl.addWidget(self.subtitle)
        execs_box = QGroupBox(self.tr("Supports"))
        el = QVBoxLayout(execs_box)
        self.execs = QTreeWidget()
        self.execs.setHeaderLabels([self.tr("Executive"), self.tr("As"), self.tr("Stage"), self.tr("Since")])
        self.execs.setRootIsDecorated(False)
        self.execs.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.execs.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        el.addWidget(self.execs)
        rl.addWidget(execs_box, 2)
        items_box = QGroupBox(self.tr("Their open action items"))
        il = QVBoxLayout(items_box)
        self.items = QListWidget()
        il.addWidget(self.items)
        rl.addWidget(items_box, 2)

        self.brief_box = QGroupBox(self.tr("Assistant's brief: themes to watch on the exec's behalf"))
        bl = QVBoxLayout(self.brief_box)
        pick = QHBoxLayout()
        pick.addWidget(QLabel(self.tr("For")))
        self.brief_exec = QComboBox()
        pick.addWidget(self.brief_exec, 1)
        bl.addLayout(pick)
        self.themes = QListWidget()
        self.themes.setWordWrap(True)
        bl.addWidget(self.themes, 1)
        add_row = QHBoxLayout()
        self.new_theme = QLineEdit()
        self.new_theme.setPlaceholderText(self.tr("A theme or discussion to watch, then Enter"))
        self.add_theme = QPushButton(self.tr("Add"))
        self.retire_theme = QPushButton(self.tr("Retire"))
        for b in (self.add_theme, self.retire_theme):
            b.setAutoDefault(False)  # Enter in the line edit adds once, not twice via a default button
        add_row.addWidget(self.new_theme, 1)
        add_row.addWidget(self.add_theme)
        add_row.addWidget(self.retire_theme)
        bl.addLayout(add_row)
        rl.addWidget(self.brief_box, 3)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([260, 740])
        layout.addWidget(splitter, 1)

        self.role.currentIndexChanged.connect(self.refresh)
        self.people.currentRowChanged.connect(self._show_person)
        self.execs.itemActivated.connect(self._on_exec_activated)
        self.brief_exec.currentIndexChanged.connect(self._fill_themes)
        self.new_theme.returnPressed.connect(self._add_theme)
        self.add_theme.clicked.connect(self._add_theme)
        self.retire_theme.clicked.connect(self._retire_theme)
        self.refresh()

    def refresh(self) -> None:
        current = self.current_person_id()
        self.views = people.supporters(self._ws, role=self.role.currentData())
        self.people.blockSignals(True)
        self.people.clear()
        for v in self.views:
            roles = ", ".join(self.tr(ROLE_LABELS[r]) for r in v.roles)
            item = QListWidgetItem(f"{v.name}\n{roles} · " + self.tr("%n exec(s)", "", len(v.execs)))
            item.setData(Qt.ItemDataRole.UserRole, v.person_id)
            self.people.addItem(item)
        self.people.blockSignals(False)
        ids = [v.person_id for v in self.views]
        self.people.setCurrentRow(ids.index(current) if current in ids else (0 if ids else -1))
        self._show_person(self.people.currentRow())

    def current_person_id(self) -> int | None:
        item = self.people.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def select_person(self, person_id: int) -> None:
        for row in range(self.people.count()):
            if self.people.item(row).data(Qt.ItemDataRole.UserRole) == person_id:
                self.people.setCurrentRow(row)

    def _show_person(self, row: int) -> None:
        self.execs.clear()
        self.items.clear()
        self.brief_exec.blockSignals(True)
        self.brief_exec.clear()
        self.brief_exec.blockSignals(False)
        if row < 0 or row >= len(self.views):
            self.heading.setText(self.tr("Nobody supports an executive yet."))
            self.subtitle.clear()
            self.brief_box.hide()
            return
        v = self.views[row]
        self.heading.setText(v.name)
        self.subtitle.setText(" · ".join(x for x in (v.title, v.email or "") if x))
        for e in v.execs:
            item = QTreeWidgetItem([e.name, self.tr(ROLE_LABELS[e.role]), e.stage.label,
                                    date_text(e.since) if e.since else ""])
            item.setData(0, Qt.ItemDataRole.UserRole, e.exec_id)
            self.execs.addTopLevelItem(item)
        today = dt.date.today()
        for i in v.open_items:
            due = f", due {date_text(i.due, year=False)}" if i.due else ""
            item = QListWidgetItem(f"{i.text} — for {i.exec_name}{due}")
            if i.is_overdue(today):
                item.setForeground(QBrush(QColor("#c0392b")))
                item.setText(item.text() + self.tr(" (overdue)"))
            self.items.addItem(item)
        if not v.open_items:
            self.items.addItem(self.tr("Nothing open."))
        assisted = [e for e in v.execs if e.role == SupportRole.ASSISTANT]
        self.brief_box.setVisible(bool(assisted))
        self.brief_exec.blockSignals(True)
        for e in assisted:
            self.brief_exec.addItem(e.name, e.exec_id)
        self.brief_exec.blockSignals(False)
        self._fill_themes()

    def _fill_themes(self) -> None:
        self.themes.clear()
        exec_id = self.brief_exec.currentData()
        if exec_id is None:
            return
        for t in people.assistant_brief(self._ws, exec_id=exec_id):
            item = QListWidgetItem(t.text)
            item.setData(Qt.ItemDataRole.UserRole, t.id)
            self.themes.addItem(item)

    def _add_theme(self) -> None:
        exec_id = self.brief_exec.currentData()
        if exec_id is None or not self.new_theme.text().strip():
            return
        try:
            people.add_theme(self._ws, exec_id=exec_id, text=self.new_theme.text())
        except StoreError as exc:
            show_error(self, self.tr("Could not add the theme"), exc)
            return
        self.new_theme.clear()
        self._fill_themes()

    def _retire_theme(self) -> None:
        item = self.themes.currentItem()
        if item is None:
            return
        people.update_theme(self._ws, theme_id=item.data(Qt.ItemDataRole.UserRole), active=False)
        self._fill_themes()

    def _on_exec_activated(self, item: QTreeWidgetItem) -> None:
        self.sig_exec_activated.emit(item.data(0, Qt.ItemDataRole.UserRole))


def open_people(window) -> None:  # type: ignore[no-untyped-def]
    """Menu hook: the mentors-and-assistants window; opening an exec selects them in the main window."""
    dialog = PeopleWindow(window.ws, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.sig_exec_activated.connect(window.select_exec)
    dialog.show()
