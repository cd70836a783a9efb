"""Beside the draft: the CM's anchored comments (open, resolved, detached) and the 1–5 rubric."""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QAbstractTextDocumentLayout, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from esncoach.services import feedback
from esncoach.services.feedback import CommentRow
from esncoach.services.team_conflicts import ConflictError
from esncoach.store.workspace import Workspace
from esncoach.views.messages import show_error

LIST_STYLE = (
    "QListView {{ border: 1px solid #dde3e9; background: white; }}"
    "QListView::item {{ border-bottom: 1px solid #eef1f4; }}"
    "QListView::item:selected {{ background: {bg}; border-left: 3px solid {edge}; }}"
)
RUBRIC_STYLE = (
    "QToolButton { border: 1px solid #c9d1da; border-radius: 4px; padding: 2px; background: white; }"
    "QToolButton:hover { border-color: #2f5d8a; }"
    "QToolButton:checked { background: #2f5d8a; color: white; border-color: #2f5d8a; font-weight: 600; }"
    "QToolButton:focus { border: 2px solid #d69e2e; }"
)

CommentIdRole = Qt.ItemDataRole.UserRole + 1
CommentRowRole = Qt.ItemDataRole.UserRole + 2
HtmlRole = Qt.ItemDataRole.UserRole + 3


class HtmlDelegate(QStyledItemDelegate):
    """Paints an item's ``HtmlRole`` rich text, wrapped to the view's width (comment cards, post list)."""

    def _document(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QTextDocument:
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        doc.setDocumentMargin(8)
        doc.setHtml(index.data(HtmlRole) or "")
        doc.setTextWidth(max(80, option.rect.width() or 260))
        return doc

    def paint(self, painter, option, index) -> None:  # noqa: ANN001 - Qt override
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        doc = self._document(option, index)
        ctx = QAbstractTextDocumentLayout.PaintContext()  # selection is a light tint (LIST_STYLE): text stays dark
        painter.save()
        painter.translate(option.rect.topLeft())
        painter.setClipRect(QRectF(0, 0, option.rect.width(), option.rect.height()))
        doc.documentLayout().draw(painter, ctx)
        painter.restore()

    def sizeHint(self, option, index) -> QSize:  # noqa: ANN001, N802 - Qt override
        width = option.widget.viewport().width() if option.widget is not None else 260
        opt = QStyleOptionViewItem(option)
        opt.rect.setWidth(width)
        doc = self._document(opt, index)
        return QSize(width, int(doc.size().height()) + 2)


def _card(c: CommentRow) -> str:
    quote = c.quoted_text.strip().replace("\n", " ")
    if len(quote) > 90:
        quote = quote[:89] + "…"
    parts = []
    if quote:
        style = "color:#8a96a3; text-decoration:line-through" if c.detached else "color:#6b7785"
        parts.append(f"<div style='{style}'><i>“{html.escape(quote)}”</i></div>")
    parts.append(f"<div style='margin-top:2px'>{html.escape(c.comment).replace(chr(10), '<br>')}</div>")
    meta = [f"{html.escape(c.author)} · revision {c.revision_number}"]
    if c.detached:
        where = f" in revision {c.detached_in}" if c.detached_in else ""
        meta.append(f"<span style='color:#b45309'><b>detached</b>: passage removed{where}</span>")
    elif not c.anchored:
        meta.append("on the whole post")
    meta.append("<span style='color:#2e7d4f'>✓ resolved</span>" if c.resolved else "<b>open</b>")
    parts.append(f"<div style='color:#6b7785; font-size:small; margin-top:3px'>{' · '.join(meta)}</div>")
    opacity = "color:#8a96a3;" if c.resolved else ""
    return f"<div style='{opacity}'>{''.join(parts)}</div>"


class CommentListModel(QAbstractListModel):
    """The comments shown on one revision, as cards."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[CommentRow] = []

    def set_rows(self, rows: list[CommentRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        c = self.rows[index.row()]
        if role == HtmlRole:
            return _card(c)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            state = "detached" if c.detached else "resolved" if c.resolved else "open"
            return f"{c.comment} ({state})"
        if role == Qt.ItemDataRole.ToolTipRole:
            return c.quoted_text or None
        if role == CommentIdRole:
            return c.id
        if role == CommentRowRole:
            return c
        return None


class RubricWidget(QGroupBox):
    """One row per criterion: five score buttons and a short note; saved as soon as they change."""

    sig_changed = Signal()
    """A score or note was stored."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFlat(True)
        self.setStyleSheet(RUBRIC_STYLE)
        self._ws = ws
        self.revision_id: int | None = None
        self.grid = QGridLayout(self)
        self.grid.setHorizontalSpacing(4)
        self.grid.setVerticalSpacing(3)
        self.groups: dict[str, QButtonGroup] = {}
        self.notes: dict[str, QLineEdit] = {}
        self.previous: dict[str, QLabel] = {}
        self.summary = QLabel()

    def _build(self, names: list[str]) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.groups, self.notes, self.previous = {}, {}, {}
        for row, name in enumerate(names):
            label = QLabel(f"<b>{html.escape(name)}</b>")
            self.grid.addWidget(label, row * 3, 0, 1, 6)
            group = QButtonGroup(self)
            group.setExclusive(False)  # clicking the chosen score again clears it
            for score in range(1, 6):
                button = QToolButton()
                button.setText(str(score))
                button.setCheckable(True)
                button.setAutoRaise(False)
                button.setFixedWidth(26)
                button.setAccessibleName(f"{name} {score}")
                group.addButton(button, score)
                self.grid.addWidget(button, row * 3 + 1, score - 1)
            group.idClicked.connect(lambda score, n=name: self._on_score(n, score))
            prev = QLabel()
            prev.setStyleSheet("color: #8a96a3;")
            self.grid.addWidget(prev, row * 3, 6, Qt.AlignmentFlag.AlignRight)
            note = QLineEdit()
            note.setPlaceholderText(self.tr("Note on {criterion}").format(criterion=name.lower()))
            note.setMaxLength(feedback.NOTE_MAX)
            note.editingFinished.connect(lambda n=name: self._on_note(n))
            self.grid.addWidget(note, row * 3 + 2, 0, 1, 7)
            self.groups[name], self.notes[name], self.previous[name] = group, note, prev
        self.grid.addWidget(self.summary, len(names) * 3, 0, 1, 7)
        self.grid.setColumnStretch(6, 1)
        self.grid.setRowStretch(len(names) * 3 + 1, 1)

    def set_revision(self, revision_id: int | None) -> None:
        """Show (and score) one revision's rubric, with the previous round's scores for reference."""
        self.revision_id = revision_id
        names = feedback.criteria(self._ws)
        if list(self.groups) != names:
            self._build(names)
        scores = feedback.scores_for(self._ws, revision_id=revision_id) if revision_id else {}
        before = feedback.previous_scores(self._ws, revision_id=revision_id) if revision_id else {}
        for name in names:
            current = scores.get(name)
            for button in self.groups[name].buttons():
                button.setChecked(current is not None and self.groups[name].id(button) == current.score)
                button.setEnabled(revision_id is not None)
            self.notes[name].setText(current.note if current else "")
            self.notes[name].setEnabled(revision_id is not None)
            prev = before.get(name)
            self.previous[name].setText(self.tr("was {n}").format(n=prev.score) if prev else "")
        self._show_summary(scores)

    def _show_summary(self, scores: dict[str, feedback.ScoreRow]) -> None:
        if scores:
            mean = sum(s.score for s in scores.values()) / len(scores)
            self.summary.setText(self.tr("{n} of {total} scored · average {mean:.1f}").format(
                n=len(scores), total=len(self.groups), mean=mean))
        else:
            self.summary.setText(self.tr("Not scored yet."))
        self.summary.setStyleSheet("color: #6b7785;")

    def tab_title(self) -> str:
        """'Rubric' with the average of the shown revision's scores, if any."""
        scores = feedback.scores_for(self._ws, revision_id=self.revision_id) if self.revision_id else {}
        if not scores:
            return self.tr("Rubric")
        return self.tr("Rubric · {mean:.1f}").format(mean=sum(s.score for s in scores.values()) / len(scores))

    def _on_score(self, name: str, score: int) -> None:
        group = self.groups[name]
        checked = group.button(score).isChecked()
        for button in group.buttons():
            if group.id(button) != score:
                button.setChecked(False)
        self._store(name, score if checked else None)

    def _on_note(self, name: str) -> None:
        group = self.groups.get(name)
        if group is None or group.checkedId() < 1:
            return  # a note is kept with a score
        self._store(name, group.checkedId())

    def _store(self, name: str, score: int | None) -> None:
        if self.revision_id is None:
            return
        try:
            feedback.set_score(self._ws, revision_id=self.revision_id, criterion=name, score=score,
                               note=self.notes[name].text())
        except Exception as exc:  # noqa: BLE001 - shown; the stored rubric is unchanged
            show_error(self, self.tr("Could not save the score"), exc)
        self._show_summary(feedback.scores_for(self._ws, revision_id=self.revision_id))
        self.sig_changed.emit()

    def score(self, name: str, value: int | None, note: str = "") -> None:
        """Set a score as if clicked (keyboard users and tests)."""
        self.notes[name].setText(note)
        for button in self.groups[name].buttons():
            button.setChecked(self.groups[name].id(button) == value)
        self._store(name, value)


class FeedbackPanel(QWidget):
    """Comments for the revision shown, a composer for a new one, and the rubric."""

    sig_comment_activated = Signal(int)
    """A comment (id) became current: the editor should show its passage."""
    sig_changed = Signal()
    """Comments or scores changed; highlights and counts should refresh."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = ws
        self.post_id: int | None = None
        self.revision_id: int | None = None
        self._pending: tuple[int | None, int | None] = (None, None)
        self._locate: Callable[[], tuple[int | None, int | None]] | None = None
        self._all: list[CommentRow] = []

        self.heading = QLabel()
        self.heading.setObjectName("commentsHeading")
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.show_resolved = QCheckBox(self.tr("Show resolved"))
        self.show_resolved.setChecked(True)
        head = QHBoxLayout()
        head.addWidget(self.heading, 1)
        head.addWidget(self.show_resolved)

        self.model = CommentListModel(self)
        self.list = QListView()
        self.list.setObjectName("commentList")
        self.list.setModel(self.model)
        self.list.setItemDelegate(HtmlDelegate(self.list))
        self.list.setWordWrap(True)
        self.list.setUniformItemSizes(False)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setStyleSheet(LIST_STYLE.format(bg="#fff7d6", edge="#d69e2e"))
        self.empty = QLabel(self.tr("No comments yet. Select a passage and press Ctrl+Alt+M."))
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet("color: #8a96a3; padding: 8px;")

        # Tool buttons: a push button's 80-pixel minimum would push the panel past a laptop-width page.
        self.resolve = QToolButton()
        self.resolve.setText(self.tr("Resolve"))
        self.resolve.setToolTip(self.tr("Mark the selected comment dealt with, or open it again"))
        self.delete = QToolButton()
        self.delete.setText(self.tr("Delete"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.resolve)
        buttons.addWidget(self.delete)
        buttons.addStretch()
        self.action_row = buttons
        """Where the workbench puts its add-comment button."""

        self.composer = QWidget()
        comp = QVBoxLayout(self.composer)
        comp.setContentsMargins(0, 4, 0, 4)
        self.quote = QLabel()
        self.quote.setWordWrap(True)
        self.quote.setStyleSheet("color: #6b7785; font-style: italic;")
        self.comment_input = QPlainTextEdit()
        self.comment_input.setObjectName("commentInput")
        self.comment_input.setPlaceholderText(self.tr("Your comment (Ctrl+Enter to add, Esc to cancel)"))
        self.comment_input.setTabChangesFocus(True)
        self.comment_input.setFixedHeight(78)
        self.comment_input.installEventFilter(self)
        self.add_button = QPushButton(self.tr("Add comment"))
        self.add_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        comp_buttons = QHBoxLayout()
        comp_buttons.addStretch()
        comp_buttons.addWidget(self.cancel_button)
        comp_buttons.addWidget(self.add_button)
        comp.addWidget(self.quote)
        comp.addWidget(self.comment_input)
        comp.addLayout(comp_buttons)
        self.composer.hide()

        self.rubric = RubricWidget(ws)

        comments_page = QWidget()
        page = QVBoxLayout(comments_page)
        page.setContentsMargins(4, 6, 4, 4)
        page.addLayout(head)
        page.addWidget(self.composer)
        page.addWidget(self.list, 1)
        page.addWidget(self.empty, 1)
        page.addLayout(buttons)
        rubric_scroll = QScrollArea()
        rubric_scroll.setWidgetResizable(True)
        rubric_scroll.setFrameShape(QFrame.Shape.NoFrame)
        rubric_scroll.setWidget(self.rubric)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("feedbackTabs")
        self.tabs.addTab(comments_page, self.tr("Comments"))
        self.tabs.addTab(rubric_scroll, self.tr("Rubric"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

        self.show_resolved.toggled.connect(self._apply_filter)
        self.list.selectionModel().currentChanged.connect(self._on_current_changed)
        self.resolve.clicked.connect(self._on_resolve)
        self.delete.clicked.connect(self._on_delete)
        self.add_button.clicked.connect(self.commit_comment)
        self.cancel_button.clicked.connect(self.cancel_comment)
        self.rubric.sig_changed.connect(self.sig_changed)
        self.rubric.sig_changed.connect(self._update_tab_titles)
        self._update_buttons()

    # ---- showing -----------------------------------------------------------------------------------------

    def set_revision(self, post_id: int | None, revision_id: int | None) -> None:
        """Show a post's comments placed on one revision, and that revision's rubric."""
        self.post_id, self.revision_id = post_id, revision_id
        self.cancel_comment()
        self.reload()
        self.rubric.set_revision(revision_id)
        self._update_tab_titles()

    def reload(self, keep_id: int | None = None) -> None:
        """Re-read the comments (after a save moved anchors, or a comment changed)."""
        keep_id = keep_id if keep_id is not None else self.current_id()
        self._all = (feedback.list_comments(self._ws, post_id=self.post_id, revision_id=self.revision_id)
                     if self.post_id is not None else [])
        self._apply_filter(keep_id=keep_id)

    def _apply_filter(self, *_: object, keep_id: int | None = None) -> None:
        keep_id = keep_id if keep_id is not None else self.current_id()
        rows = [c for c in self._all if self.show_resolved.isChecked() or not c.resolved]
        self.model.set_rows(rows)
        open_count = sum(1 for c in self._all if not c.resolved)
        detached = sum(1 for c in self._all if c.detached)
        text = self.tr("{open} open").format(open=open_count)
        if detached:
            text += self.tr(" · {n} detached").format(n=detached)
        self.heading.setText(text)
        self._update_tab_titles()
        self.empty.setVisible(not rows)
        self.list.setVisible(bool(rows))
        if keep_id is not None:
            for row, c in enumerate(rows):
                if c.id == keep_id:
                    self.list.setCurrentIndex(self.model.index(row))
        self._update_buttons()

    def _update_tab_titles(self) -> None:
        open_count = sum(1 for c in self._all if not c.resolved)
        self.tabs.setTabText(0, self.tr("Comments ({n} open)").format(n=open_count) if open_count
                             else self.tr("Comments"))
        self.tabs.setTabText(1, self.rubric.tab_title())

    def comments(self) -> list[CommentRow]:
        """Every comment of the post placed on the shown revision (resolved ones too)."""
        return list(self._all)

    def current_id(self) -> int | None:
        index = self.list.currentIndex()
        return index.data(CommentIdRole) if index.isValid() else None

    def current(self) -> CommentRow | None:
        index = self.list.currentIndex()
        return index.data(CommentRowRole) if index.isValid() else None

    def _update_buttons(self) -> None:
        c = self.current()
        self.resolve.setEnabled(c is not None)
        self.delete.setEnabled(c is not None)
        self.resolve.setText(self.tr("Reopen") if c is not None and c.resolved else self.tr("Resolve"))

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._update_buttons()
        if current.isValid():
            self.sig_comment_activated.emit(current.data(CommentIdRole))

    def select_comment(self, feedback_id: int) -> bool:
        """Make one comment current (showing resolved ones if need be); False if it is not on this post."""
        if not any(c.id == feedback_id for c in self._all):
            return False
        if not self.show_resolved.isChecked():
            self.show_resolved.setChecked(True)
        self.tabs.setCurrentIndex(0)
        row = next(i for i, c in enumerate(self.model.rows) if c.id == feedback_id)
        self.list.setCurrentIndex(self.model.index(row))
        self.list.scrollTo(self.model.index(row))
        return True

    def step(self, delta: int) -> CommentRow | None:
        """Move to the next (1) or previous (-1) comment, wrapping around."""
        count = self.model.rowCount()
        if not count:
            return None
        row = self.list.currentIndex().row()
        row = (0 if delta > 0 else count - 1) if row < 0 else (row + delta) % count
        self.list.setCurrentIndex(self.model.index(row))
        self.list.scrollTo(self.model.index(row))
        return self.current()

    # ---- composing ---------------------------------------------------------------------------------------

    def begin_comment(self, start: int | None, end: int | None, quoted: str,
                      locate: Callable[[], tuple[int | None, int | None]] | None = None) -> None:
        """Open the composer for a passage (or the whole post when nothing is selected).

        ``locate`` gives the passage's range again when the comment is stored, in case the text moved meanwhile.
        """
        self._pending = (start, end)
        self._locate = locate
        quoted = quoted.strip().replace("\u2029", " ").replace("\n", " ")
        if quoted:
            self.quote.setText("“" + (quoted if len(quoted) <= 160 else quoted[:159] + "…") + "”")
        else:
            self.quote.setText(self.tr("On the whole post (select a passage first to anchor a comment)"))
        self.tabs.setCurrentIndex(0)
        self.composer.show()
        self.comment_input.clear()
        self.comment_input.setFocus()

    def commit_comment(self) -> int | None:
        """Store the comment being written; returns its id (None when nothing was stored)."""
        if self.revision_id is None:
            return None
        start, end = self._locate() if self._locate is not None else self._pending
        try:
            fid = feedback.add_comment(self._ws, revision_id=self.revision_id, start=start, end=end,
                                       comment=self.comment_input.toPlainText())
        except Exception as exc:  # noqa: BLE001 - shown; the composer keeps the text
            show_error(self, self.tr("Could not add the comment"), exc)
            return None
        self.cancel_comment()
        self.reload(keep_id=fid)
        self.sig_changed.emit()
        return fid

    def cancel_comment(self) -> None:
        self.composer.hide()
        self.comment_input.clear()
        self._pending = (None, None)
        self._locate = None

    def eventFilter(self, obj, event) -> bool:  # noqa: ANN001, N802 - Qt override
        from PySide6.QtCore import QEvent

        if obj is self.comment_input and event.type() == QEvent.Type.KeyPress:
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and \
                    event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                self.commit_comment()
                return True
            if event.key() == Qt.Key.Key_Escape:
                self.cancel_comment()
                return True
        return super().eventFilter(obj, event)

    # ---- acting on a comment -----------------------------------------------------------------------------

    def _on_resolve(self) -> None:
        c = self.current()
        if c is None:
            return
        try:
            feedback.set_resolved(self._ws, feedback_id=c.id, resolved=not c.resolved)
        except Exception as exc:  # noqa: BLE001 - shown to the user
            show_error(self, self.tr("Could not change the comment"), exc)
        self.reload(keep_id=c.id)
        self.sig_changed.emit()

    def _on_delete(self) -> None:
        c = self.current()
        if c is None:
            return
        try:
            feedback.delete_comment(self._ws, feedback_id=c.id, expected_version=c.version, seen=c.comment)
        except ConflictError as exc:
            # A colleague reworded it meanwhile: show both wordings; their comment stays.
            from esncoach.views.team.conflict import resolve_conflict

            resolve_conflict(self, exc)
        except Exception as exc:  # noqa: BLE001 - shown to the user
            show_error(self, self.tr("Could not delete the comment"), exc)
        self.reload()
        self.sig_changed.emit()
