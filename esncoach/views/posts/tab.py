"""The exec page's "Practice posts" tab: the exec's drafts on the left, the workbench for one on the right."""

from __future__ import annotations

import html

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QLabel,
    QListView,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from esncoach.models import PostStatus
from esncoach.services import execs, feedback, posts, prompts
from esncoach.services.posts import KIND_LABELS, STATUS_LABELS, PostRow
from esncoach.store.errors import ValidationError
from esncoach.store.workspace import Workspace
from esncoach.views.dates import date_text
from esncoach.views.latest_load import LatestLoad
from esncoach.views.posts.feedback_panel import LIST_STYLE, HtmlDelegate, HtmlRole
from esncoach.views.messages import show_error
from esncoach.views.posts.workbench import STATUS_COLOURS, PostWorkbench

PostIdRole = Qt.ItemDataRole.UserRole + 10


def _post_card(p: PostRow) -> str:
    bg, fg = STATUS_COLOURS[p.status]
    meta = [KIND_LABELS[p.kind], f"rev. {p.revision_number}"]
    if p.status == PostStatus.PUBLISHED and p.published_on:
        meta.append(date_text(p.published_on, year=False))
    else:
        meta.append(date_text(p.updated_at, year=False))
    comments = (f" · <span style='color:#92400e'>{p.open_comments} open comment{'s' if p.open_comments != 1 else ''}"
                "</span>") if p.open_comments else ""
    return (f"<div><b>{html.escape(p.display_title)}</b></div>"
            f"<div style='margin-top:3px'><span style='background:{bg}; color:{fg}'>&nbsp;{STATUS_LABELS[p.status]}&nbsp;"
            f"</span> <span style='color:#6b7785'>{' · '.join(meta)}</span>{comments}</div>")


class PostListModel(QAbstractListModel):
    """An exec's posts as cards: title, status, kind, revision and open comments."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[PostRow] = []

    def set_rows(self, rows: list[PostRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        p = self.rows[index.row()]
        if role == HtmlRole:
            return _post_card(p)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return f"{p.display_title} — {STATUS_LABELS[p.status]}"
        if role == PostIdRole:
            return p.id
        return None

    def row_of(self, post_id: int) -> int:
        return next((i for i, p in enumerate(self.rows) if p.id == post_id), -1)


class PostsTab(QWidget):
    """Drafts per exec, started blank or from a prompt, worked on in the workbench."""

    sig_data_changed = Signal()
    """A post was started, deleted or moved along the workflow (not on every autosave: the page reloads)."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = ws
        self._exec_id: int | None = None
        self._rows_exec: int | None = None
        """The exec whose posts the list holds (None while another exec's are read)."""
        self.loader = LatestLoad(self, self.tr("Practice posts"))

        self.new_button = QPushButton(self.tr("New draft"))
        self.new_button.setToolTip(self.tr("Start a blank practice post (Ctrl+Shift+T)"))
        self.prompt_button = QPushButton(self.tr("From an idea…"))
        self.prompt_button.setToolTip(self.tr("Start a draft from the prompts library for the exec's ladder stage"))
        self.filter = QComboBox()
        self.filter.addItem(self.tr("All posts"), None)
        for status in PostStatus:
            self.filter.addItem(self.tr(STATUS_LABELS[status]), status)
        self.model = PostListModel(self)
        self.list = QListView()
        self.list.setObjectName("postList")
        self.list.setModel(self.model)
        self.list.setItemDelegate(HtmlDelegate(self.list))
        self.list.setUniformItemSizes(False)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setStyleSheet(LIST_STYLE.format(bg="#e6effa", edge="#2f5d8a"))
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self._empty_text = self.tr("No practice posts yet.\n\nStart with a short update in the exec's private "
                                   "space: New draft, or pick an idea for their ladder stage.")
        self.empty = QLabel(self._empty_text)
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.empty.setStyleSheet("color: #6b7785; padding: 10px;")

        self.delete_action = QAction(self.tr("Delete post…"), self.list)
        self.delete_action.setShortcut(QKeySequence.StandardKey.Delete)
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.delete_action.triggered.connect(self._on_delete)
        self.list.addAction(self.delete_action)
        self.new_action = QAction(self.tr("New draft"), self)
        self.new_action.setShortcut(QKeySequence("Ctrl+Shift+T"))
        self.new_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.new_action.triggered.connect(self.new_draft)
        self.addAction(self.new_action)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 6, 0)
        left_layout.addWidget(self.new_button)
        left_layout.addWidget(self.prompt_button)
        left_layout.addWidget(self.filter)
        left_layout.addWidget(self.list, 1)
        left_layout.addWidget(self.empty, 1)

        self.workbench = PostWorkbench(ws)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.workbench)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 4)
        self.splitter.setSizes([210, 1000])
        left.setMinimumWidth(140)
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.splitter)

        self.new_button.clicked.connect(self.new_draft)
        self.prompt_button.clicked.connect(self.draft_from_prompt)
        self.filter.currentIndexChanged.connect(lambda: self.refresh())
        self.list.selectionModel().currentChanged.connect(self._on_current_changed)
        self.workbench.sig_post_changed.connect(self._on_post_changed)
        self.workbench.sig_status_changed.connect(self.sig_data_changed)
        self.set_exec(None)

    def set_exec(self, exec_id: int | None) -> None:
        """Show another exec's posts (typed text of the previous one is saved first).

        Another exec's list is read on a worker (the tab says it is loading); the same exec again (a refresh
        after an edit elsewhere) is re-read at once, keeping the post and the text being worked on.
        """
        self.workbench.flush()
        same = exec_id == self._exec_id and exec_id == self._rows_exec
        self._exec_id = exec_id
        self.workbench.set_exec(exec_id)
        for w in (self.new_button, self.prompt_button, self.filter):
            w.setEnabled(exec_id is not None)
        if exec_id is None or same:
            self.refresh(select_first=not same)
            return
        self._rows_exec = None
        self.model.set_rows([])
        self.list.setVisible(False)
        self.empty.setText(self.tr("Loading…"))
        self.empty.setVisible(True)
        ws, status = self._ws, self.filter.currentData()
        self.loader.load(lambda: posts.list_posts(ws, exec_id=exec_id, status=status),
                         lambda rows: self._show_rows(rows, None, select_first=True, post_next_turn=True))

    def refresh(self, select_id: int | None = None, *, select_first: bool = False) -> None:
        """Re-read the list now, keeping (or choosing) the selected post."""
        self.loader.drop()
        rows = (posts.list_posts(self._ws, exec_id=self._exec_id, status=self.filter.currentData())
                if self._exec_id is not None else [])
        self._show_rows(rows, select_id, select_first=select_first)

    def _show_rows(self, rows: list[PostRow], select_id: int | None, *, select_first: bool,
                   post_next_turn: bool = False) -> None:
        current = select_id if select_id is not None else (None if select_first else self.current_post_id())
        self._rows_exec = self._exec_id
        self.empty.setText(self._empty_text)
        self.list.selectionModel().blockSignals(True)
        self.model.set_rows(rows)
        row = self.model.row_of(current) if current is not None else -1
        if row < 0 and rows:
            row = 0
        if row >= 0:
            self.list.setCurrentIndex(self.model.index(row))
        self.list.selectionModel().blockSignals(False)
        self.list.setVisible(bool(rows))
        self.empty.setVisible(not rows)
        wanted = rows[row].id if row >= 0 else None
        shown = self.workbench.post.id if self.workbench.post else None
        if wanted != shown and post_next_turn and wanted is not None:
            QTimer.singleShot(0, self, lambda: self._show_post_later(wanted))  # the list paints first
        elif wanted != shown:
            self.workbench.set_post(wanted)
        elif wanted is not None:
            self.workbench.refresh()  # settings or another view may have changed what it shows

    def _show_post_later(self, post_id: int) -> None:
        """The second step after a list read on a worker: its first post, unless the user picked one meanwhile."""
        if self._rows_exec == self._exec_id and self.current_post_id() == post_id and self.workbench.post is None:
            self.workbench.set_post(post_id)

    def current_post_id(self) -> int | None:
        index = self.list.currentIndex()
        return index.data(PostIdRole) if index.isValid() else None

    def select_post(self, post_id: int) -> None:
        """Show one post (e.g. from coaching mode or a report link)."""
        if self.model.row_of(post_id) < 0:
            self.filter.setCurrentIndex(0)
        self.refresh(select_id=post_id)

    def show_item(self, kind: str, item_id: int) -> bool:
        """Open a search hit: a post, one of its revisions, or a comment with its passage (search popup contract)."""
        if kind not in ("post", "revision", "feedback") or self._exec_id is None:
            return False
        try:
            if kind == "post":
                post_id, revision_id, feedback_id = item_id, None, None
            elif kind == "revision":
                post_id, revision_id, feedback_id = posts.get_revision(self._ws, revision_id=item_id).post_id, item_id, None
            else:
                _exec, post_id, revision_id = feedback.comment_location(self._ws, feedback_id=item_id)
                feedback_id = item_id
            if posts.get_post(self._ws, post_id=post_id).exec_id != self._exec_id:
                return False
        except ValidationError:
            return False
        self.select_post(post_id)
        if feedback_id is not None and revision_id is not None:
            return self.workbench.show_comment(feedback_id, revision_id)
        if revision_id is not None:
            self.workbench.set_post(post_id, revision_id=revision_id)
        return True

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        post_id = current.data(PostIdRole) if current.isValid() else None
        if post_id != (self.workbench.post.id if self.workbench.post else None):
            self.workbench.set_post(post_id)

    def _on_post_changed(self, post_id: int) -> None:
        row = self.model.row_of(post_id)
        if row >= 0:
            self.model.rows[row] = posts.get_post(self._ws, post_id=post_id)
            index = self.model.index(row)
            self.model.dataChanged.emit(index, index)

    def new_draft(self) -> int | None:
        """Start a blank short update for the exec and put the cursor in it."""
        if self._exec_id is None:
            return None
        self.workbench.flush()
        try:
            post_id = posts.create_post(self._ws, exec_id=self._exec_id)
        except Exception as exc:  # noqa: BLE001 - shown to the user
            show_error(self, self.tr("Could not start a draft"), exc)
            return None
        self.filter.setCurrentIndex(0)
        self.refresh(select_id=post_id)
        self.workbench.editor.title.setFocus()
        self.sig_data_changed.emit()
        return post_id

    def draft_from_prompt(self) -> int | None:
        """Pick an idea from the library (for the exec's stage) and start a draft from it."""
        if self._exec_id is None:
            return None
        from esncoach.views.posts.prompts_dialog import PromptsDialog

        stage = execs.get_exec(self._ws, self._exec_id).stage
        dialog = PromptsDialog(self._ws, stage, self)
        if not dialog.exec() or dialog.chosen_prompt_id is None:
            return None
        self.workbench.flush()
        post_id = prompts.start_draft(self._ws, exec_id=self._exec_id, prompt_id=dialog.chosen_prompt_id)
        self.filter.setCurrentIndex(0)
        self.refresh(select_id=post_id)
        self.workbench.editor.text.setFocus()
        self.sig_data_changed.emit()
        return post_id

    def _on_delete(self) -> None:
        post_id = self.current_post_id()
        if post_id is None:
            return
        row = posts.get_post(self._ws, post_id=post_id)
        answer = QMessageBox.question(
            self, self.tr("Delete post"),
            self.tr("Delete “%1” with its %n revision(s), comments and scores?", "", row.revision_number)
            .replace("%1", row.display_title))
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.workbench.set_post(None)
        posts.delete_post(self._ws, post_id=post_id)
        self.refresh(select_first=True)
        self.sig_data_changed.emit()
