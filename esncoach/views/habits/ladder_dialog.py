"""Move an exec up (or back) the adoption ladder with a date and a reason; the history keeps every move."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QComboBox, QDateEdit, QLabel, QPlainTextEdit, QWidget

from esncoach.models import LadderStage
from esncoach.services import execs, ladder
from esncoach.store.workspace import Workspace
from esncoach.views.form_dialog import FormDialog
from esncoach.views.messages import show_error


class LadderDialog(FormDialog):
    """Pick the stage (next one up by default), the day and why; a ready exec's evidence pre-fills the reason."""

    def __init__(self, ws: Workspace, exec_id: int, parent: QWidget | None = None, *, back: bool = False,
                 today: dt.date | None = None) -> None:
        super().__init__(self.tr("Move on the ladder"), parent)
        self._ws = ws
        self._exec_id = exec_id
        self._today = today or dt.date.today()
        row = execs.get_exec(ws, exec_id)
        self.current = row.stage
        self.setWindowTitle(self.tr("Move %s on the ladder") % row.name)
        self.setMinimumWidth(520)
        self.now_label = QLabel(self.tr("Now at “%s”") % row.stage.label)
        self.stage = QComboBox()
        for stage in LadderStage:
            if stage != row.stage:
                arrow = "↑" if stage.rank > row.stage.rank else "↓"
                self.stage.addItem(f"{arrow} {self.tr(stage.label)}", stage)
        target = row.stage.next() if not back else (list(LadderStage)[row.stage.rank - 1] if row.stage.rank else None)
        if target is not None:
            self.stage.setCurrentIndex(self.stage.findData(target))
        self.date = QDateEdit(QDate(self._today.year, self._today.month, self._today.day))
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("d MMM yyyy")
        self.date.setMaximumDate(QDate(self._today.year, self._today.month, self._today.day))
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText(self.tr("Why now? (shown in the history, the timeline and reports)"))
        self.reason.setMinimumHeight(110)
        self.evidence = QLabel()
        self.evidence.setWordWrap(True)
        self.form.addRow(self.tr("Stage"), self.now_label)
        self.form.addRow(self.tr("&Move to"), self.stage)
        self.form.addRow(self.tr("&On"), self.date)
        self.form.addRow(self.tr("&Reason"), self.reason)
        self.form.addRow("", self.evidence)
        self.field_widgets = {"reason": self.reason, "date": self.date, "stage": self.stage}
        self._fill_evidence(back)

    def _fill_evidence(self, back: bool) -> None:
        r = ladder.readiness(self._ws, exec_id=self._exec_id, today=self._today)
        if r.next_stage is None:
            self.evidence.setText(self.tr("Already at the top of the ladder."))
            return
        lines = [f"✓ {x}" for x in r.reasons] + [f"✗ {x}" for x in r.missing]
        head = self.tr("Looks ready for “%s”:") % r.next_stage.label if r.ready else self.tr("Evidence so far:")
        self.evidence.setText(head + "\n" + "\n".join(lines))
        if r.ready and not back:
            self.reason.setPlainText(self.tr("Ready: %s.") % r.summary())

    def save(self) -> int:
        d = self.date.date()
        return ladder.move_stage(self._ws, exec_id=self._exec_id, to_stage=self.stage.currentData(),
                                 on=dt.date(d.year(), d.month(), d.day()), reason=self.reason.toPlainText(),
                                 today=self._today)


def open_for_current(window) -> None:  # type: ignore[no-untyped-def]
    """Menu hook: move the selected exec on the ladder."""
    exec_id = window.current_exec_id()
    if exec_id is None:
        show_error(window, window.tr("Move on the ladder"), window.tr("Select an executive first."))
        return
    if LadderDialog(window.ws, exec_id, window).exec():
        window.refresh()
