"""Telling the user what went wrong in one clear sentence, never a traceback."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QMessageBox, QWidget

from esncoach.store.errors import StoreError

log = logging.getLogger(__name__)


def describe(exc: BaseException) -> str:
    """A user-facing sentence for an exception: ours carry one; OS errors are worded; others are generic."""
    if isinstance(exc, StoreError):
        return str(exc)
    if isinstance(exc, OSError):
        where = f" ({exc.filename})" if exc.filename else ""
        return f"{exc.strerror or exc}{where}."
    log.exception("unexpected error", exc_info=exc)
    return f"An unexpected error occurred ({type(exc).__name__}). Your stored data was not changed."


def show_error(parent: QWidget | None, title: str, exc: BaseException | str) -> None:
    """A modal error box with the sentence from ``describe``."""
    text = exc if isinstance(exc, str) else describe(exc)
    QMessageBox.critical(parent, title, text)
