"""The "Find anything" popup (Ctrl+K / Ctrl+F): type, move with the arrow keys, Enter opens the item in place.

The main window owns the action (``esncoach.views.menu_actions``: object name
``hook:esncoach.views.search_window:open_search``). Coaching mode makes search unavailable by disabling
that action: a disabled action fires none of its shortcuts, ``open_search`` refuses to open, and an open
popup closes itself when the action is disabled or the main window hides (it would reveal other execs).

Opening a hit selects its exec with ``window.select_exec(exec_id)``, then offers the item to the exec
page's tabs (``window.page.tab_widgets``), in order. The contract for a tab that can show items:

    def show_item(self, kind: str, item_id: int) -> bool:
        '''Bring the item into view (select the session, scroll the draft to the commented passage...);
        return True if this tab showed it, False if it is not this tab's kind.'''

``kind`` is one of ``esncoach.services.search.KINDS`` keys: "exec", "person", "session", "action",
"habit", "check_in", "post", "revision", "feedback", "theme"; ``item_id`` is the row id in its table
(e.g. a feedback id, not its post's). The first tab that returns True becomes the current tab; when
none does, the tab whose title names the item's area is shown (``TAB_TITLE_HINTS``), else the first
tab. ``set_exec`` has already run when ``show_item`` is called.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QKeyEvent, QPainter, QPalette, QTextDocument, QTextOption
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from esncoach.services import search
from esncoach.store.workspace import Workspace
from esncoach.views.dates import iso_date_text
from esncoach.views.icons import icon
from esncoach.views.messages import show_error
from esncoach.views.tasks import Task, run_task

ACTION_NAME = "hook:esncoach.views.search_window:open_search"
TYPING_DELAY_MS = 60
"""Keystrokes closer together than this run one search (a search takes a few ms, painting more)."""
# Typing searches on a worker: on the large workspace a search is 5-15 ms of Python and SQL, which
# the UI thread spent between keystrokes; now it only paints the results (bench/ui_stalls.py search_typing).
PER_KIND = 8
TAB_TITLE_HINTS = {
    "session": "Sessions", "action": "Sessions", "habit": "Habit", "check_in": "Habit",
    "post": "Practice posts", "revision": "Practice posts", "feedback": "Practice posts",
}
"""Fallback when no tab's ``show_item`` takes an item: show the tab whose title starts with this."""

HitRole = Qt.ItemDataRole.UserRole + 1
IsHeaderRole = Qt.ItemDataRole.UserRole + 2
HIGHLIGHT_STYLE = "background-color: #ffe27a; color: #1b1b1b;"


def _kind_label(label: str) -> str:
    return QCoreApplication.translate("SearchKinds", label)


class SearchResultsModel(QAbstractListModel):
    """Search results flattened for a list: a header row per kind, then that kind's hits."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[bool, Any]] = []

    def set_results(self, results: search.SearchResults) -> None:
        """Replace everything shown with ``results``."""
        self.beginResetModel()
        self._rows = []
        for group in results.groups:
            self._rows.append((True, group))
            self._rows += [(False, hit) for hit in group.hits]
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def is_hit(self, row: int) -> bool:
        return 0 <= row < len(self._rows) and not self._rows[row][0]

    def hit_rows(self) -> list[int]:
        return [i for i, (header, _v) in enumerate(self._rows) if not header]

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid() or not self.is_hit(index.row()):
            return Qt.ItemFlag.ItemIsEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        header, value = self._rows[index.row()]
        if role == IsHeaderRole:
            return header
        if role == HitRole:
            return None if header else value
        if role == Qt.ItemDataRole.DisplayRole:
            if header:
                return f"{_kind_label(value.label)} · {value.total}"
            return value.title
        if role == Qt.ItemDataRole.ToolTipRole and not header:
            return " · ".join(x for x in (value.exec_name, iso_date_text(value.date)) if x)
        return None


class SearchHitDelegate(QStyledItemDelegate):
    """Paints a group header as a small caption and a hit as title, exec/date and highlighted snippet."""

    PADDING = 6

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._doc = QTextDocument(self)  # one document for every row: making and setting one up per row cost more
        self._doc.setDocumentMargin(2)
        option = QTextOption(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        option.setWrapMode(QTextOption.WrapMode.NoWrap)  # two lines per hit, the rest clipped
        self._doc.setDefaultTextOption(option)

    def _snippet_html(self, hit: search.SearchHit) -> str:
        return "".join(
            f'<span style="{HIGHLIGHT_STYLE}">{html.escape(text)}</span>' if matched else html.escape(text)
            for text, matched in hit.snippet_parts
        )

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        widget = opt.widget
        style = widget.style() if widget else None
        painter.save()
        rect = opt.rect.adjusted(self.PADDING, 0, -self.PADDING, 0)
        if index.data(IsHeaderRole):
            font = opt.font
            font.setBold(True)
            font.setPointSizeF(font.pointSizeF() * 0.9)
            painter.setFont(font)
            painter.setPen(opt.palette.color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(rect.adjusted(0, 4, 0, 0), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             str(index.data()))
            painter.restore()
            return
        if style is not None:
            opt.text = ""
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        hit: search.SearchHit = index.data(HitRole)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        text_color = opt.palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        ).name()
        meta_color = text_color if selected else opt.palette.color(QPalette.ColorRole.PlaceholderText).name()
        who = "" if hit.kind == "exec" else hit.exec_name  # an exec's own name is already the title
        meta = " · ".join(x for x in (who, iso_date_text(hit.date)) if x)
        doc = self._doc
        if doc.defaultFont() != opt.font:
            doc.setDefaultFont(opt.font)
        doc.setHtml(
            f'<div style="color:{text_color}"><b>{html.escape(hit.title)}</b>'
            f'<span style="color:{meta_color}"> &nbsp;— {html.escape(meta)}</span><br/>'
            f"{self._snippet_html(hit)}</div>"
        )
        painter.translate(rect.topLeft())
        painter.setClipRect(QRectF(0, 0, rect.width(), rect.height()))
        doc.drawContents(painter, QRectF(0, 0, rect.width(), rect.height()))
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        line = option.fontMetrics.height()
        if index.data(IsHeaderRole):
            return QSize(100, line + 10)
        return QSize(100, 2 * line + 14)


class SearchPopup(QDialog):
    """One search box over the whole workspace, results grouped by kind; Enter opens, Esc closes."""

    sig_open_item = Signal(object)
    """A SearchHit the user chose to open (Enter, double-click); the popup hides itself first."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = ws
        self.results: search.SearchResults | None = None
        self.setWindowTitle(self.tr("Find anything"))
        self.setObjectName("searchPopup")
        self.resize(760, 540)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.query = QLineEdit()
        self.query.setObjectName("searchQuery")
        self.query.setClearButtonEnabled(True)
        self.query.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.query.setPlaceholderText(self.tr('Search everything: words, "a phrase", exec:name, tag:name, kind:session'))
        self.order = QComboBox()
        self.order.addItem(self.tr("Newest first"), search.Order.NEWEST)
        self.order.addItem(self.tr("Best match"), search.Order.BEST)
        top.addWidget(self.query, 1)
        top.addWidget(self.order)
        layout.addLayout(top)
        self.model = SearchResultsModel(self)
        self.list = QListView()
        self.list.setObjectName("searchResults")
        self.list.setModel(self.model)
        self.list.setItemDelegate(SearchHitDelegate(self.list))
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.setUniformItemSizes(False)
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # focus stays in the box; arrows are forwarded
        self.list.activated.connect(self._on_activated)
        self.list.doubleClicked.connect(self._on_activated)
        layout.addWidget(self.list, 1)
        self.status = QLabel()
        self.status.setObjectName("searchStatus")
        self.status.setStyleSheet("color: palette(placeholder-text);")
        layout.addWidget(self.status)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(TYPING_DELAY_MS)
        self._timer.timeout.connect(self._search_in_background)
        self._asked = 0
        """Searches asked for so far; a worker's results are shown only if no newer one was asked meanwhile."""
        self._shown = 0
        self._task: Task | None = None
        self._again = False
        self.query.textChanged.connect(lambda _t: self._timer.start())
        self.order.currentIndexChanged.connect(lambda _i: self.run_search())
        self.query.installEventFilter(self)
        if parent is not None:
            parent.installEventFilter(self)  # hidden with it (e.g. coaching mode hides the main window)
        self._show_hint()

    # ----- searching ------------------------------------------------------
    def run_search(self) -> None:
        """Search for what is in the box now and show the results, the first hit selected."""
        self._timer.stop()
        self._again = False  # this search covers what the worker would have searched next
        self._asked += 1
        asked = self._asked
        try:
            results = search.search(self._ws, query=self.query.text(), order=self.order.currentData(),
                                    per_kind=PER_KIND)
        except Exception as exc:  # noqa: BLE001 - a failing disk must not take the window down
            self._on_failed(exc)
            return
        self._show_results(results, asked)

    def _search_in_background(self) -> None:
        """The typing timer's search, on a worker; one at a time, the newest text searched when it ends."""
        if self._task is not None:
            self._again = True
            return
        self._asked += 1
        asked, text, order = self._asked, self.query.text(), self.order.currentData()
        ws = self._ws
        self._task = run_task(
            self, "", lambda _progress: search.search(ws, query=text, order=order, per_kind=PER_KIND),
            lambda results: self._on_searched(results, asked), on_error=self._on_failed, show_progress=False)
        self._task.sig_finished.connect(self._on_search_finished)

    def _on_searched(self, results: search.SearchResults, asked: int) -> None:
        if asked == self._asked:  # no newer search was asked (typed, Enter, order changed) meanwhile
            self._show_results(results, asked)

    def _on_failed(self, exc: BaseException) -> None:
        show_error(self, self.tr("Search"), exc)

    def _on_search_finished(self) -> None:
        if self._task is not None:
            self._task.deleteLater()  # one per search typed: not kept for the popup's lifetime
        self._task = None
        if self._again:
            self._again = False
            self._search_in_background()

    def up_to_date(self) -> bool:
        """True when the results shown are those of the last search asked (none is waiting or running)."""
        return self._shown == self._asked and not self._timer.isActive() and not self._again

    def _show_results(self, results: search.SearchResults, asked: int) -> None:
        self._shown = asked
        self.results = results
        self.model.set_results(self.results)
        rows = self.model.hit_rows()
        if rows:
            self._select_row(rows[0])
            shown = len(rows)
            total = self.results.total
            counted = self.tr("1 result") if total == 1 else self.tr("%1 results").replace("%1", str(total))
            if shown < total:
                counted += self.tr(", %1 shown").replace("%1", str(shown))
            note = f" · {self.results.message}" if self.results.message else ""
            self.status.setText(counted + note + self.tr(" · ↑↓ move · Enter opens · Esc closes"))
        elif self.results.query.is_empty:
            self._show_hint()
        else:
            self.status.setText(self.results.message or self.tr("Nothing found."))

    def _show_hint(self) -> None:
        self.status.setText(self.tr("Type to search execs, people, sessions, habits, posts and feedback."))

    def current_hit(self) -> search.SearchHit | None:
        index = self.list.currentIndex()
        return index.data(HitRole) if index.isValid() else None

    # ----- keyboard -----------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parent() and event.type() == QEvent.Type.Hide:
            self.hide()
        if watched is self.query and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            steps = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_PageDown: 5, Qt.Key.Key_PageUp: -5}
            if key in steps:
                self._move(steps[key])
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if not self.up_to_date():  # Enter right after typing: open what the words find now
                    self.run_search()
                self._open_current()
                return True
        return super().eventFilter(watched, event)

    def _move(self, step: int) -> None:
        rows = self.model.hit_rows()
        if not rows:
            return
        current = self.list.currentIndex().row()
        position = rows.index(current) if current in rows else -1
        self._select_row(rows[max(0, min(len(rows) - 1, position + step))])

    def _select_row(self, row: int) -> None:
        index = self.model.index(row, 0)
        self.list.setCurrentIndex(index)
        self.list.scrollTo(index)
        if row > 0 and not self.model.is_hit(row - 1):
            self.list.scrollTo(self.model.index(row - 1, 0))  # keep the group's header in sight

    def _on_activated(self, index: QModelIndex) -> None:
        if self.model.is_hit(index.row()):
            self.list.setCurrentIndex(index)
            self._open_current()

    def _open_current(self) -> None:
        hit = self.current_hit()
        if hit is None:
            return
        self.hide()
        self.sig_open_item.emit(hit)

    # ----- showing ------------------------------------------------------------
    def popup(self) -> None:
        """Show (again) over the parent, with the last query selected and its results refreshed."""
        parent = self.parentWidget()
        if parent is not None:
            geo = parent.geometry()
            width = min(self.width(), max(480, geo.width() - 80))
            self.resize(width, min(self.height(), max(360, geo.height() - 120)))
            self.move(geo.x() + (geo.width() - width) // 2, geo.y() + 60)
        self.show()
        self.raise_()
        self.activateWindow()
        self.query.setFocus()
        self.query.selectAll()
        if self.query.text():
            self.run_search()


def open_item(window: Any, hit: search.SearchHit) -> bool:
    """Show ``hit`` in the main window: select its exec, then let the first willing tab show the item."""
    if hit.exec_id is None:
        window.statusBar().showMessage(
            QCoreApplication.translate("SearchPopup", "%s is not linked to an executive yet.") % hit.title, 6000
        )
        return False
    window.select_exec(hit.exec_id)
    page = window.page
    if page.exec_id != hit.exec_id:
        return False
    for tab in page.tab_widgets:
        show = getattr(tab, "show_item", None)
        if callable(show) and show(hit.kind, hit.item_id):
            page.tabs.setCurrentWidget(tab)
            return True
    page.tabs.setCurrentIndex(_tab_for_kind(page.tabs, hit.kind))
    return True


def _tab_for_kind(tabs: Any, kind: str) -> int:
    """The tab whose title names the item's area (no tab took the item itself), else the first tab."""
    hint = TAB_TITLE_HINTS.get(kind)
    if hint:
        for i in range(tabs.count()):
            if tabs.tabText(i).replace("&&", "&").startswith(hint):
                return i
    return 0


def _search_action(window: Any) -> QAction | None:
    return window.findChild(QAction, ACTION_NAME)


def open_search(window: Any) -> SearchPopup | None:
    """The menu hook behind Ctrl+K / Ctrl+F: show the window's search popup (created on first use)."""
    action = _search_action(window)
    if action is not None and not action.isEnabled():
        return None  # coaching mode (or anything else that turned search off)
    popup: SearchPopup | None = getattr(window, "_search_popup", None)
    if popup is None:
        popup = SearchPopup(window.ws, window)
        popup.setObjectName("searchPopup")

        def _open(hit: search.SearchHit) -> None:
            try:
                open_item(window, hit)
            except Exception as exc:  # noqa: BLE001 - a tab's show_item failing is reported, not fatal
                show_error(window, QCoreApplication.translate("SearchPopup", "Open search result"), exc)

        popup.sig_open_item.connect(_open)
        if action is not None:
            action.enabledChanged.connect(lambda enabled: None if enabled else popup.hide())
        window._search_popup = popup
    popup.popup()
    return popup
