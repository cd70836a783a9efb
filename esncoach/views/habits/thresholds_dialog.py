"""Tune the coaching thresholds stored in the workspace: when an exec looks ready for the next stage,
and when they land on the "needs attention" list."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QLabel, QSpinBox, QWidget

from esncoach.models import LadderStage
from esncoach.services import attention, ladder, settings
from esncoach.store.workspace import Workspace
from esncoach.views.form_dialog import FormDialog


class ThresholdsDialog(FormDialog):
    """One field per workspace setting of the ladder and attention rules; Save stores them all."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Coaching thresholds"), parent)
        self._ws = ws
        self.setMinimumWidth(520)
        self.fields: dict[str, QWidget] = {}
        self._title(self.tr("Ready for the next stage when…"))
        self._percent(ladder.MIN_STRENGTH, self.tr("Habit strength at least"))
        self._int(ladder.STRENGTH_WEEKS, self.tr("…held for"), 1, 52, self.tr(" weeks"))
        self._int(ladder.MIN_CHECKINS, self.tr("Check-ins done at the stage"), 0, 1000, "")
        self._int(ladder.MIN_DAYS_AT_STAGE, self.tr("Days at the stage"), 0, 365, self.tr(" days"))
        self._int(ladder.MIN_REVIEWED_POSTS, self.tr("Practice posts reviewed"), 0, 100, "")
        stage = QComboBox()
        for s in LadderStage:
            stage.addItem(self.tr(s.label), s.value)
        stage.setCurrentIndex(stage.findData(settings.get(ws, ladder.POSTS_FROM_STAGE)))
        self.fields[ladder.POSTS_FROM_STAGE] = stage
        self.form.addRow(self.tr("…posts count from the stage"), stage)
        self._title(self.tr("Needs attention when…"))
        self._percent(attention.STRENGTH_DROP, self.tr("Habit strength fell by"))
        self._int(attention.STRENGTH_DROP_DAYS, self.tr("…within"), 1, 90, self.tr(" days"))
        self._percent(attention.LOW_STRENGTH, self.tr("Or habit strength below"))
        self._int(attention.SESSION_GAP_DAYS, self.tr("Last session more than"), 1, 365, self.tr(" days ago"))

    def _title(self, text: str) -> None:
        label = QLabel(f"<b>{text}</b>")
        self.form.addRow(label)

    def _percent(self, key: str, label: str) -> None:
        box = QDoubleSpinBox()
        box.setRange(0, 100)
        box.setDecimals(0)
        box.setSuffix(" %")
        box.setValue(float(settings.get(self._ws, key)) * 100)
        self.fields[key] = box
        self.form.addRow(label, box)

    def _int(self, key: str, label: str, low: int, high: int, suffix: str) -> None:
        box = QSpinBox()
        box.setRange(low, high)
        box.setSuffix(suffix)
        box.setValue(int(settings.get(self._ws, key)))
        self.fields[key] = box
        self.form.addRow(label, box)

    def save(self) -> None:
        for key, widget in self.fields.items():
            if isinstance(widget, QDoubleSpinBox):
                value: object = round(widget.value() / 100, 4)
            elif isinstance(widget, QSpinBox):
                value = widget.value()
            else:
                value = widget.currentData()  # type: ignore[attr-defined]
            if value != settings.get(self._ws, key):
                settings.put(self._ws, key, value)


def open_thresholds(window) -> None:  # type: ignore[no-untyped-def]
    """Menu hook: edit the coaching thresholds; the exec page re-judges with them."""
    if ThresholdsDialog(window.ws, window).exec():
        window.refresh()
