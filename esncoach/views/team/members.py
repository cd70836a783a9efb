"""Team ▸ Members…: the lead's team administration — CMs and their execs, assignments, new CMs.

The same services as ``esncoach team list / assign / add-cm`` (``esncoach.services.team``); the server
decides who may do what, and a refusal comes back as one sentence (a CM may look, not change). Keyboard
first: the executive field has the focus, Enter assigns, Tab reaches the CM, the buttons and the new CM's
name and password; Enter in the password adds the CM. The password is only ever in its masked field and
is cleared once the CM is added.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from esncoach.services import team
from esncoach.store.errors import StoreError, ValidationError
from esncoach.views.execs.list_model import fold
from esncoach.views.messages import show_error


def _tr(text: str) -> str:
    return QCoreApplication.translate("team_members", text)


def _combo(items: list[str], placeholder: str) -> QComboBox:
    combo = QComboBox()
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    combo.addItems(items)
    combo.setCurrentIndex(-1)
    combo.lineEdit().setPlaceholderText(placeholder)  # its own completer: inline, case-insensitive
    return combo


class MembersDialog(QDialog):
    """CMs and their execs; assign or unassign an exec; add a CM with a password."""

    sig_changed = Signal()
    """An assignment or a member changed (the window may refresh its list)."""

    def __init__(self, ws: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.setWindowTitle(_tr("Team members"))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_tr("CMs and the executives they coach:")))
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([_tr("Member"), _tr("Role")])
        self.tree.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # Tab goes field to field; the list is to read
        layout.addWidget(self.tree, 1)

        assign_box = QGroupBox(_tr("Assign an executive"))
        form = QFormLayout(assign_box)
        self.exec_field = _combo([], _tr("Executive's name"))
        self.cm_field = _combo([], _tr("CM's role"))
        form.addRow(_tr("&Executive:"), self.exec_field)
        form.addRow(_tr("&CM:"), self.cm_field)
        row = QHBoxLayout()
        self.assign_button = QPushButton(_tr("&Assign"))
        self.unassign_button = QPushButton(_tr("&Unassign"))
        row.addWidget(self.assign_button)
        row.addWidget(self.unassign_button)
        row.addStretch(1)
        form.addRow(row)
        layout.addWidget(assign_box)

        add_box = QGroupBox(_tr("Add a CM"))
        add_form = QFormLayout(add_box)
        self.role_field = QLineEdit()
        self.role_field.setPlaceholderText(_tr("lower-case letters, digits and _"))
        self.password_field = QLineEdit()
        self.password_field.setEchoMode(QLineEdit.EchoMode.Password)
        self.add_button = QPushButton(_tr("A&dd CM"))
        add_form.addRow(_tr("&Role name:"), self.role_field)
        add_form.addRow(_tr("&Password:"), self.password_field)
        add_form.addRow(self.add_button)
        layout.addWidget(add_box)

        self.status = QLabel("")
        self.status.setObjectName("members_status")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        # Enter acts on the field's own section, never on a default button of the dialog.
        for button in (self.assign_button, self.unassign_button, self.add_button,
                       *buttons.buttons()):
            button.setAutoDefault(False)
            button.setDefault(False)
        self.assign_button.clicked.connect(self._on_assign)
        self.unassign_button.clicked.connect(self._on_unassign)
        self.add_button.clicked.connect(self._on_add)
        # On to the next field as Tab would go, its text selected so typing replaces it.
        self.exec_field.lineEdit().returnPressed.connect(lambda: self.cm_field.setFocus(Qt.FocusReason.TabFocusReason))
        self.cm_field.lineEdit().returnPressed.connect(self._on_assign)
        self.role_field.returnPressed.connect(lambda: self.password_field.setFocus(Qt.FocusReason.TabFocusReason))
        self.password_field.returnPressed.connect(self._on_add)
        self.reload()
        self.resize(560, 620)
        self.exec_field.setFocus()

    # ------------------------------------------------------------------ data

    def reload(self) -> None:
        """Read the members and the directory again (after a change, here or by a colleague)."""
        self.members = team.list_members(self.ws)
        directory = team.directory(self.ws)
        names = sorted((row.name for row in directory), key=fold)  # as the exec list sorts: É with E
        self.tree.clear()
        for m in self.members:
            item = QTreeWidgetItem([m.role, _tr("programme lead") if m.lead else _tr("CM")])
            for name in sorted(m.execs, key=fold):
                item.addChild(QTreeWidgetItem([name, ""]))
            if not m.lead and not m.execs:
                item.addChild(QTreeWidgetItem([_tr("no executives yet"), ""]))
            self.tree.addTopLevelItem(item)
        unassigned = sorted((row.name for row in directory if not row.cms), key=fold)
        if unassigned:  # what the lead still has to hand out
            item = QTreeWidgetItem([_tr("No CM yet"), QCoreApplication.translate(
                "team_members", "%n executive(s)", "", len(unassigned))])
            for name in unassigned:
                item.addChild(QTreeWidgetItem([name, ""]))
            self.tree.addTopLevelItem(item)
        self.tree.expandAll()
        self.tree.resizeColumnToContents(0)
        for combo, items in ((self.exec_field, names), (self.cm_field, [m.role for m in self.members if not m.lead])):
            text = combo.currentText()
            combo.clear()
            combo.addItems(items)
            combo.setEditText(text)

    def _exec_and_cm(self) -> tuple[str, str]:
        exec_name, cm = self.exec_field.currentText().strip(), self.cm_field.currentText().strip()
        if not exec_name:
            self.exec_field.setFocus()
            raise ValidationError("exec", _tr("Type the executive's name."))
        if not cm:
            self.cm_field.setFocus()
            raise ValidationError("cm", _tr("Type the CM's role name."))
        return exec_name, cm

    def _act(self, title: str, work: Any) -> bool:
        try:
            done = work()
        except StoreError as exc:
            show_error(self, title, exc)
            return False
        self.reload()
        self.status.setText(done)
        self.sig_changed.emit()
        return True

    # ------------------------------------------------------------------ actions

    def _on_assign(self) -> None:
        self._change_assignment(assign=True)

    def _on_unassign(self) -> None:
        self._change_assignment(assign=False)

    def _change_assignment(self, *, assign: bool) -> None:
        def work() -> str:
            exec_name, cm = self._exec_and_cm()
            if assign:
                team.assign(self.ws, exec_name=exec_name, cm=cm)
                return _tr("{exec} is now coached by {cm}.").format(exec=exec_name, cm=cm)
            team.unassign(self.ws, exec_name=exec_name, cm=cm)
            return _tr("{cm} no longer coaches {exec}.").format(exec=exec_name, cm=cm)

        if self._act(_tr("Assign") if assign else _tr("Unassign"), work):
            self.exec_field.setEditText("")
            self.exec_field.setFocus()

    def _on_add(self) -> None:
        role = self.role_field.text().strip()

        def work() -> str:
            team.check_role_name(role)
            if not self.password_field.text():
                self.password_field.setFocus()
                raise ValidationError("password", _tr("Give the new CM a password; they log in with it."))
            team.add_member(self.ws, role=role, password=self.password_field.text())
            return _tr("{role} is a CM of this team; assign them executives above.").format(role=role)

        if self._act(_tr("Add a CM"), work):
            self.role_field.clear()
            self.password_field.clear()
            self.cm_field.setEditText(role)
            self.exec_field.setFocus()


def open_members(window: Any) -> MembersDialog | None:
    """Team ▸ Members…; on a workspace file there is no team."""
    if not window.ws.is_server:
        QMessageBox.information(window, _tr("Team members"),
                                _tr("Team members belong to team workspaces on a PostgreSQL server."))
        return None
    dialog = MembersDialog(window.ws, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.sig_changed.connect(window.refresh)
    window.members_dialog = dialog
    dialog.show()
    dialog.activateWindow()
    dialog.exec_field.setFocus()
    return dialog
