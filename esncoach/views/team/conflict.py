"""The conflict dialog: a colleague saved the same text first; show both and keep both.

Nothing is overwritten silently: the stored text stays as the colleague saved it, and the editor gets
both versions (theirs, then the user's own under a marked line) to tidy up and save again.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from esncoach.services.team_conflicts import ConflictError

MINE_MARK = "— your version, not saved yet —"


def _tr(text: str) -> str:
    return QApplication.translate("team", text)


def merged_text(exc: ConflictError) -> str:
    """Both versions in one text: the stored one first, then the user's under a marked line."""
    if exc.yours.strip() == exc.theirs.strip():
        return exc.theirs
    return f"{exc.theirs.rstrip()}\n\n{MINE_MARK}\n{exc.yours}"


class ConflictDialog(QDialog):
    """Shows the colleague's saved text beside the user's unsaved one; OK puts both in the editor."""

    def __init__(self, exc: ConflictError, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_tr("Someone else saved this first"))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(str(exc) + " " + _tr("Both versions are kept: tidy them up and save again.")))
        grid = QGridLayout()
        self.theirs = QPlainTextEdit(exc.theirs)
        self.theirs.setReadOnly(True)
        self.yours = QPlainTextEdit(exc.yours)
        self.yours.setReadOnly(True)
        grid.addWidget(QLabel(_tr("Saved by your colleague")), 0, 0)
        grid.addWidget(QLabel(_tr("Yours (not saved)")), 0, 1)
        grid.addWidget(self.theirs, 1, 0)
        grid.addWidget(self.yours, 1, 1)
        layout.addLayout(grid)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_tr("Keep both"))
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        self.merged = merged_text(exc)


def resolve_conflict(parent: QWidget | None, exc: ConflictError) -> str:
    """Show the dialog (window-modal) and return the text holding both versions."""
    dialog = ConflictDialog(exc, parent)
    dialog.exec()
    return dialog.merged
