"""The workspace's practice-post settings: rubric criteria, the jargon list and target lengths per kind."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPlainTextEdit, QSpinBox, QWidget

from esncoach.models import PostKind
from esncoach.services import feedback, posts, writing_aids
from esncoach.services.posts import KIND_LABELS
from esncoach.store.errors import ValidationError
from esncoach.store.workspace import Workspace
from esncoach.views.form_dialog import FormDialog


class PostSettingsDialog(FormDialog):
    """Edits what the workbench measures; old scores keep their criterion names and stay in the trends."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Practice-post settings"), parent)
        self._ws = ws
        self.setMinimumWidth(520)
        self.criteria = QPlainTextEdit("\n".join(feedback.criteria(ws)))
        self.criteria.setToolTip(self.tr("One criterion per line, in the order the rubric shows them"))
        self.criteria.setFixedHeight(130)
        self.jargon = QPlainTextEdit("\n".join(writing_aids.jargon_words(ws)))
        self.jargon.setToolTip(self.tr("One word or phrase per line; the editor underlines them"))
        self.jargon.setFixedHeight(130)
        self.form.addRow(self.tr("Rubric criteria:"), self.criteria)
        self.form.addRow(self.tr("Jargon to point out:"), self.jargon)
        self.lengths: dict[PostKind, tuple[QSpinBox, QSpinBox]] = {}
        for kind in PostKind:
            low, high = posts.target_length(ws, kind)
            row = QHBoxLayout()
            boxes = (QSpinBox(), QSpinBox())
            for box, value in zip(boxes, (low, high), strict=True):
                box.setRange(0, posts.TEXT_MAX)
                box.setSingleStep(50)
                box.setValue(value)
                box.setAccessibleName(f"{KIND_LABELS[kind]} target")
            row.addWidget(boxes[0])
            row.addWidget(QLabel("–"))
            row.addWidget(boxes[1])
            row.addWidget(QLabel(self.tr("characters")))
            row.addStretch()
            self.form.addRow(self.tr(KIND_LABELS[kind]) + ":", row)
            self.lengths[kind] = boxes
        self.field_widgets = {"criteria": self.criteria, "criterion": self.criteria}

    def save(self) -> Any:
        if not any(line.strip() for line in self.criteria.toPlainText().splitlines()):
            raise ValidationError("criteria", self.tr("The rubric needs at least one criterion."))
        lengths = {k: (lo.value(), hi.value()) for k, (lo, hi) in self.lengths.items()}
        posts.set_target_lengths(self._ws, lengths=lengths)
        feedback.set_criteria(self._ws, names=self.criteria.toPlainText().splitlines())
        writing_aids.set_jargon_words(self._ws, words=self.jargon.toPlainText().splitlines())
        return True


def open_post_settings(window: Any) -> None:
    """Menu entry: edit the settings, then refresh what the window shows."""
    if PostSettingsDialog(window.ws, window).exec():
        window.refresh()


def open_prompts(window: Any) -> None:
    """Menu entry: the prompts library on its own, to edit ideas outside an exec's page."""
    from esncoach.views.posts.prompts_dialog import PromptsDialog

    PromptsDialog(window.ws, None, window, can_start=False).exec()
