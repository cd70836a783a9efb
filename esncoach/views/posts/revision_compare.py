"""Two revisions of a post side by side, with what was removed and what was added marked."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from esncoach.services import posts
from esncoach.services.posts import Comparison, RevisionRow
from esncoach.store.workspace import Workspace
from esncoach.views.dates import date_text
from esncoach.views.window_size import fit_to_screen

REMOVED = "background:#fde4e1; color:#8c1d18; text-decoration:line-through;"
ADDED = "background:#d9f2e0; color:#14532d;"


def _esc(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def comparison_html(cmp: Comparison) -> tuple[str, str]:
    """The old and new texts as HTML, removals struck through on the left, additions tinted on the right."""
    left, right = [], []
    for seg in cmp.segments:
        if seg.op == "equal":
            left.append(_esc(seg.old))
            right.append(_esc(seg.new))
            continue
        if seg.old:
            left.append(f"<span style='{REMOVED}'>{_esc(seg.old)}</span>")
        if seg.new:
            right.append(f"<span style='{ADDED}'>{_esc(seg.new)}</span>")
    wrap = "<div style='line-height:140%'>{}</div>"
    return wrap.format("".join(left)), wrap.format("".join(right))


class RevisionCompareDialog(QDialog):
    """Pick any two revisions; the panes scroll together."""

    def __init__(self, ws: Workspace, post_id: int, parent: QWidget | None = None,
                 old_revision_id: int | None = None, new_revision_id: int | None = None) -> None:
        super().__init__(parent)
        self._ws = ws
        post = posts.get_post(ws, post_id=post_id)
        self.setWindowTitle(self.tr("Compare revisions — {title}").format(title=post.display_title))
        fit_to_screen(self, 1000, 620)
        self.revisions: list[RevisionRow] = posts.list_revisions(ws, post_id=post_id)
        self.old_combo, self.new_combo = QComboBox(), QComboBox()
        for rev in self.revisions:
            label = self.tr("Revision {n} · {date}").format(n=rev.number, date=date_text(rev.created_at))
            self.old_combo.addItem(label, rev.id)
            self.new_combo.addItem(label, rev.id)
        ids = [r.id for r in self.revisions]
        new_id = new_revision_id if new_revision_id in ids else ids[-1]
        old_default = ids[max(0, ids.index(new_id) - 1)]
        old_id = old_revision_id if old_revision_id in ids else old_default
        self.old_combo.setCurrentIndex(ids.index(old_id))
        self.new_combo.setCurrentIndex(ids.index(new_id))

        self.old_view, self.new_view = QTextBrowser(), QTextBrowser()
        for view in (self.old_view, self.new_view):
            view.setOpenLinks(False)
            font = view.font()
            font.setPointSizeF(font.pointSizeF() * 1.1)
            view.setFont(font)
        self.summary = QLabel()
        self.summary.setObjectName("compareSummary")

        head = QHBoxLayout()
        head.addWidget(QLabel(self.tr("&Earlier:")))
        head.itemAt(0).widget().setBuddy(self.old_combo)
        head.addWidget(self.old_combo, 1)
        head.addSpacing(24)
        later = QLabel(self.tr("&Later:"))
        later.setBuddy(self.new_combo)
        head.addWidget(later)
        head.addWidget(self.new_combo, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.old_view)
        split.addWidget(self.new_view)
        legend = QLabel(self.tr("<span style='{r}'>&nbsp;removed&nbsp;</span> &nbsp; "
                                "<span style='{a}'>&nbsp;added&nbsp;</span>").format(r=REMOVED, a=ADDED))
        foot = QHBoxLayout()
        foot.addWidget(self.summary, 1)
        foot.addWidget(legend)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(split, 1)
        layout.addLayout(foot)
        layout.addWidget(buttons)

        self.old_combo.currentIndexChanged.connect(self.refresh)
        self.new_combo.currentIndexChanged.connect(self.refresh)
        self._syncing = False
        self.old_view.verticalScrollBar().valueChanged.connect(lambda v: self._sync(self.old_view, self.new_view))
        self.new_view.verticalScrollBar().valueChanged.connect(lambda v: self._sync(self.new_view, self.old_view))
        self.refresh()

    def refresh(self) -> None:
        """Recompute the comparison for the chosen pair."""
        self.comparison = posts.compare_revisions(self._ws, old_revision_id=self.old_combo.currentData(),
                                                  new_revision_id=self.new_combo.currentData())
        left, right = comparison_html(self.comparison)
        self.old_view.setHtml(left)
        self.new_view.setHtml(right)
        cmp = self.comparison
        if cmp.old.id == cmp.new.id:
            self.summary.setText(self.tr("The same revision on both sides."))
        elif not any(s.op != "equal" for s in cmp.segments):
            self.summary.setText(self.tr("No changes between revision {a} and {b}.").format(
                a=cmp.old.number, b=cmp.new.number))
        else:
            self.summary.setText(self.tr("Revision {a} → {b}: {added} words added, {removed} removed.").format(
                a=cmp.old.number, b=cmp.new.number, added=cmp.words_added, removed=cmp.words_removed))

    def _sync(self, source: QTextBrowser, target: QTextBrowser) -> None:
        if self._syncing:
            return
        self._syncing = True
        src, dst = source.verticalScrollBar(), target.verticalScrollBar()
        dst.setValue(round(src.value() / src.maximum() * dst.maximum()) if src.maximum() else 0)
        self._syncing = False
