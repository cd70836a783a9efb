"""A dialog base that validates through a service call and shows what is wrong without closing.

It also holds the two habits every esncoach dialog shares: it opens with the keyboard focus in its
first field (so typing goes where the eye goes, never into OK), and Esc or Close never drops typed
text without asking (``focus_first_field``, ``FieldSnapshot`` and ``ask_discard`` for dialogs not built
on ``FormDialog``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from esncoach.store.errors import StoreError, ValidationError

_INPUTS = (QLineEdit, QPlainTextEdit, QTextEdit, QAbstractSpinBox, QComboBox, QAbstractItemView)


def _focusable(widget: QWidget, root: QWidget) -> bool:
    return (widget.isVisibleTo(root) and widget.isEnabled()
            and bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)
            and not (isinstance(widget, (QLineEdit, QPlainTextEdit, QTextEdit)) and widget.isReadOnly()))


def first_field(root: QWidget) -> QWidget | None:
    """The input the eye meets first: top-most, then left-most, visible, enabled and editable."""
    candidates = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, _INPUTS) or not _focusable(widget, root):
            continue
        if isinstance(widget.parentWidget(), (QAbstractSpinBox, QComboBox)):
            continue  # the line edit inside a spin box or editable combo: its owner takes the focus
        pos = widget.mapTo(root, widget.rect().topLeft())
        candidates.append((pos.y() // 8, pos.x(), widget))  # rows a few pixels apart count as one row
    if not candidates:
        return None
    candidates.sort(key=lambda c: (c[0], c[1]))
    return candidates[0][2]


def focus_first_field(root: QWidget) -> bool:
    """Put the keyboard focus in the first field unless a field already has it; True when it moved."""
    current = root.focusWidget()
    if current is not None and isinstance(current, _INPUTS) and _focusable(current, root):
        return False
    target = first_field(root)
    if target is None:
        return False
    target.setFocus(Qt.FocusReason.OtherFocusReason)
    if isinstance(target, QLineEdit):
        target.selectAll()
    return True


class FieldSnapshot:
    """The values of a dialog's fields at one moment, to tell whether the user has typed anything since."""

    def __init__(self, root: QWidget) -> None:
        self._root = root
        self._values = self._read()

    def _read(self) -> list[object]:
        values: list[object] = []
        for w in self._root.findChildren(QWidget):
            if isinstance(w, QLineEdit) and not isinstance(w.parentWidget(), (QAbstractSpinBox, QComboBox)):
                values.append(w.text())
            elif isinstance(w, QPlainTextEdit):
                values.append(w.toPlainText())
            elif isinstance(w, QTextEdit) and not w.isReadOnly():
                values.append(w.toPlainText())
            elif isinstance(w, QDateTimeEdit):
                values.append(w.dateTime())
            elif isinstance(w, QAbstractSpinBox):
                values.append(w.text())
            elif isinstance(w, QComboBox):
                values.append((w.currentIndex(), w.currentText()))
            elif isinstance(w, QCheckBox):
                values.append(w.checkState())
        return values

    def changed(self) -> bool:
        return self._read() != self._values

    def reset(self) -> None:
        self._values = self._read()


def ask_discard(parent: QWidget, *, detail: str = "", can_save: bool = True) -> QMessageBox.StandardButton:
    """Ask what to do with typed text on Esc/Close: Save, Discard or Cancel (the default: keep editing)."""
    buttons = QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel
    if can_save:
        buttons |= QMessageBox.StandardButton.Save
    text = parent.tr("You have typed something that is not saved yet.")
    if detail:
        text += "\n\n" + detail
    return QMessageBox.question(parent, parent.tr("Discard your changes?"), text, buttons,
                                QMessageBox.StandardButton.Cancel)


class FormDialog(QDialog):
    """Subclasses fill ``self.form``, map field names to widgets, and implement ``save()``."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        self.form = QFormLayout()
        layout.addLayout(self.form)
        self.error_label = QLabel()
        self.error_label.setObjectName("formError")
        self.error_label.setStyleSheet("color: #c0392b;")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        layout.addWidget(self.error_label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.field_widgets: dict[str, QWidget] = {}
        self.result_value: Any = None
        self._snapshot: FieldSnapshot | None = None
        self._error_field: QWidget | None = None
        self.initial_focus: QWidget | None = None
        """Where the cursor starts when the first field is not where typing begins (say, a name under a role)."""

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._snapshot is None:
            # The buttons were created before the fields, so Qt's focus chain starts at OK: move it.
            for button in self.buttons.buttons():
                button.setAutoDefault(False)
            last = None
            for widget in self._tab_order():
                if last is not None:
                    QWidget.setTabOrder(last, widget)
                last = widget
            if self.initial_focus is not None and self.initial_focus.isEnabled():
                self.initial_focus.setFocus(Qt.FocusReason.OtherFocusReason)
            else:
                focus_first_field(self)
            self._snapshot = FieldSnapshot(self)
            self._watch_fields()

    def _tab_order(self) -> list[QWidget]:
        fields = [w for w in self.findChildren(QWidget)
                  if isinstance(w, (*_INPUTS, QAbstractButton)) and not isinstance(w.parentWidget(),
                                                                                   (QAbstractSpinBox, QComboBox, QDialogButtonBox))
                  and w.focusPolicy() & Qt.FocusPolicy.TabFocus and w.isVisibleTo(self)]
        fields.sort(key=lambda w: (w.mapTo(self, w.rect().topLeft()).y() // 8, w.mapTo(self, w.rect().topLeft()).x()))
        return fields + [b for b in self.buttons.buttons() if b.isVisibleTo(self)]

    def _watch_fields(self) -> None:
        """A validation message goes away as soon as the field it points at is changed."""
        for w in self.findChildren(QWidget):
            if isinstance(w, QLineEdit):
                w.textEdited.connect(self._on_field_edited)
            elif isinstance(w, (QPlainTextEdit, QTextEdit)):
                w.textChanged.connect(self._on_field_edited)
            elif isinstance(w, QComboBox):
                w.currentIndexChanged.connect(self._on_field_edited)
            elif isinstance(w, QAbstractSpinBox):
                w.editingFinished.connect(self._on_field_edited)
            elif isinstance(w, QCheckBox):
                w.toggled.connect(self._on_field_edited)

    def _on_field_edited(self, *_args: object) -> None:
        if self.error_label.isHidden():
            return
        sender = self.sender()
        target = self._error_field
        if target is None or sender is target or (isinstance(sender, QWidget) and target.isAncestorOf(sender)):
            self.error_label.hide()
            self.error_label.clear()
            self._error_field = None

    def save(self) -> Any:
        """Call the service; raise ValidationError/StoreError to keep the dialog open."""
        raise NotImplementedError

    def has_changes(self) -> bool:
        """Whether the user changed a field since the dialog opened."""
        return self._snapshot is not None and self._snapshot.changed()

    def accept(self) -> None:
        try:
            self.result_value = self.save()
        except ValidationError as exc:
            self.show_error(str(exc), exc.field)
            return
        except StoreError as exc:
            self.show_error(str(exc))
            return
        super().accept()

    def reject(self) -> None:
        """Esc, Cancel and the window's close button: ask first when something was typed."""
        if self.has_changes():
            answer = ask_discard(self)
            if answer == QMessageBox.StandardButton.Save:
                self.accept()
                return
            if answer != QMessageBox.StandardButton.Discard:
                return
        super().reject()

    def show_error(self, message: str, field: str | None = None) -> None:
        self.error_label.setText(message)
        self.error_label.show()
        widget = self.field_widgets.get(field or "")
        self._error_field = widget
        if widget is not None:
            widget.setFocus()


def run_dialog(dialog: FormDialog, on_saved: Callable[[Any], None] | None = None) -> bool:
    """Show modally; call ``on_saved(result)`` if the user saved."""
    if dialog.exec() == QDialog.DialogCode.Accepted:
        if on_saved is not None:
            on_saved(dialog.result_value)
        return True
    return False
