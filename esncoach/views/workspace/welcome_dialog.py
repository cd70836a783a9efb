"""The first-run welcome: where the data is kept, that it is encrypted, and a choice of demo or own workspace."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from esncoach import APP_NAME, paths
from esncoach.store.keys import keyring_available
from esncoach.views.app_settings import AppSettings
from esncoach.views.icons import icon


class WorkspaceOpener(Protocol):
    """What the welcome needs from the app controller (``esncoach.app.AppController``), which imports this module."""

    settings: AppSettings
    window: object | None

    def open(self, path: Path, *, create: bool = ..., show: bool = ...) -> bool: ...

    def open_demo(self) -> None: ...


class WelcomeChoice(Enum):
    """What the user chose on the welcome screen."""

    DEMO = "demo"
    OWN = "own"


class WelcomeDialog(QDialog):
    """A short first-run screen; ``choice`` is set when the user picks a workspace (None if closed)."""

    def __init__(self, data_folder: Path, *, keyring: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.choice: WelcomeChoice | None = None
        self.setWindowTitle(self.tr("Welcome to %s") % APP_NAME)
        self.setWindowIcon(icon("app"))
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        layout.setSpacing(12)

        header = QHBoxLayout()
        logo = QLabel()
        logo.setPixmap(icon("app").pixmap(64, 64))
        logo.setAlignment(Qt.AlignmentFlag.AlignTop)
        header.addWidget(logo)
        title = QLabel(self.tr(
            "<h2>Welcome to esncoach</h2>"
            "<p>Your notebook for coaching executives onto the enterprise social network: sessions, "
            "one small habit at a time, practice posts and the progress they make.</p>"
        ))
        title.setWordWrap(True)
        header.addWidget(title, 1)
        layout.addLayout(header)

        where = QLabel(self.tr(
            "<p><b>Your data stays on this computer.</b> Each workspace is one file, kept in<br>"
            "<code>%s</code><br>No account, no cloud: nothing is sent anywhere.</p>"
        ) % data_folder)
        where.setObjectName("welcomeWhere")
        where.setWordWrap(True)
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(where)

        if keyring:
            protection = self.tr(
                "<p><b>It is encrypted.</b> The file is unreadable without its key (SQLCipher, AES-256). "
                "esncoach creates a random key and keeps it in your system keyring, so you have no "
                "password to remember on this computer.</p>"
            )
        else:
            protection = self.tr(
                "<p><b>It is encrypted.</b> The file is unreadable without its key (SQLCipher, AES-256). "
                "This computer has no system keyring, so next you will choose a <b>passphrase</b>.</p>"
                "<p style='color:#c0392b'><b>Write the passphrase down somewhere safe: a forgotten "
                "passphrase cannot be recovered, and without it nobody — not even you — can read the "
                "coaching notes.</b></p>"
            )
        self.protection = QLabel(protection)
        self.protection.setObjectName("welcomeProtection")
        self.protection.setWordWrap(True)
        layout.addWidget(self.protection)

        offer = QLabel(self.tr(
            "<p>New to esncoach? The <b>demo workspace</b> holds twelve fictional executives with six months "
            "of history, in a file of its own: explore freely, then start your own workspace from the "
            "File menu.</p>"
        ))
        offer.setWordWrap(True)
        layout.addWidget(offer)

        buttons = QHBoxLayout()
        buttons.addStretch()
        self.demo_button = QPushButton(icon("demo"), self.tr("Explore the &demo workspace"))
        self.demo_button.setObjectName("welcomeDemo")
        self.demo_button.clicked.connect(lambda: self._choose(WelcomeChoice.DEMO))
        self.own_button = QPushButton(icon("new"), self.tr("&Start my own workspace"))
        self.own_button.setObjectName("welcomeOwn")
        self.own_button.setDefault(True)
        self.own_button.clicked.connect(lambda: self._choose(WelcomeChoice.OWN))
        buttons.addWidget(self.demo_button)
        buttons.addWidget(self.own_button)
        layout.addLayout(buttons)
        self.own_button.setFocus()  # Enter starts the user's own workspace, like the default button says

    def _choose(self, choice: WelcomeChoice) -> None:
        self.choice = choice
        self.accept()


def first_run(controller: WorkspaceOpener, own_workspace: Path, parent: QWidget | None = None) -> bool | None:
    """Show the welcome, then open what the user chose; True if a window opened, None if they closed it.

    The welcome counts as shown only once the user picked a workspace, so closing it means it comes back
    next time, and nothing has been created on disk.
    """
    dialog = WelcomeDialog(paths.data_dir(), keyring=keyring_available(), parent=parent)
    dialog.exec()
    if dialog.choice is None:
        return None
    controller.settings.welcome_shown = True
    controller.settings.sync()
    if dialog.choice is WelcomeChoice.DEMO:
        controller.open_demo()
        return controller.window is not None
    return controller.open(own_workspace, create=True)


__all__ = ["WelcomeChoice", "WelcomeDialog", "WorkspaceOpener", "first_run"]
