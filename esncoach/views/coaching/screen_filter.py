"""Redaction for the pages coaching mode borrows from other features (the posts workbench, the progress charts).

Those widgets show and edit stored text their own way; this filter changes only what the shared screen
shows, never what they hold or save:

- labels, buttons, group titles, tooltips and list-widget items get the redacted text just before
  they paint (a paint-time event filter, so text the widget sets later is caught too);
- item models that keep their rows as dataclasses (``model.rows``, as the post list does), and charts
  that keep their session markers (``chart.sessions``, whose titles the hover read-out shows), have those
  rows' display fields redacted whenever the model resets or the page is swept — copies used for display;
- text fields (line edits, text edits), whose text the widget saves, are never changed: while one
  holds a mention and does not have the focus, a read-only *cover* showing the redacted text lies over
  it; clicking the cover (or tabbing in) reveals the field for editing, as a deliberate act.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from esncoach.services import redaction

ROW_FIELDS = ("title", "text", "comment", "quoted_text", "description", "note", "reason", "outcomes")
"""Display fields of dataclass rows that may carry free text."""
SWEEP_MS = 500
COVER_TIP = "Names of other executives are hidden here; click to edit (they will show)."


class ScreenRedaction(QObject):
    """Keeps every widget under ``root`` from showing anyone but the coached exec; see the module docstring."""

    def __init__(self, root: QWidget) -> None:
        super().__init__(root)
        self.root = root
        self.redactor: redaction.Redactor | None = None
        self._attached: set[int] = set()
        self._covers: dict[int, _Cover] = {}
        self._sweep = QTimer(self)
        self._sweep.setInterval(SWEEP_MS)
        self._sweep.timeout.connect(self.attach)
        self._sweep.start()
        root.installEventFilter(self)  # attach the moment the page is shown, before it paints

    def set_redactor(self, redactor: redaction.Redactor) -> None:
        self.redactor = redactor
        self.attach()
        self.refresh()

    def _shown(self, text: str) -> str:
        return self.redactor(text) if self.redactor is not None and text else text

    def attach(self) -> None:
        """Watch widgets created since the last call (widgets build parts lazily); idle while hidden."""
        if self.redactor is None or not self.root.isVisible():
            return
        for w in [self.root, *self.root.findChildren(QWidget)]:
            if id(w) in self._attached or isinstance(w, _Cover):
                continue
            self._attached.add(id(w))
            w.destroyed.connect(lambda _obj=None, key=id(w): self._forget(key))
            if isinstance(w, (QLineEdit, QPlainTextEdit, QTextEdit)):
                self._covers[id(w)] = _Cover(w, self._shown)
            elif isinstance(w, QAbstractItemView):
                self._watch_model(w)
                w.viewport().installEventFilter(self)
            else:
                w.installEventFilter(self)
        self.refresh()

    def refresh(self) -> None:
        """Redact what is on screen now (after the host widget reloaded)."""
        for w in [self.root, *self.root.findChildren(QWidget)]:
            if not isinstance(w, _Cover):
                self._fix(w)
        for cover in list(self._covers.values()):
            cover.sync()

    def _forget(self, key: int) -> None:
        self._attached.discard(key)
        self._covers.pop(key, None)

    def _watch_model(self, view: QAbstractItemView) -> None:
        model = view.model()
        if model is None or not isinstance(getattr(model, "rows", None), list):
            return
        model.modelReset.connect(lambda m=model: self._redact_rows(m))
        # A row replaced in place (a post saved) comes with dataChanged, before the view repaints.
        model.dataChanged.connect(lambda *_args, m=model: self._redact_rows(m))
        model.rowsInserted.connect(lambda *_args, m=model: self._redact_rows(m))
        self._redact_rows(model)

    def _redact_rows(self, model: object, attr: str = "rows") -> None:
        rows = getattr(model, attr, None)
        if self.redactor is None or not isinstance(rows, list):
            return
        for i, row in enumerate(rows):
            if not dataclasses.is_dataclass(row) or isinstance(row, type):
                continue
            changes = {f.name: self._shown(getattr(row, f.name)) for f in dataclasses.fields(row)
                       if f.name in ROW_FIELDS and isinstance(getattr(row, f.name), str)}
            changes = {k: v for k, v in changes.items() if v != getattr(row, k)}
            if changes:
                rows[i] = dataclasses.replace(row, **changes)

    def _fix(self, w: QWidget) -> None:
        if isinstance(getattr(w, "sessions", None), list):
            self._redact_rows(w, "sessions")  # chart session markers: the hover read-out shows their titles
        if isinstance(w, QLabel):
            _set_if_changed(w.text(), self._shown, w.setText)
        elif isinstance(w, QAbstractButton):
            _set_if_changed(w.text(), self._shown, w.setText)
        elif isinstance(w, QGroupBox):
            _set_if_changed(w.title(), self._shown, w.setTitle)
        elif isinstance(w, QListWidget):
            for i in range(w.count()):
                item = w.item(i)
                _set_if_changed(item.text(), self._shown, item.setText)
        if w.toolTip():
            _set_if_changed(w.toolTip(), self._shown, w.setToolTip)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        kind = event.type()
        if watched is self.root and kind == QEvent.Type.Show:
            self.attach()
        if kind in (QEvent.Type.Paint, QEvent.Type.ToolTip, QEvent.Type.Show):
            widget = watched.parent() if isinstance(watched.parent(), QAbstractItemView) else watched
            if isinstance(widget, QAbstractItemView) and widget.model() is not None:
                self._redact_rows(widget.model())  # last line of defence: rows changed without a signal
            if isinstance(widget, QWidget):
                self._fix(widget)
        return False


def _set_if_changed(text: str, shown: Callable[[str], str], setter: Callable[[str], None]) -> None:
    clean = shown(text)
    if clean != text:
        setter(clean)


class _Cover(QObject):
    """A read-only copy of a text field showing its text redacted, laid over it while it holds a mention."""

    def __init__(self, field: QWidget, shown: Callable[[str], str]) -> None:
        super().__init__(field)
        self.field = field
        self.shown = shown
        if isinstance(field, QLineEdit):
            self.view: QWidget = QLineEdit(field)
            self.view.setFrame(False)
            field.textChanged.connect(self.sync)
        else:
            self.view = QPlainTextEdit(field)
            self.view.setFrameShape(QPlainTextEdit.Shape.NoFrame)
            self.view.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
            field.textChanged.connect(self.sync)
        self.view.setObjectName("coachCover")
        self.view.setReadOnly(True)
        self.view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.view.setToolTip(self.tr(COVER_TIP))
        self.view.hide()
        self.view.installEventFilter(self)
        for target in (self.view, getattr(self.view, "viewport", lambda: None)()):
            if target is not None:
                target.installEventFilter(self)
        field.installEventFilter(self)
        self.sync()

    def _field_text(self) -> str:
        f = self.field
        return f.text() if isinstance(f, QLineEdit) else f.toPlainText()  # type: ignore[attr-defined]

    def covering(self) -> bool:
        """Whether the cover is shown over the field."""
        return self.view.isVisibleTo(self.field)

    def sync(self) -> None:
        text = self._field_text()
        clean = self.shown(text)
        if clean == text or self.field.hasFocus():
            self.view.hide()
            return
        if isinstance(self.view, QLineEdit):
            self.view.setText(clean)
        else:
            self.view.setPlainText(clean)
        self.view.setGeometry(self.field.rect())
        self.view.show()
        self.view.raise_()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        kind = event.type()
        if watched is self.field:
            if kind == QEvent.Type.FocusIn:
                self.view.hide()
            elif kind in (QEvent.Type.FocusOut, QEvent.Type.Resize, QEvent.Type.Show):
                self.sync()
            return False
        if kind == QEvent.Type.MouseButtonPress and isinstance(event, QMouseEvent):
            self.view.hide()
            self.field.setFocus(Qt.FocusReason.MouseFocusReason)
            return True
        return False
