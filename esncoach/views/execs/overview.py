"""The exec page's first tab: who they are, the people around them, and the CM's private notes."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from esncoach.services import execs
from esncoach.store.workspace import Workspace
from esncoach.views.messages import show_error
from esncoach.views.execs.person_dialog import ROLE_LABELS, PersonLinkDialog
from esncoach.views.dates import date_text


class ExecOverviewTab(QWidget):
    """Details at a glance; people are linked and unlinked here."""

    sig_data_changed = Signal()
    """The exec's data changed here; lists elsewhere should refresh."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = ws
        self._exec_id: int | None = None
        layout = QHBoxLayout(self)

        details = QGroupBox(self.tr("Details"))
        self.form = QFormLayout(details)
        self.fields: dict[str, QLabel] = {}
        for key, label in (("title", "Title"), ("department", "Department"), ("email", "Email"),
                           ("handle", "Network handle"), ("joined", "On the network since"), ("stage", "Ladder stage")):
            value = QLabel()
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.fields[key] = value
            self.form.addRow(self.tr(label) + ":", value)
        self.notes_box = notes_box = QGroupBox(self.tr("Private notes (never shown in coaching mode or reports)"))
        notes_box.setObjectName("privateNotes")
        self._notes_shown: bool | None = None  # asked of the server with the first exec
        notes_layout = QVBoxLayout(notes_box)
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.notes.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.notes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        notes_layout.addWidget(self.notes)
        left = QVBoxLayout()
        left.addWidget(details)
        left.addWidget(notes_box, 1)
        left.addStretch()  # takes the room of a hidden notes box; the box takes it while shown (stretch 1)
        layout.addLayout(left, 3)

        people_box = QGroupBox(self.tr("People around them"))
        people_layout = QVBoxLayout(people_box)
        self.people = QListWidget()
        self.people.setAlternatingRowColors(True)
        people_layout.addWidget(self.people)
        buttons = QHBoxLayout()
        self.add_person = QPushButton(self.tr("Add person…"))
        self.remove_person = QPushButton(self.tr("Remove"))
        self.remove_person.setEnabled(False)
        buttons.addWidget(self.add_person)
        buttons.addWidget(self.remove_person)
        buttons.addStretch()
        people_layout.addLayout(buttons)
        layout.addWidget(people_box, 2)

        self.add_person.clicked.connect(self._on_add_person)
        self.remove_person.clicked.connect(self._on_remove_person)
        self.people.currentRowChanged.connect(lambda row: self.remove_person.setEnabled(row >= 0))

    def set_exec(self, exec_id: int | None) -> None:
        self._exec_id = exec_id
        self.refresh()

    def refresh(self) -> None:
        self.people.clear()
        if self._exec_id is None:
            return
        row = execs.get_exec(self._ws, self._exec_id)
        values = {
            "title": row.title or "—", "department": row.department or "—", "email": row.email or "—",
            "handle": row.handle or "—", "joined": date_text(row.joined) if row.joined else self.tr("not yet"),
            "stage": row.stage.label,
        }
        for key, text in values.items():
            self.fields[key].setText(text)
        self.notes.setText(row.private_notes or self.tr("No notes yet."))
        self._show_notes_box()
        for s in row.supporters:
            item = QListWidgetItem(f"{s.name} — {self.tr(ROLE_LABELS[s.role])}")
            item.setToolTip(s.email or "")
            item.setData(Qt.ItemDataRole.UserRole, (s.person_id, s.role))
            self.people.addItem(item)
        self.remove_person.setEnabled(False)

    def _show_notes_box(self) -> None:
        """On a team server a private note is its author's alone: say so, and hide the box from a login that
        writes no coaching (the programme lead), which has none and can read nobody's."""
        if self._notes_shown is not None or not getattr(self._ws, "is_server", False):
            return
        from esncoach.services.team import may_coach
        from esncoach.store.errors import StoreError

        try:
            self._notes_shown = may_coach(self._ws)
        except StoreError:
            return  # asked again with the next exec
        self.notes_box.setTitle(self.tr("Your private notes: only you can read them (never in coaching mode or "
                                        "reports)"))
        self.notes_box.setVisible(self._notes_shown)

    def _on_add_person(self) -> None:
        if self._exec_id is None:
            return
        dialog = PersonLinkDialog(self._ws, self._exec_id, self)
        if dialog.exec():
            self.refresh()
            self.sig_data_changed.emit()

    def _on_remove_person(self) -> None:
        item = self.people.currentItem()
        if item is None or self._exec_id is None:
            return
        person_id, role = item.data(Qt.ItemDataRole.UserRole)
        try:
            execs.unlink_person(self._ws, exec_id=self._exec_id, person_id=person_id, role=role)
        except Exception as exc:  # noqa: BLE001 - shown to the user, data unchanged
            show_error(self, self.tr("Could not remove the person"), exc)
        self.refresh()
        self.sig_data_changed.emit()
