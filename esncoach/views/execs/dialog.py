"""Add or edit an executive; the service validates, the dialog says what is wrong."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QCheckBox, QComboBox, QDateEdit, QHBoxLayout, QLineEdit, QPlainTextEdit, QWidget

from esncoach.models import LadderStage
from esncoach.models.people import NAME_MAX
from esncoach.services import execs
from esncoach.services.execs import ExecRow
from esncoach.services.team_conflicts import ConflictError
from esncoach.store.errors import StoreError
from esncoach.store.workspace import Workspace
from esncoach.views.form_dialog import FormDialog


class ExecDialog(FormDialog):
    """Name (required), title, department, email, handle, network join date, starting stage, private notes."""

    def __init__(self, ws: Workspace, existing: ExecRow | None = None, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Edit executive") if existing else self.tr("Add executive"), parent)
        self._ws = ws
        self._existing = existing
        self._version = existing.version if existing else None
        """The version the form was filled from: a save over a colleague's newer one is refused."""
        self.name = QLineEdit(existing.name if existing else "")
        self.name.setMaxLength(NAME_MAX + 50)  # let an over-long paste through so the message can explain
        self.name.setPlaceholderText(self.tr("Required"))
        self.title_edit = QLineEdit(existing.title if existing else "")
        self.department = QLineEdit(existing.department if existing else "")
        self.email = QLineEdit(existing.email or "" if existing else "")
        self.email.setPlaceholderText("name@company.com")
        self.handle = QLineEdit(existing.handle or "" if existing else "")
        self.handle.setPlaceholderText("@handle")
        self.joined_known = QCheckBox(self.tr("On the network since"))
        self.joined = QDateEdit()
        self.joined.setCalendarPopup(True)
        self.joined.setDisplayFormat("dd MMM yyyy")
        self.joined.setMaximumDate(QDate.currentDate())
        joined = existing.joined if existing else None
        self.joined.setDate(QDate(joined) if joined else QDate.currentDate())
        self.joined_known.setChecked(joined is not None)
        self.joined.setEnabled(joined is not None)
        self.joined_known.toggled.connect(self.joined.setEnabled)
        joined_row = QHBoxLayout()
        joined_row.addWidget(self.joined_known)
        joined_row.addWidget(self.joined, 1)
        self.stage = QComboBox()
        for stage in LadderStage:
            self.stage.addItem(stage.label, stage)
        self.notes = QPlainTextEdit(existing.private_notes if existing else "")
        self.notes.setPlaceholderText(self.tr("Private to you: never shown in coaching mode or reports"))
        self.notes.setTabChangesFocus(True)
        self.notes.setMinimumHeight(90)

        self.form.addRow(self.tr("&Name"), self.name)
        self.form.addRow(self.tr("&Title"), self.title_edit)
        self.form.addRow(self.tr("&Department"), self.department)
        self.form.addRow(self.tr("&Email"), self.email)
        self.form.addRow(self.tr("Network &handle"), self.handle)
        self.form.addRow(self.tr("Joined"), joined_row)
        if existing is None:
            self.form.addRow(self.tr("Starting &stage"), self.stage)
        self.form.addRow(self.tr("Private &notes"), self.notes)
        self.field_widgets = {
            "name": self.name, "title": self.title_edit, "department": self.department, "email": self.email,
            "network handle": self.handle, "join date": self.joined, "private notes": self.notes,
        }

    def _joined_value(self) -> dt.date | None:
        return self.joined.date().toPython() if self.joined_known.isChecked() else None

    def save(self) -> int:
        fields = dict(
            name=self.name.text(), title=self.title_edit.text(), department=self.department.text(),
            email=self.email.text(), handle=self.handle.text(), joined=self._joined_value(),
            private_notes=self.notes.toPlainText(),
        )
        if self._existing is None:
            return execs.add_exec(self._ws, stage=self.stage.currentData(), **fields)
        try:
            self._version = execs.update_exec(self._ws, self._existing.id, expected_version=self._version, **fields)
        except ConflictError as exc:
            self._on_conflict(exc)
            raise StoreError(self.tr("A colleague saved this executive while you were editing. Both versions are "
                                     "kept in the form: check it and save again.")) from exc
        return self._existing.id

    def _values(self) -> dict[str, str]:
        return {"name": self.name.text(), "title": self.title_edit.text(), "department": self.department.text(),
                "email": self.email.text(), "handle": self.handle.text()}

    def _on_conflict(self, exc: ConflictError) -> None:
        """Show both versions, then fill the form with both: the colleague's changes where the user changed
        nothing, the user's where they did, and both private notes (theirs, then the user's) when both
        changed them. Nothing is saved until the user saves again."""
        from esncoach.views.team.conflict import MINE_MARK, resolve_conflict

        resolve_conflict(self, exc)
        assert self._existing is not None
        base, stored = self._existing, execs.get_exec(self._ws, self._existing.id)
        started = {"name": base.name, "title": base.title, "department": base.department,
                   "email": base.email or "", "handle": base.handle or ""}
        now = {"name": stored.name, "title": stored.title, "department": stored.department,
               "email": stored.email or "", "handle": stored.handle or ""}
        widgets = {"name": self.name, "title": self.title_edit, "department": self.department,
                   "email": self.email, "handle": self.handle}
        for key, value in self._values().items():
            if value == started[key]:
                widgets[key].setText(now[key])
        if self._joined_value() == base.joined and stored.joined != base.joined:
            self.joined_known.setChecked(stored.joined is not None)
            if stored.joined is not None:
                self.joined.setDate(QDate(stored.joined))
        mine = self.notes.toPlainText()
        if mine == base.private_notes or mine.strip() == stored.private_notes.strip():
            self.notes.setPlainText(stored.private_notes)
        elif stored.private_notes != base.private_notes:
            self.notes.setPlainText(f"{stored.private_notes.rstrip()}\n\n{MINE_MARK}\n{mine}")
        self._existing, self._version = stored, stored.version
