"""Link a reverse mentor, assistant or sponsor to an exec: pick someone known or add a new person."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from esncoach.models import SupportRole
from esncoach.services import execs
from esncoach.store.errors import ValidationError
from esncoach.store.workspace import Workspace
from esncoach.views.form_dialog import FormDialog

ROLE_LABELS = {
    SupportRole.REVERSE_MENTOR: "Reverse mentor",
    SupportRole.ASSISTANT: "Assistant",
    SupportRole.SPONSOR: "Sponsor",
}


class PersonLinkDialog(FormDialog):
    """Choose a role and a person; a new name creates the person first."""

    NEW = -1

    def __init__(self, ws: Workspace, exec_id: int, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Add a person around this executive"), parent)
        self._ws = ws
        self._exec_id = exec_id
        self.role = QComboBox()
        for role, label in ROLE_LABELS.items():
            self.role.addItem(self.tr(label), role)
        self.person = QComboBox()
        self.person.addItem(self.tr("New person…"), self.NEW)
        for p in execs.list_people(ws):
            self.person.addItem(f"{p.name} — {p.title}" if p.title else p.name, p.id)
        self.name = QLineEdit()
        self.email = QLineEdit()
        self.title_edit = QLineEdit()
        self.person.currentIndexChanged.connect(self._on_person_changed)
        self.form.addRow(self.tr("&Role"), self.role)
        self.form.addRow(self.tr("&Person"), self.person)
        self.form.addRow(self.tr("&Name"), self.name)
        self.form.addRow(self.tr("&Email"), self.email)
        self.form.addRow(self.tr("&Title"), self.title_edit)
        self.field_widgets = {"name": self.name, "email": self.email, "title": self.title_edit}
        self.initial_focus = self.name  # "New person…" is preselected: typing starts with the name

    def _on_person_changed(self) -> None:
        new = self.person.currentData() == self.NEW
        for w in (self.name, self.email, self.title_edit):
            w.setEnabled(new)

    def save(self) -> int:
        person_id = self.person.currentData()
        if person_id == self.NEW:
            if not self.name.text().strip():
                raise ValidationError("name", self.tr("Choose a person or type the new person's name."))
            person_id = execs.add_person(self._ws, name=self.name.text(), email=self.email.text(),
                                         title=self.title_edit.text())
        execs.link_person(self._ws, exec_id=self._exec_id, person_id=person_id, role=self.role.currentData())
        return person_id
