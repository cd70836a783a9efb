"""Editable text on the shared screen that never shows another exec, while the session keeps the words as typed.

``RedactedText`` binds a ``QPlainTextEdit``: each mention of someone else (``CoachingBrief.redactor``)
is shown as "another executive" in grey italics, a fragment whose character format carries the
original words (``ORIGINAL``). ``text()`` gives the text with the originals put back, for saving. Text
typed later is redacted the same way once the cursor has left the name (after a short pause, or when the
field loses focus), so a name typed during the session does not stay on screen either. Characters typed
next to a placeholder never inherit its format, so they are stored as typed.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor, QTextFormat
from PySide6.QtWidgets import QPlainTextEdit

from esncoach.services import redaction

ORIGINAL = int(QTextFormat.Property.UserProperty) + 15
"""Character-format property holding the words a placeholder stands for."""
LIVE_MS = 700
PLACEHOLDER_COLOUR = QColor("#7a8794")


class RedactedText(QObject):
    """Shows ``edit`` redacted and gives back the original text; see the module docstring."""

    def __init__(self, edit: QPlainTextEdit) -> None:
        super().__init__(edit)
        self.edit = edit
        self.redactor: redaction.Redactor | None = None
        self._busy = False
        self._live = QTimer(self)
        self._live.setSingleShot(True)
        self._live.setInterval(LIVE_MS)
        self._live.timeout.connect(lambda: self.redact_now(spare_cursor=True))
        edit.document().contentsChange.connect(self._on_contents_change)
        edit.installEventFilter(self)

    def set_redactor(self, redactor: redaction.Redactor) -> None:
        self.redactor = redactor
        self.redact_now(spare_cursor=False)

    def set_text(self, text: str) -> None:
        """Show ``text`` (as stored) with every mention replaced; emits no ``textChanged``."""
        blocked = self.edit.blockSignals(True)
        self._busy = True
        try:
            self.edit.setPlainText(text)
        finally:
            self._busy = False
        self.redact_now(spare_cursor=False)
        self.edit.blockSignals(blocked)

    def append_line(self, line: str) -> None:
        """Add a line at the end (a quick note) and redact it at once."""
        cursor = QTextCursor(self.edit.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        existing = self.edit.document().characterCount() > 1
        cursor.insertText(("\n" if existing and not self.edit.toPlainText().endswith("\n") else "") + line,
                          QTextCharFormat())
        self.redact_now(spare_cursor=False)

    def text(self) -> str:
        """The text with the original words in place of each placeholder: what the session stores."""
        doc = self.edit.document()
        parts: list[str] = []
        block = doc.begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                fragment = it.fragment()
                original = fragment.charFormat().property(ORIGINAL)
                parts.append(str(original) if original is not None and _whole(fragment.text()) else fragment.text())
                it += 1
            block = block.next()
            if block.isValid():
                parts.append("\n")
        return "".join(parts)

    def redact_now(self, *, spare_cursor: bool) -> None:
        """Replace every mention on screen; ``spare_cursor`` leaves the one being typed at the cursor."""
        if self.redactor is None or self._busy:
            return
        doc = self.edit.document()
        shown = doc.toPlainText()
        found = [f for f in self.redactor.find(shown) if not f.weak]  # "post" may be a word, not Maria Post
        if not found:
            return
        at = self.edit.textCursor().position()
        self._busy = True
        blocked = self.edit.blockSignals(True)
        try:
            for f in reversed(found):
                if spare_cursor and self.edit.hasFocus() and f.start <= at <= f.end:
                    continue
                cursor = QTextCursor(doc)
                cursor.setPosition(f.start)
                cursor.setPosition(f.end, QTextCursor.MoveMode.KeepAnchor)
                if cursor.charFormat().property(ORIGINAL) is not None:
                    continue
                original = cursor.selectedText().replace("\u2029", "\n")
                fmt = QTextCharFormat()
                fmt.setProperty(ORIGINAL, original)
                fmt.setFontItalic(True)
                fmt.setForeground(PLACEHOLDER_COLOUR)
                fmt.setToolTip("")
                cursor.insertText(redaction.replacement(shown, f), fmt)
        finally:
            self.edit.blockSignals(blocked)
            self._busy = False

    # -- keeping typed text plain ----------------------------------------------------------------------

    def _on_contents_change(self, position: int, removed: int, added: int) -> None:
        if self._busy or added <= 0:
            return
        doc = self.edit.document()
        cursor = QTextCursor(doc)
        cursor.setPosition(position)
        cursor.setPosition(min(position + added, doc.characterCount() - 1), QTextCursor.MoveMode.KeepAnchor)
        if _has_placeholder(cursor):
            self._busy = True
            try:
                cursor.setCharFormat(QTextCharFormat())
            finally:
                self._busy = False
        self._live.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.edit and event.type() == QEvent.Type.FocusOut:
            self.redact_now(spare_cursor=False)
        return False


def _whole(text: str) -> bool:
    """Whether a placeholder fragment is still intact (one or more whole placeholders, as shown)."""
    words = (redaction.OTHER_EXEC, redaction.OTHER_PERSON)
    rest = text
    for w in words + tuple(x[0].upper() + x[1:] for x in words):
        rest = rest.replace(w, "")
    return rest == "" and text != ""


def _has_placeholder(cursor: QTextCursor) -> bool:
    doc = cursor.document()
    block = doc.findBlock(cursor.selectionStart())
    end = cursor.selectionEnd()
    while block.isValid() and block.position() <= end:
        it = block.begin()
        while not it.atEnd():
            f = it.fragment()
            if f.position() < end and f.position() + f.length() > cursor.selectionStart() \
                    and f.charFormat().property(ORIGINAL) is not None:
                return True
            it += 1
        block = block.next()
    return False
