"""Edit the agenda template of each ladder stage: what a new session at that stage starts with."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QMessageBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from esncoach.models import LadderStage
from esncoach.services import sessions
from esncoach.store.errors import StoreError
from esncoach.store.workspace import Workspace
from esncoach.views.form_dialog import ask_discard
from esncoach.views.messages import show_error


class TemplatesDialog(QDialog):
    """Stages on the left, the selected stage's agenda on the right; Save stores every changed stage."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = ws
        self.setWindowTitle(self.tr("Agenda templates"))
        self.setMinimumSize(720, 440)
        self.texts: dict[LadderStage, str] = {t.stage: t.text for t in sessions.list_templates(ws)}
        self._stored = dict(self.texts)
        layout = QVBoxLayout(self)
        hint = QLabel(self.tr("A new session starts from the template of the exec's stage. "
                              "One line per agenda point reads best."))
        hint.setWordWrap(True)
        layout.addWidget(hint)
        body = QHBoxLayout()
        self.stages = QListWidget()
        self.stages.setMaximumWidth(200)
        for stage in LadderStage:
            item = QListWidgetItem(self.tr(stage.label))
            item.setData(Qt.ItemDataRole.UserRole, stage)
            self.stages.addItem(item)
        self.editor = QPlainTextEdit()
        body.addWidget(self.stages)
        body.addWidget(self.editor, 1)
        layout.addLayout(body, 1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._current: LadderStage | None = None
        self.stages.currentRowChanged.connect(self._on_stage)
        self.editor.textChanged.connect(self._on_text)
        self.stages.setCurrentRow(0)

    def _on_stage(self, row: int) -> None:
        self._current = None
        stage = self.stages.item(row).data(Qt.ItemDataRole.UserRole) if row >= 0 else None
        self.editor.setPlainText(self.texts.get(stage, "") if stage else "")
        self._current = stage

    def _on_text(self) -> None:
        if self._current is not None:
            self.texts[self._current] = self.editor.toPlainText()

    def select_stage(self, stage: LadderStage) -> None:
        self.stages.setCurrentRow(list(LadderStage).index(stage))

    def accept(self) -> None:
        try:
            for stage, text in self.texts.items():
                if text != self._stored.get(stage):
                    sessions.save_template(self._ws, stage=stage, text=text)
                    self._stored[stage] = text
        except StoreError as exc:
            show_error(self, self.tr("Could not save the templates"), exc)
            return
        super().accept()

    def reject(self) -> None:
        """Esc/Cancel/close: ask before dropping edited templates."""
        if any(text != self._stored.get(stage) for stage, text in self.texts.items()):
            answer = ask_discard(self)
            if answer == QMessageBox.StandardButton.Save:
                self.accept()
                return
            if answer != QMessageBox.StandardButton.Discard:
                return
        super().reject()


def open_templates(window) -> None:  # type: ignore[no-untyped-def]
    """Menu hook: edit the agenda templates."""
    TemplatesDialog(window.ws, window).exec()
