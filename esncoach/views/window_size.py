"""Windows sized to the screen they open on: a wished-for size shrinks to fit a laptop, and a remembered
geometry is used only when it still fits the screen (a window saved on a large monitor, or restored from
a maximised session, must not open cut off or postage-stamp sized)."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QRect
from PySide6.QtGui import QGuiApplication, QKeySequence, QScreen, QShortcut
from PySide6.QtWidgets import QWidget

SCREEN_SHARE = 0.92
"""The largest share of the available screen a window takes when it is first opened."""
MIN_SHARE = 0.5
"""A restored window smaller than this share of the screen (in both directions) is not worth restoring."""


def screen_of(widget: QWidget) -> QScreen | None:
    """The screen a widget is (or will be) shown on: its own, its parent window's, or the primary one."""
    parent = widget.parentWidget()
    for candidate in (widget, parent.window() if parent is not None else None):
        if candidate is not None and candidate.screen() is not None and candidate.isVisible():
            return candidate.screen()
    return widget.screen() or QGuiApplication.primaryScreen()


def fit_to_screen(widget: QWidget, width: int, height: int, *, share: float = SCREEN_SHARE) -> None:
    """Resize to ``width`` × ``height``, or less so that it fits the available area of its screen, centred."""
    screen = screen_of(widget)
    if screen is None:
        widget.resize(width, height)
        return
    area = screen.availableGeometry()
    w = min(width, int(area.width() * share))
    h = min(height, int(area.height() * share))
    w = max(w, min(widget.minimumWidth(), area.width()))
    h = max(h, min(widget.minimumHeight(), area.height()))
    parent = widget.parentWidget()
    centre = parent.window().frameGeometry().center() if parent is not None and parent.isVisible() else area.center()
    rect = QRect(0, 0, w, h)
    rect.moveCenter(centre)
    rect.moveLeft(max(area.left(), min(rect.left(), area.right() - w)))
    rect.moveTop(max(area.top(), min(rect.top(), area.bottom() - h)))
    widget.setGeometry(rect)


def restore_if_fits(widget: QWidget, saved: QByteArray) -> bool:
    """Restore a saved geometry only when the result fits the current screen and is not tiny; True if used."""
    if saved.isEmpty() or not widget.restoreGeometry(saved):
        return False
    if widget.isMaximized() or widget.isFullScreen():
        return True
    screen = screen_of(widget)
    if screen is None:
        return True
    area = screen.availableGeometry()
    frame = widget.frameGeometry() if widget.isVisible() else widget.geometry()
    fits = area.contains(frame) or (frame.width() <= area.width() and frame.height() <= area.height()
                                    and area.intersects(frame))
    big_enough = frame.width() >= area.width() * MIN_SHARE and frame.height() >= area.height() * MIN_SHARE
    return fits and big_enough


def close_on_escape(window: QWidget) -> None:
    """Esc and Ctrl+W (the platform's Close) close a secondary window, as they close a dialog."""
    # Not StandardKey.Close: on Linux it is Ctrl+W too, and two equal shortcuts make both ambiguous.
    for keys in ("Ctrl+W", "Esc"):
        shortcut = QShortcut(QKeySequence(keys), window)
        shortcut.activated.connect(window.close)
