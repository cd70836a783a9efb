"""The prompts library: browse ideas by ladder stage, edit them, and start a draft from one."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from esncoach.models import LadderStage
from esncoach.services import prompts
from esncoach.store.workspace import Workspace
from esncoach.views.messages import show_error
from esncoach.views.window_size import fit_to_screen


class PromptsDialog(QDialog):
    """A small editable list; Start draft accepts with ``chosen_prompt_id`` set."""

    def __init__(self, ws: Workspace, stage: LadderStage | None = None, parent: QWidget | None = None,
                 *, can_start: bool = True) -> None:
        super().__init__(parent)
        self._ws = ws
        self.chosen_prompt_id: int | None = None
        self.setWindowTitle(self.tr("Post ideas"))
        fit_to_screen(self, 620, 460)

        self.stage_filter = QComboBox()
        self.stage_filter.addItem(self.tr("All stages"), None)
        for s in LadderStage:
            self.stage_filter.addItem(s.label, s)
        if stage is not None:
            self.stage_filter.setCurrentIndex(self.stage_filter.findData(stage))
        self.list = QListWidget()  # a handful of short ideas: a small, simple list is right here
        self.list.setObjectName("promptList")
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.setSpacing(3)

        self.edit_text = QLineEdit()
        self.edit_text.setPlaceholderText(self.tr("A new idea, e.g. “thank a team by name”"))
        self.edit_stage = QComboBox()
        for s in LadderStage:
            self.edit_stage.addItem(s.label, s)
        self.edit_stage.setCurrentIndex(self.edit_stage.findData(stage or LadderStage.SHORT_UPDATES))
        self.add_button = QPushButton(self.tr("&Add"))
        self.save_button = QPushButton(self.tr("&Save changes"))
        self.delete_button = QPushButton(self.tr("&Delete"))

        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Ladder stage:")))
        top.addWidget(self.stage_filter, 1)
        editor = QHBoxLayout()
        editor.addWidget(self.edit_text, 3)
        editor.addWidget(self.edit_stage, 1)
        editor.addWidget(self.add_button)
        editor.addWidget(self.save_button)
        editor.addWidget(self.delete_button)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.start_button = self.buttons.addButton(self.tr("Start a draft from this idea"),
                                                   QDialogButtonBox.ButtonRole.AcceptRole)
        self.start_button.setVisible(can_start)
        self.buttons.rejected.connect(self.reject)
        self.start_button.clicked.connect(self._on_start)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.list, 1)
        layout.addLayout(editor)
        layout.addWidget(self.buttons)

        self.stage_filter.currentIndexChanged.connect(self.refresh)
        self.list.currentItemChanged.connect(self._on_current)
        self.list.itemDoubleClicked.connect(lambda _item: self._on_start() if can_start else None)
        self.add_button.clicked.connect(self._on_add)
        self.save_button.clicked.connect(self._on_save)
        self.delete_button.clicked.connect(self._on_delete)
        self.refresh()
        self.list.setFocus()

    def refresh(self, select_id: int | None = None) -> None:
        """Re-read the library for the chosen stage."""
        self.list.clear()
        for p in prompts.list_prompts(self._ws, stage=self.stage_filter.currentData()):
            all_stages = self.stage_filter.currentData() is None
            item = QListWidgetItem(f"{p.text}  ·  {p.stage.label}" if all_stages else p.text)
            item.setData(Qt.ItemDataRole.UserRole, p.id)
            item.setData(Qt.ItemDataRole.UserRole + 1, p)
            self.list.addItem(item)
            if p.id == select_id:
                self.list.setCurrentItem(item)
        if self.list.currentRow() < 0 and self.list.count():
            self.list.setCurrentRow(0)
        self._on_current()

    def _current(self) -> prompts.PromptRow | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole + 1) if item is not None else None

    def _on_current(self, *_: object) -> None:
        p = self._current()
        self.save_button.setEnabled(p is not None)
        self.delete_button.setEnabled(p is not None)
        self.start_button.setEnabled(p is not None)
        if p is not None:
            self.edit_text.setText(p.text)
            self.edit_stage.setCurrentIndex(self.edit_stage.findData(p.stage))

    def _on_add(self) -> None:
        try:
            new_id = prompts.add_prompt(self._ws, stage=self.edit_stage.currentData(), text=self.edit_text.text())
        except Exception as exc:  # noqa: BLE001 - shown to the user
            show_error(self, self.tr("Could not add the idea"), exc)
            return
        self.refresh(select_id=new_id)

    def _on_save(self) -> None:
        p = self._current()
        if p is None:
            return
        try:
            prompts.update_prompt(self._ws, prompt_id=p.id, stage=self.edit_stage.currentData(),
                                  text=self.edit_text.text())
        except Exception as exc:  # noqa: BLE001 - shown to the user
            show_error(self, self.tr("Could not save the idea"), exc)
            return
        self.refresh(select_id=p.id)

    def _on_delete(self) -> None:
        p = self._current()
        if p is not None:
            prompts.delete_prompt(self._ws, prompt_id=p.id)
            self.refresh()

    def _on_start(self) -> None:
        p = self._current()
        if p is not None:
            self.chosen_prompt_id = p.id
            self.accept()
