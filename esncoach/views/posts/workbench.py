"""One practice post at work: the editor beside the feedback, with the review workflow's actions.

Reusable on its own (coaching mode embeds it for the current draft): ``PostWorkbench(ws, parent)``,
then ``set_exec(exec_id)`` and ``set_post(post_id)``.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence, QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from esncoach.models import PostStatus
from esncoach.services import posts
from esncoach.services.posts import STATUS_LABELS, PostRow
from esncoach.store.workspace import Workspace
from esncoach.views.dates import date_text
from esncoach.views.posts.feedback_panel import FeedbackPanel
from esncoach.views.form_dialog import FormDialog
from esncoach.views.messages import show_error
from esncoach.views.posts.editor import AnchorMark, PostEditor

STATUS_COLOURS = {
    PostStatus.DRAFT: ("#eef1f4", "#3d4752"),
    PostStatus.IN_REVIEW: ("#dbeafe", "#1e40af"),
    PostStatus.CHANGES_REQUESTED: ("#fef3c7", "#92400e"),
    PostStatus.READY: ("#d9f2e0", "#14532d"),
    PostStatus.PUBLISHED: ("#ede9fe", "#5b21b6"),
}

# Chosen not to collide with the main window (Ctrl+Shift+A/N/P…) or coaching mode (Ctrl+Shift+D/M/P), which
# embed this widget: Qt fires neither action when a shortcut is ambiguous. Ctrl+Alt+M is Word's "new comment".
SHORTCUTS = {
    "add_comment": "Ctrl+Alt+M",
    "next_comment": "F8",
    "previous_comment": "Shift+F8",
    "submit": "Ctrl+Shift+Return",
    "request_changes": "Ctrl+Shift+R",
    "mark_ready": "Ctrl+Shift+G",
    "copy": "Ctrl+Shift+C",
    "compare": "Ctrl+Shift+H",
    "save": "Ctrl+S",
}


class PublishDialog(FormDialog):
    """The date a ready post went live and its link, so metrics can be related to it later."""

    def __init__(self, ws: Workspace, post_id: int, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Mark published"), parent)
        self._ws, self._post_id = ws, post_id
        self.date = QDateEdit(QDate.currentDate())
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("d MMM yyyy")
        self.date.setMaximumDate(QDate.currentDate())
        self.url = QLineEdit()
        self.url.setPlaceholderText("https://…")
        self.form.addRow(self.tr("Published on:"), self.date)
        self.form.addRow(self.tr("Link to the post:"), self.url)
        self.field_widgets = {"published_on": self.date, "published_url": self.url}

    def save(self) -> PostRow:
        return posts.mark_published(self._ws, post_id=self._post_id, on=self.date.date().toPython(),
                                    url=self.url.text())


class PostWorkbench(QWidget):
    """Editor, comments and rubric for one post, and the buttons that move it along the workflow."""

    sig_post_changed = Signal(int)
    """A post (id) changed: status, text, details, comments or scores; lists showing it should refresh."""
    sig_status_changed = Signal(int)
    """A post (id) moved along the workflow (or was published); other views may count it differently now."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = ws
        self.exec_id: int | None = None
        self.post: PostRow | None = None
        self.shown_revision_id: int | None = None

        self.status_chip = QLabel()
        self.status_chip.setObjectName("statusChip")
        self.revision_combo = QComboBox()
        self.revision_combo.setObjectName("revisionCombo")
        self.revision_combo.setToolTip(self.tr("Show an earlier revision with the comments made on it"))
        self.published_label = QLabel()
        self.published_label.setOpenExternalLinks(True)
        self.notice = QLabel()
        self.notice.setStyleSheet("color: #2e7d4f;")
        self._notice_timer = QTimer(self)
        self._notice_timer.setSingleShot(True)
        self._notice_timer.setInterval(4000)
        self._notice_timer.timeout.connect(self.notice.clear)

        self.actions: dict[str, QAction] = {}
        self.buttons: dict[str, QToolButton] = {}
        specs: list[tuple[str, str, Callable[[], object]]] = [
            ("submit", self.tr("Submit for review"), self.submit_for_review),
            ("request_changes", self.tr("Request changes"), self.request_changes),
            ("mark_ready", self.tr("Mark ready"), self.mark_ready),
            ("publish", self.tr("Mark published…"), self.publish),
            ("unpublish", self.tr("Undo publish"), self.unpublish),
            ("copy", self.tr("Copy text"), self.copy_text),
            ("compare", self.tr("Compare…"), self.compare),
            ("add_comment", self.tr("Comment…"), self.add_comment),
            ("next_comment", self.tr("Next comment"), lambda: self.step_comment(1)),
            ("previous_comment", self.tr("Previous comment"), lambda: self.step_comment(-1)),
            ("save", self.tr("Save now"), self.flush),
        ]
        for name, text, slot in specs:
            action = QAction(text, self)
            if name in SHORTCUTS:
                action.setShortcut(QKeySequence(SHORTCUTS[name]))
                action.setToolTip(f"{text} ({QKeySequence(SHORTCUTS[name]).toString(QKeySequence.SequenceFormat.NativeText)})")
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.addAction(action)
            self.actions[name] = action

        bar = QHBoxLayout()
        bar.addWidget(self.status_chip)
        bar.addWidget(self.revision_combo)
        bar.addWidget(self.published_label)
        bar.addWidget(self.notice)
        bar.addStretch(1)
        self.editor = PostEditor(ws)
        self.panel = FeedbackPanel(ws)
        # The bar keeps only the workflow moves (at most two show at once), so it fits a narrow page.
        homes = {"add_comment": self.panel.action_row, "compare": self.editor.footer, "copy": self.editor.footer}
        for name in ("add_comment", "compare", "copy", "request_changes", "submit", "mark_ready", "publish",
                     "unpublish"):
            button = QToolButton()
            button.setDefaultAction(self.actions[name])
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setObjectName(f"{name}Button")
            self.buttons[name] = button
            home = homes.get(name)
            if home is None:
                bar.addWidget(button)
            else:
                home.insertWidget(0 if name == "add_comment" else home.count(), button)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.editor)
        self.splitter.addWidget(self.panel)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([600, 330])
        self.splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.splitter, 1)

        self.revision_combo.currentIndexChanged.connect(self._on_revision_chosen)
        self.editor.sig_saved.connect(self._on_saved)
        self.panel.sig_changed.connect(self._on_feedback_changed)
        self.panel.sig_comment_activated.connect(self._on_comment_activated)
        self.set_post(None)

    # ---- what is shown -----------------------------------------------------------------------------------

    def set_exec(self, exec_id: int | None) -> None:
        """Follow the exec selection; a post of another exec is put away."""
        self.exec_id = exec_id
        if self.post is not None and self.post.exec_id != exec_id:
            self.set_post(None)

    def set_post(self, post_id: int | None, *, revision_id: int | None = None) -> None:
        """Show a post at its working revision (or an earlier one); None shows nothing."""
        if not self.editor.flush():
            return
        self.post = posts.get_post(self._ws, post_id=post_id) if post_id is not None else None
        if self.post is not None:
            self.exec_id = self.post.exec_id
        self.revision_combo.blockSignals(True)
        self.revision_combo.clear()
        if self.post is not None:
            revs = posts.list_revisions(self._ws, post_id=self.post.id)
            for rev in reversed(revs):
                label = self.tr("Revision {n}").format(n=rev.number)
                if rev.id == self.post.revision_id:
                    label += self.tr(" (current)")
                else:
                    label += " · " + date_text(rev.created_at, year=False)
                self.revision_combo.addItem(label, rev.id)
            wanted = revision_id if revision_id is not None else self.post.revision_id
            self.revision_combo.setCurrentIndex(max(0, self.revision_combo.findData(wanted)))
        self.revision_combo.blockSignals(False)
        self._show_revision()

    def show_comment(self, feedback_id: int, revision_id: int) -> bool:
        """Show a comment and its passage: on the working text, or on its own revision if the passage is gone."""
        if self.post is None:
            return False
        if self.shown_revision_id != self.post.revision_id:
            self.set_post(self.post.id)
        row = next((c for c in self.panel.comments() if c.id == feedback_id), None)
        if row is not None and row.detached:
            self.set_post(self.post.id, revision_id=revision_id)
        return self.panel.select_comment(feedback_id)

    def refresh(self) -> None:
        """Re-read the shown post (after an edit elsewhere)."""
        self.set_post(self.post.id if self.post else None, revision_id=self.shown_revision_id)

    def _show_revision(self) -> None:
        post = self.post
        self.shown_revision_id = self.revision_combo.currentData() if post is not None else None
        if post is None or self.shown_revision_id == post.revision_id:
            self.editor.load(post)
        else:
            rev = posts.get_revision(self._ws, revision_id=self.shown_revision_id)
            self.editor.load(post, text=rev.text, text_editable=False)
        self.panel.set_revision(post.id if post else None, self.shown_revision_id)
        self.panel.setEnabled(post is not None)
        self._update_marks()
        self._update_bar()

    def _on_revision_chosen(self) -> None:
        self.editor.flush()
        self._show_revision()

    def _update_bar(self) -> None:
        post = self.post
        status = post.status if post else None
        self.status_chip.setVisible(post is not None)
        self.revision_combo.setVisible(post is not None and self.revision_combo.count() > 1)
        if post is not None:
            bg, fg = STATUS_COLOURS[post.status]
            self.status_chip.setText(self.tr(STATUS_LABELS[post.status]))
            self.status_chip.setStyleSheet(
                f"QLabel#statusChip {{ background: {bg}; color: {fg}; border-radius: 9px; padding: 3px 10px;"
                " font-weight: 600; }")
        if post is not None and post.status == PostStatus.PUBLISHED and post.published_on:
            link = (f" · <a href='{post.published_url}'>{self.tr('open on the network')}</a>"
                    if post.published_url else "")
            self.published_label.setText(self.tr("on {date}").format(date=date_text(post.published_on)) + link)
        else:
            self.published_label.clear()
        visible = {
            "submit": status in (PostStatus.DRAFT, PostStatus.CHANGES_REQUESTED),
            "request_changes": status in (PostStatus.IN_REVIEW, PostStatus.READY),
            "mark_ready": status == PostStatus.IN_REVIEW,
            "publish": status == PostStatus.READY,
            "unpublish": status == PostStatus.PUBLISHED,
            "copy": post is not None,
            "compare": post is not None,
            "add_comment": post is not None and status != PostStatus.PUBLISHED,
        }
        for name, show in visible.items():
            self.actions[name].setEnabled(show)
            self.buttons[name].setVisible(show)
        self.actions["compare"].setEnabled(post is not None and post.revision_number > 1)
        self.actions["submit"].setText(self.tr("Submit revision for review") if status == PostStatus.CHANGES_REQUESTED
                                       else self.tr("Submit for review"))
        has_comments = bool(self.panel.comments())
        self.actions["next_comment"].setEnabled(has_comments)
        self.actions["previous_comment"].setEnabled(has_comments)

    def _update_marks(self) -> None:
        current = self.panel.current_id()
        self.editor.text.set_marks([
            AnchorMark(c.start, c.end, c.resolved, c.id == current)
            for c in self.panel.comments()
            if c.start is not None and c.end is not None and (not c.resolved or c.id == current)
        ])

    # ---- comments ----------------------------------------------------------------------------------------

    def add_comment(self) -> None:
        """Comment on the selected passage (or on the whole post when nothing is selected)."""
        if self.post is None or self.post.status == PostStatus.PUBLISHED:
            return
        if not self.editor.flush():
            return
        start, end = self.editor.text.selection()
        quoted = self.editor.text.textCursor().selectedText()
        if start == end:
            self.panel.begin_comment(None, None, "")
            return
        # A cursor in the document follows the passage if the text changes while the comment is written.
        tracker = QTextCursor(self.editor.text.textCursor())

        def locate() -> tuple[int | None, int | None]:
            self.editor.flush()
            return (tracker.selectionStart(), tracker.selectionEnd()) if tracker.hasSelection() else (None, None)

        self.panel.begin_comment(start, end, quoted, locate)

    def step_comment(self, delta: int) -> None:
        """Go to the next or previous comment and show its passage."""
        if self.editor.dirty:
            self.editor.flush()  # so passages are placed on the text as it is now
        self.panel.step(delta)

    def _on_comment_activated(self, feedback_id: int) -> None:
        self._update_marks()
        c = self.panel.current()
        if c is not None and c.start is not None and c.end is not None:
            self.editor.text.show_range(c.start, c.end)

    def _on_feedback_changed(self) -> None:
        if self.editor.dirty:
            self.editor.flush()  # re-reads the comments on the saved text before the tints are placed
        self._update_marks()
        self._update_bar()
        if self.post is not None:
            self.sig_post_changed.emit(self.post.id)

    def _on_saved(self) -> None:
        if self.post is None:
            return
        self.post = self.editor.post or self.post
        self.panel.reload()
        self._update_marks()
        self.sig_post_changed.emit(self.post.id)

    # ---- workflow ----------------------------------------------------------------------------------------

    def flush(self) -> bool:
        """Save typed text now."""
        return self.editor.flush()

    def _move(self, fn: Callable[..., PostRow], title: str) -> bool:
        if self.post is None or not self.editor.flush():
            return False
        try:
            row = fn(self._ws, post_id=self.post.id)
        except Exception as exc:  # noqa: BLE001 - the sentence says why the move is not allowed
            show_error(self, title, exc)
            return False
        self.set_post(row.id)
        self.sig_post_changed.emit(row.id)
        self.sig_status_changed.emit(row.id)
        return True

    def submit_for_review(self) -> bool:
        return self._move(posts.submit_for_review, self.tr("Could not submit the post"))

    def request_changes(self) -> bool:
        """Return the post to the exec; a new revision opens for their changes."""
        ok = self._move(posts.request_changes, self.tr("Could not request changes"))
        if ok:
            self._flash(self.tr("Revision {n} opened for the exec's changes").format(n=self.post.revision_number))
        return ok

    def mark_ready(self) -> bool:
        return self._move(posts.mark_ready, self.tr("Could not mark the post ready"))

    def unpublish(self) -> bool:
        return self._move(posts.unpublish, self.tr("Could not undo the publication"))

    def publish(self) -> bool:
        """Ask for the date and link, then mark the post published."""
        if self.post is None or self.post.status != PostStatus.READY or not self.editor.flush():
            return False
        dialog = PublishDialog(self._ws, self.post.id, self)
        if not dialog.exec():
            return False
        self.set_post(self.post.id)
        self.sig_post_changed.emit(self.post.id)
        self.sig_status_changed.emit(self.post.id)
        return True

    def copy_text(self) -> str:
        """Put the final text on the clipboard, ready to paste into the network."""
        if self.post is None or not self.editor.flush():
            return ""
        text = posts.final_text(self._ws, post_id=self.post.id)
        QGuiApplication.clipboard().setText(text)
        self._flash(self.tr("Copied {n:,} characters").format(n=len(text)))
        return text

    def compare(self) -> None:
        """Open the side-by-side comparison of the shown revision with the one before."""
        if self.post is None or self.post.revision_number < 2:
            return
        from esncoach.views.posts.revision_compare import RevisionCompareDialog

        self.editor.flush()
        shown = self.shown_revision_id
        revs = [r.id for r in posts.list_revisions(self._ws, post_id=self.post.id)]
        new_id = shown if shown in revs and revs.index(shown) > 0 else revs[-1]
        dialog = RevisionCompareDialog(self._ws, self.post.id, self, new_revision_id=new_id)
        self.compare_dialog = dialog
        dialog.open()

    def _flash(self, text: str) -> None:
        self.notice.setText(text)
        self._notice_timer.start()

    def hideEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt override
        self.editor.flush()
        super().hideEvent(event)
