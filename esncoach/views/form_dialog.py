"""A dialog base that validates through a service call and shows what is wrong without closing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from esncoach.store.errors import StoreError, ValidationError


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

    def save(self) -> Any:
        """Call the service; raise ValidationError/StoreError to keep the dialog open."""
        raise NotImplementedError

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

    def show_error(self, message: str, field: str | None = None) -> None:
        self.error_label.setText(message)
        self.error_label.show()
        widget = self.field_widgets.get(field or "")
        if widget is not None:
            widget.setFocus()


def run_dialog(dialog: FormDialog, on_saved: Callable[[Any], None] | None = None) -> bool:
    """Show modally; call ``on_saved(result)`` if the user saved."""
    if dialog.exec() == QDialog.DialogCode.Accepted:
        if on_saved is not None:
            on_saved(dialog.result_value)
        return True
    return False
