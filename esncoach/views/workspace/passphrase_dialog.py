"""Ask for the workspace passphrase when no system keyring can hold a key."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from esncoach.store.errors import KeyUnavailableError
from esncoach.store.keys import MIN_NEW_PASSPHRASE, KeyMaterial, normalise_passphrase, passphrase_key

__all__ = ["MIN_NEW_PASSPHRASE", "PassphraseDialog"]


class PassphraseDialog(QDialog):
    """Enter the passphrase of an existing workspace, or choose (twice) one for a new workspace."""

    def __init__(self, workspace_name: str, *, new: bool, message: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._new = new
        self.key: KeyMaterial | None = None
        self.setWindowTitle(self.tr("Choose a passphrase") if new else self.tr("Unlock workspace"))
        self.setMinimumWidth(440)
        layout = QVBoxLayout(self)
        if new:
            intro = self.tr(
                "<p>This computer has no system keyring, so <b>%s</b> will be encrypted with a passphrase "
                "you choose.</p><p><b>Write it down somewhere safe: a forgotten passphrase cannot be "
                "recovered, and without it nobody — not even you — can read the coaching notes.</b></p>"
            ) % workspace_name
        else:
            intro = self.tr("Enter the passphrase of <b>%s</b>.") % workspace_name
        label = QLabel(intro)
        label.setWordWrap(True)
        layout.addWidget(label)
        form = QFormLayout()
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("&Passphrase"), self.passphrase)
        self.repeat = QLineEdit()
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        if new:
            form.addRow(self.tr("&Repeat"), self.repeat)
        layout.addLayout(form)
        self.error = QLabel(message)
        self.error.setObjectName("passphraseError")
        self.error.setStyleSheet("color: #c0392b;")
        self.error.setWordWrap(True)
        self.error.setVisible(bool(message))
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _fail(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
        self.passphrase.setFocus()
        self.passphrase.selectAll()

    def accept(self) -> None:
        # The same rule as a passphrase file (a pasted BOM or newline is not part of it).
        text = normalise_passphrase(self.passphrase.text())
        if self._new and len(text) < MIN_NEW_PASSPHRASE:
            self._fail(self.tr("Use at least %d characters.") % MIN_NEW_PASSPHRASE)
            return
        if self._new and text != normalise_passphrase(self.repeat.text()):
            self._fail(self.tr("The two passphrases differ."))
            return
        try:
            self.key = passphrase_key(text)
        except KeyUnavailableError as exc:
            self._fail(str(exc))
            return
        super().accept()
