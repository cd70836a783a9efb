"""The draft editor: post details, plain text with the network's formatting, live counts, hints, autosave."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import QMimeData, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from esncoach.models import DraftedBy, PostKind
from esncoach.services import posts, writing_aids
from esncoach.services.posts import DRAFTED_BY_LABELS, KIND_LABELS, PostRow
from esncoach.services.team_conflicts import ConflictError
from esncoach.store.workspace import Workspace
from esncoach.views.dates import date_text
from esncoach.views.messages import show_error
from esncoach.views.posts.highlighter import PostHighlighter

AUTOSAVE_MS = 3000
AIDS_DELAY_MS = 350

ANCHOR_OPEN = QColor("#fff1b8")
ANCHOR_CURRENT = QColor("#ffd666")
ANCHOR_RESOLVED = QColor("#eef1f4")


@dataclass(frozen=True)
class AnchorMark:
    """A commented passage to tint in the text."""

    start: int
    end: int
    resolved: bool
    current: bool = False


class PostTextEdit(QPlainTextEdit):
    """Plain text only (a paste from Word or a browser arrives as text), with commented passages tinted."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("postText")
        self.setTabChangesFocus(True)
        self.setPlaceholderText(self.tr("Write the post as the exec would say it…"))
        font = self.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.setFont(font)
        self.document().setDocumentMargin(14)
        self._marks: list[AnchorMark] = []

    def insertFromMimeData(self, source: QMimeData) -> None:  # noqa: N802 - Qt override
        if source.hasText():
            self.textCursor().insertText(source.text())

    def canInsertFromMimeData(self, source: QMimeData) -> bool:  # noqa: N802 - Qt override
        return source.hasText()

    def set_marks(self, marks: list[AnchorMark]) -> None:
        """Tint commented passages (the current one stronger, resolved ones faint)."""
        self._marks = marks
        length = self.document().characterCount() - 1
        selections = []
        for mark in sorted(marks, key=lambda m: (m.current, not m.resolved)):
            start, end = max(0, min(mark.start, length)), max(0, min(mark.end, length))
            if end <= start:
                continue
            sel = QTextEdit.ExtraSelection()
            cursor = QTextCursor(self.document())
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            sel.cursor = cursor
            fmt = QTextCharFormat()
            fmt.setBackground(ANCHOR_CURRENT if mark.current else ANCHOR_RESOLVED if mark.resolved else ANCHOR_OPEN)
            if mark.current:
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
                fmt.setUnderlineColor(QColor("#b7791f"))
            sel.format = fmt
            selections.append(sel)
        self.setExtraSelections(selections)

    def select_range(self, start: int, end: int) -> None:
        """Put the cursor on a passage and scroll it into view."""
        length = self.document().characterCount() - 1
        cursor = self.textCursor()
        cursor.setPosition(max(0, min(start, length)))
        cursor.setPosition(max(0, min(end, length)), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    def show_range(self, start: int, end: int) -> None:
        """Scroll a passage into view with the cursor at its start, leaving its highlight visible."""
        length = self.document().characterCount() - 1
        cursor = self.textCursor()
        cursor.setPosition(max(0, min(end, length)))
        self.setTextCursor(cursor)
        self.ensureCursorVisible()
        cursor.setPosition(max(0, min(start, length)))
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    def selection(self) -> tuple[int, int]:
        """The selected range as plain-text offsets (start == end when nothing is selected)."""
        cursor = self.textCursor()
        return cursor.selectionStart(), cursor.selectionEnd()


class PostEditor(QWidget):
    """Edits one post's details and working text; saves details at once and text every few seconds."""

    sig_saved = Signal()
    """The text or details were written to the workspace."""
    sig_text_edited = Signal()
    """The user changed the text (before it is saved); anchors shown may have moved."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = ws
        self.post: PostRow | None = None
        self._dirty = False
        self._loading = False
        self._text_editable = False

        self.title = QLineEdit()
        self.title.setPlaceholderText(self.tr("A working title (not posted)"))
        self.title.setMaxLength(posts.TITLE_MAX)
        self.kind = QComboBox()
        for kind in PostKind:
            self.kind.addItem(self.tr(KIND_LABELS[kind]), kind)
        self.community = QLineEdit()
        self.community.setPlaceholderText(self.tr("e.g. Leadership Corner (optional)"))
        self.community.setMaxLength(posts.COMMUNITY_MAX)
        self.drafted_by = QComboBox()
        for who in DraftedBy:
            self.drafted_by.addItem(self.tr(DRAFTED_BY_LABELS[who]), who)
        self.drafted_by.setToolTip(self.tr("Who typed this draft: delegated posts stay honest."))
        for combo in (self.kind, self.drafted_by):  # long labels must not widen a narrow page
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(5)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.tr("&Title:"), self.title)
        # Kind and drafted-by on rows of their own: side by side, both were cut off on a laptop-width page.
        form.addRow(self.tr("&Kind:"), self.kind)
        form.addRow(self.tr("&Drafted by:"), self.drafted_by)
        form.addRow(self.tr("&Community:"), self.community)

        self.text = PostTextEdit()
        self._jargon: tuple[str, ...] = ()  # read by load() with each post shown, not on the UI thread's first build
        self.highlighter = PostHighlighter(self.text.document(), self._jargon)

        self.counts = QLabel()
        self.counts.setObjectName("postCounts")
        self.counts.setWordWrap(True)
        self.save_state = QLabel()
        self.save_state.setObjectName("saveState")
        self.save_state.setStyleSheet("color: palette(placeholder-text);")
        status_row = QHBoxLayout()
        status_row.addWidget(self.counts, 1)
        status_row.addWidget(self.save_state)
        self.footer = status_row
        """Where the workbench adds its text actions (copy, compare)."""
        self.hints = QLabel()
        self.hints.setObjectName("writingHints")
        self.hints.setWordWrap(True)
        self.hints.setTextFormat(Qt.TextFormat.RichText)
        self.hints.linkActivated.connect(self._on_hint_link)
        self.hints.setStyleSheet("QLabel#writingHints { color: #4a5561; padding: 6px 8px; background: #f5f7f9;"
                                 " border-radius: 6px; }")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(self.text, 1)
        layout.addLayout(status_row)
        layout.addWidget(self.hints)

        self.autosave = QTimer(self)
        self.autosave.setSingleShot(True)
        self.autosave.setInterval(AUTOSAVE_MS)
        self.autosave.timeout.connect(self.flush)
        self.aids_timer = QTimer(self)
        self.aids_timer.setSingleShot(True)
        self.aids_timer.setInterval(AIDS_DELAY_MS)
        self.aids_timer.timeout.connect(self._update_aids)

        self.text.textChanged.connect(self._on_text_changed)
        self.title.editingFinished.connect(self._save_details)
        self.community.editingFinished.connect(self._save_details)
        self.kind.currentIndexChanged.connect(self._on_kind_changed)
        self.drafted_by.currentIndexChanged.connect(self._save_details)

    # ---- loading -----------------------------------------------------------------------------------------

    def load(self, post: PostRow | None, *, text: str | None = None, text_editable: bool | None = None) -> None:
        """Show a post; ``text`` shows an older revision read-only instead of the working text."""
        self.flush()
        self.post = post
        self._loading = True
        try:
            enabled = post is not None
            for w in (self.title, self.kind, self.community, self.drafted_by, self.text):
                w.setEnabled(enabled)
            if post is None:
                self.title.clear()
                self.community.clear()
                self.text.setPlainText("")
                self.counts.clear()
                self.hints.clear()
                self.save_state.clear()
                return
            jargon = tuple(writing_aids.jargon_words(self._ws))
            if jargon != self._jargon:  # the CM edited the list in the settings
                self._jargon = jargon
                self.highlighter.set_jargon(jargon)
            self.title.setText(post.title)
            self.community.setText(post.community)
            self.kind.setCurrentIndex(self.kind.findData(post.kind))
            self.drafted_by.setCurrentIndex(self.drafted_by.findData(post.drafted_by))
            shown = post.text if text is None else text
            if self.text.toPlainText() != shown:
                self.text.setPlainText(shown)
            self._text_editable = post.editable if text_editable is None else text_editable
            self.text.setReadOnly(not self._text_editable)
            self.text.setStyleSheet("" if self._text_editable else "QPlainTextEdit#postText { background: #fafafa; }")
            self.save_state.setText(self._saved_label(post.updated_at))
        finally:
            self._loading = False
        self._dirty = False
        self._update_aids()

    def _saved_label(self, when: dt.datetime) -> str:
        local = when.replace(tzinfo=dt.UTC).astimezone()
        stamp = local.strftime("%H:%M") if local.date() == dt.date.today() else f"{date_text(local, year=False)} {local:%H:%M}"
        return self.tr("Saved {time}").format(time=stamp)

    # ---- saving ------------------------------------------------------------------------------------------

    @property
    def dirty(self) -> bool:
        """Whether typed text is waiting for the next autosave."""
        return self._dirty

    def flush(self) -> bool:
        """Save pending text now (before switching post, changing status or closing). False if it failed."""
        self.autosave.stop()
        if not self._dirty or self.post is None:
            return True
        try:
            posts.save_text(self._ws, post_id=self.post.id, text=self.text.toPlainText(),
                            expected_version=self.post.revision_version, revision_id=self.post.revision_id)
        except ConflictError as exc:
            self._on_conflict(exc)
            return False
        except Exception as exc:  # noqa: BLE001 - shown; the text stays in the editor, nothing is lost
            self.save_state.setText(self.tr("Not saved"))
            show_error(self, self.tr("Could not save the draft"), exc)
            return False
        self._dirty = False
        self.post = posts.get_post(self._ws, post_id=self.post.id)
        self.save_state.setText(self._saved_label(self.post.updated_at))
        self.sig_saved.emit()
        return True

    def _on_conflict(self, exc: ConflictError) -> None:
        """A colleague saved this post's text first: show both, keep both in the editor (theirs, then the
        user's under a marked line) on top of the version now stored; it saves with the next autosave."""
        from esncoach.views.team.conflict import resolve_conflict

        assert self.post is not None
        merged = resolve_conflict(self, exc)
        self.post = posts.get_post(self._ws, post_id=self.post.id)
        self.text.setPlainText(merged)  # marks the editor dirty (and starts the autosave) when editable
        self._dirty = True
        self.save_state.setText(self.tr("Both versions kept: tidy them up, they save as you type"))
        self.sig_saved.emit()

    def _on_details_conflict(self, exc: ConflictError, kind: PostKind, drafted_by: DraftedBy, title: str,
                             community: str) -> None:
        """A colleague changed the details first: show both; the form then holds theirs where the user
        changed nothing and the user's where they did; those are saved when the user next leaves a field."""
        from esncoach.views.team.conflict import resolve_conflict

        assert self.post is not None
        seen = self.post
        resolve_conflict(self, exc)
        self.post = stored = posts.get_post(self._ws, post_id=seen.id)
        self._loading = True
        try:
            if title.strip() == seen.title:
                self.title.setText(stored.title)
            if community.strip() == seen.community:
                self.community.setText(stored.community)
            if kind == seen.kind:
                self.kind.setCurrentIndex(self.kind.findData(stored.kind))
            if drafted_by == seen.drafted_by:
                self.drafted_by.setCurrentIndex(self.drafted_by.findData(stored.drafted_by))
        finally:
            self._loading = False
        self.save_state.setText(self.tr("A colleague changed the details: yours are kept in the form, not saved yet"))
        self.sig_saved.emit()

    def _on_text_changed(self) -> None:
        if self._loading or not self._text_editable:
            return
        self._dirty = True
        self.save_state.setText(self.tr("Editing…"))
        if not self.autosave.isActive():  # not restarted per keystroke: a crash loses at most a few seconds
            self.autosave.start()
        # Long texts are analysed less often so typing in a pasted report stays smooth.
        self.aids_timer.setInterval(AIDS_DELAY_MS + self.text.document().characterCount() // 100)
        self.aids_timer.start()
        self.sig_text_edited.emit()

    def _on_kind_changed(self) -> None:
        self._save_details()
        self._update_aids()

    def _save_details(self) -> None:
        if self._loading or self.post is None:
            return
        p = self.post
        kind, drafted_by = self.kind.currentData(), self.drafted_by.currentData()
        title, community = self.title.text(), self.community.text()
        if (kind, drafted_by, title.strip(), community.strip()) == (p.kind, p.drafted_by, p.title, p.community):
            return
        try:
            posts.update_details(self._ws, post_id=p.id, kind=kind, title=title, community=community,
                                 drafted_by=drafted_by, expected_version=p.version,
                                 seen=(p.kind, p.title, p.community, p.drafted_by))
        except ConflictError as exc:
            self._on_details_conflict(exc, kind, drafted_by, title, community)
            return
        except Exception as exc:  # noqa: BLE001 - shown to the user
            show_error(self, self.tr("Could not save the post details"), exc)
            return
        self.flush()
        self.post = posts.get_post(self._ws, post_id=p.id)
        self.save_state.setText(self._saved_label(self.post.updated_at))
        self.sig_saved.emit()

    # ---- counts and hints --------------------------------------------------------------------------------

    def _update_aids(self) -> None:
        if self.post is None:
            return
        kind = self.kind.currentData() or self.post.kind
        aids = writing_aids.analyse_for(self._ws, self.text.toPlainText(), kind=kind)
        low, high = aids.target or (0, 0)
        colour = {"ok": "#2e7d4f", "short": "#6b7785", "long": "#b45309"}[aids.length_state]
        self.counts.setText(
            self.tr("<b style='color:{c}'>{chars:,}</b> characters · {words:,} words · "
                    "target {low:,}–{high:,} for a {kind}").format(
                c=colour, chars=aids.characters, words=aids.words, low=low, high=high,
                kind=self.tr(KIND_LABELS[kind]).lower()))
        self.counts.setProperty("lengthState", aids.length_state)
        items = [
            f"<li><a href='hint:{h.start}:{h.end}' style='color:#4a5561; text-decoration:none'>{_escape(h.message)}"
            "</a></li>" if h.start is not None else f"<li>{_escape(h.message)}</li>"
            for h in aids.hints
        ]
        self.hints.setText(
            "<b>" + self.tr("Writing hints") + "</b> <span style='color:#8a96a3'>"
            + self.tr("(suggestions, not grades)") + "</span><ul style='margin:2px 0 0 -20px'>"
            + ("".join(items) or "<li>" + self.tr("Nothing to point out.") + "</li>") + "</ul>")
        self.last_aids = aids


    def _on_hint_link(self, link: str) -> None:
        _, start, end = link.split(":")
        self.text.select_range(int(start), int(end))
        self.text.setFocus()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def heading_font(widget: QWidget, scale: float = 1.15) -> QFont:
    """A slightly larger bold font for section headings."""
    font = widget.font()
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(True)
    return font
