"""The Today window: the first screen of a CM's day, one keyboard list from sessions to stage moves.

↑/↓ move, Enter opens the item in the main window (the exec, the session, the action item's session),
Ctrl+R re-reads the workspace, Esc closes. The content comes from ``services.today.overview``: a CM's
own execs, or for the programme lead (who coaches nobody) the programme view. On a team server the window
follows live refresh: a colleague's change re-reads the day, keeping the cursor's item and the scroll.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from esncoach.services import today
from esncoach.store.workspace import Workspace
from esncoach.views.dates import short_weekday_date_time_text, weekday_date_text
from esncoach.views.messages import show_error
from esncoach.views.tasks import run_task
from esncoach.views.today.reminders_view import coaches_known

ItemRole = Qt.ItemDataRole.UserRole + 1
URGENT = QColor("#c0392b")
SECTION_TAB = {"session": "Sessions", "action": "Sessions", "checkin": "Habit", "ready": "Habit",
               "attention": "Overview", "touch": "Sessions", "unassigned": "Overview", "cm": "Sessions"}
"""Which exec-page tab an item opens on (by the start of the tab's title)."""
TAB_WAIT_MS, TAB_WAIT_TRIES = 20, 250
"""How often, and how many times, an item waits for the exec-page tab it opens on to be built."""
LIVE_MS = 500
"""Colleagues' changes that arrive together are read once, this long after the first."""
PROGRAMME_NOTE = ("You lead the programme: each CM's Today lists their own executives' sessions and to-dos. "
                  "Yours: executives waiting for a CM (assign them in Team ▸ Members…, Ctrl+Shift+E) and "
                  "CMs with overdue action items.")


class TodayWindow(QDialog):
    """Sessions today and this week, actions due, missing check-ins and execs to look at; Enter opens one."""

    sig_open_item = Signal(object)
    """The user chose an item (a ``today.TodayItem``) to open in the main window."""
    sig_refreshed = Signal()
    """The list now shows a freshly read day."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None, *, day: dt.date | None = None,
                 overview: today.TodayOverview | None = None) -> None:
        super().__init__(parent)
        self._ws = ws
        self._day = day
        self.overview: today.TodayOverview | None = None
        self._left = False
        self._task: Any = None
        self._again = False
        self._live = QTimer(self)
        self._live.setSingleShot(True)
        self._live.timeout.connect(self._on_live)
        self.setWindowTitle(self.tr("Today"))
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        layout = QVBoxLayout(self)
        self.heading = QLabel()
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.heading.setFont(font)
        layout.addWidget(self.heading)
        hint = QLabel(self.tr("↑/↓ move · Enter opens · Ctrl+R refresh · Esc closes"))
        hint.setStyleSheet("color: palette(placeholder-text);")
        layout.addWidget(hint)
        self.note = QLabel(self.tr(PROGRAMME_NOTE))
        self.note.setObjectName("programmeNote")
        self.note.setWordWrap(True)
        self.note.hide()
        layout.addWidget(self.note)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels([self.tr("Executive"), self.tr("What")])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.tree.itemActivated.connect(self._on_activated)
        layout.addWidget(self.tree, 1)
        bar = QHBoxLayout()
        self.summary = QLabel()
        bar.addWidget(self.summary, 1)
        self.refresh_button = QPushButton(self.tr("&Refresh"))
        self.close_button = QPushButton(self.tr("Close"))
        for button in (self.refresh_button, self.close_button):
            button.setAutoDefault(False)  # Enter belongs to the list
            bar.addWidget(button)
        self.refresh_button.clicked.connect(self.refresh)
        self.close_button.clicked.connect(self.close)
        layout.addLayout(bar)
        QShortcut(QKeySequence("Ctrl+R"), self, self.refresh)
        self._fit_screen()
        if overview is not None:
            self._fill(overview)  # computed on a worker at start-up
        else:
            self.refresh()

    def _fit_screen(self) -> None:
        screen = (self.parentWidget().screen() if self.parentWidget() else None) or QApplication.primaryScreen()
        if screen is None:
            self.resize(900, 600)
            return
        area = screen.availableGeometry()
        width, height = min(1400, int(area.width() * 0.72)), min(900, int(area.height() * 0.85))
        self.resize(width, height)
        self.tree.setColumnWidth(0, max(160, width // 5))

    # ----- content ----------------------------------------------------------------------------
    def watch(self, listener: Any) -> None:
        """Follow a team server's live refresh: ``listener.sig_changed`` (ids of changed execs) re-reads the day."""
        listener.sig_changed.connect(self._on_team_changed)

    def _on_team_changed(self, _ids: list[int]) -> None:
        if not self._live.isActive():
            self._live.start(LIVE_MS)

    def _on_live(self) -> None:
        if self.isVisible():  # a hidden window reads the day when it is shown again (open_today)
            self.refresh(quiet=True)

    def refresh(self, quiet: bool = False) -> None:
        """Re-read the day on a worker (seconds on a large programme), then show it, keeping the cursor's item.

        A refresh asked for while one runs is done after it, so a change that arrives meanwhile is not missed.
        """
        if self._task is not None:
            self._again = True
            return
        ws, day, coaches = self._ws, self._day, coaches_known(self.parentWidget())
        if not quiet:
            self.summary.setText(self.tr("Reading the day…"))

        def _done(overview: today.TodayOverview) -> None:
            self._task = None
            self._fill(overview)
            self.sig_refreshed.emit()
            if self._again:
                self._again = False
                self.refresh(quiet=True)

        def _failed(exc: BaseException) -> None:
            self._task = None
            self._again = False
            self.summary.setText("")
            show_error(self, self.tr("Today"), exc)

        self._task = run_task(self, self.tr("Reading the day"),
                              lambda _p: today.overview(ws, today=day, coaches=coaches), _done,
                              on_error=_failed, show_progress=False)

    def _fill(self, overview: today.TodayOverview) -> None:
        current = self.current_item()
        place = self._place()
        scroll = self.tree.verticalScrollBar().value()
        self.overview = overview
        day = self.overview.day
        self.heading.setText(self.tr("Today, %s") % weekday_date_text(day))
        self.note.setVisible(overview.programme)
        self.tree.headerItem().setText(0, self.tr("CM or executive") if overview.programme else self.tr("Executive"))
        self.tree.clear()
        bold = QFont(self.tree.font())
        bold.setBold(True)
        rows: list[QTreeWidgetItem] = []
        keep: QTreeWidgetItem | None = None
        for key, title in overview.titles.items():
            items = self.overview.sections.get(key, ())
            label = self.tr(title) + " — " + (self.tr("%n item(s)", "", len(items)) if items else self.tr("none"))
            section = QTreeWidgetItem([label, ""])
            section.setFont(0, bold)
            section.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.tree.addTopLevelItem(section)
            section.setFirstColumnSpanned(True)
            for item in items:
                text = _item_text(item, key)
                row = QTreeWidgetItem([item.who or item.exec_name, text])
                row.setData(0, ItemRole, item)
                row.setToolTip(1, text)
                if item.urgent:
                    for col in (0, 1):
                        row.setForeground(col, QBrush(URGENT))
                section.addChild(row)
                rows.append(row)
                if current is not None and _same(item, current):
                    keep = row
            section.setExpanded(True)
        total = len(self.overview.items())
        empty = (self.tr("Every executive has a CM and no action item is overdue.") if overview.programme
                 else self.tr("Nothing needs you today."))
        self.summary.setText(self.tr("%n thing(s) to look at", "", total) if total else empty)
        if keep is None and place is not None and rows:
            keep = rows[min(place, len(rows) - 1)]  # the item left: its neighbour, not the top of the list
        self._set_current(keep or (rows[0] if rows else None), scroll if current is not None else None)
        self.tree.setFocus()

    def _place(self) -> int | None:
        """The cursor's position among the item rows (section headings not counted), or None."""
        row = self.tree.currentItem()
        if row is None or row.parent() is None:
            return None
        section = row.parent()
        before = sum(self.tree.topLevelItem(i).childCount() for i in range(self.tree.indexOfTopLevelItem(section)))
        return before + section.indexOfChild(row)

    def _set_current(self, row: QTreeWidgetItem | None, scroll: int | None) -> None:
        """Put the cursor on ``row`` with the list scrolled where it was (``scroll``), as long as the row shows."""
        if row is None:
            return
        if scroll is None:
            self.tree.setCurrentItem(row)
            return
        self.tree.doItemsLayout()  # the new rows' scroll range, before the old position is put back
        auto = self.tree.hasAutoScroll()
        self.tree.setAutoScroll(False)
        self.tree.setCurrentItem(row)
        self.tree.setAutoScroll(auto)
        self.tree.verticalScrollBar().setValue(scroll)
        if not self.tree.viewport().rect().contains(self.tree.visualItemRect(row)):
            self.tree.scrollToItem(row)

    def current_item(self) -> today.TodayItem | None:
        """The item under the cursor, or None on a section heading."""
        row = self.tree.currentItem()
        return row.data(0, ItemRole) if row is not None else None

    def _on_activated(self, row: QTreeWidgetItem, _column: int) -> None:
        item = row.data(0, ItemRole)
        if item is not None:
            self.sig_open_item.emit(item)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt naming
        super().changeEvent(event)
        if event.type() != QEvent.Type.ActivationChange:
            return
        if not self.isActiveWindow():
            self._left = True
        elif self._left and self.overview is not None:
            self._left = False
            QTimer.singleShot(0, self, self.refresh)  # back from the main window: show what changed there


def _same(a: today.TodayItem, b: today.TodayItem) -> bool:
    """The same line of the day in two readings of it."""
    return (a.kind, a.exec_id, a.session_id, a.item_id, a.who) == (b.kind, b.exec_id, b.session_id, b.item_id, b.who)


def _item_text(item: today.TodayItem, section: str) -> str:
    """The item's line; a session later this week gets its date the way every screen writes one."""
    if section == "week" and item.kind == "session" and isinstance(item.when, dt.datetime) and item.subject:
        return f"{short_weekday_date_time_text(item.when)} {item.subject}"
    return item.text


def open_item(window: Any, item: today.TodayItem) -> None:
    """Show a Today item in the main window: select the exec, then the session (opened) or the right tab."""
    window.select_exec(item.exec_id)
    page = window.page
    if page.exec_id != item.exec_id:
        return
    hint = SECTION_TAB.get(item.kind, "Overview")
    index = next((i for i in range(page.tabs.count()) if page.tabs.tabText(i).replace("&&", "&").startswith(hint)),
                 page.tabs.currentIndex())
    page.tabs.setCurrentIndex(index)
    if item.kind == "session" and item.session_id is not None:
        window.raise_()
        window.activateWindow()

        def _open(tab: Any) -> None:
            show = getattr(tab, "show_item", None)
            if callable(show) and show("session", item.session_id):
                tab.open_current()
            else:
                _step_aside(window, item)

        _when_built(page, index, item.exec_id, _open)
        return
    if item.kind in ("action", "cm") and item.item_id is not None:
        _when_built(page, index, item.exec_id, lambda tab: callable(getattr(tab, "show_item", None))
                    and tab.show_item("action", item.item_id))
    _step_aside(window, item)


def _when_built(page: Any, index: int, exec_id: int, then: Any, tries: int = TAB_WAIT_TRIES) -> None:
    """Call ``then(tab)`` once the page has built the tab at ``index`` and shown it the exec (tabs are built in
    steps between events, #18); nothing if the user moved to another exec or tab meanwhile."""
    if page.exec_id != exec_id or page.tabs.currentIndex() != index:
        return
    if page.tab_ready(index):
        then(page.tabs.widget(index))
    elif tries > 0:
        QTimer.singleShot(TAB_WAIT_MS, page, lambda: _when_built(page, index, exec_id, then, tries - 1))


def _step_aside(window: Any, item: today.TodayItem) -> None:
    today_window = getattr(window, "_today_window", None)
    if today_window is not None:
        today_window.hide()  # it would cover the page it just opened; Ctrl+T brings it back where it was
    window.raise_()
    window.activateWindow()
    window.statusBar().showMessage(window.tr("%s — Ctrl+T returns to Today") % item.exec_name, 8000)


def open_today(window: Any, overview: today.TodayOverview | None = None) -> TodayWindow:
    """Menu hook (View ▸ Today, Ctrl+T): show the Today window, one per main window, refreshed."""
    dialog: TodayWindow | None = getattr(window, "_today_window", None)
    if dialog is None:
        dialog = TodayWindow(window.ws, window, overview=overview)
        dialog.setObjectName("todayWindow")

        def _open(item: today.TodayItem) -> None:
            try:
                open_item(window, item)
            except Exception as exc:  # noqa: BLE001 - reported; nothing was changed
                show_error(window, dialog.tr("Open"), exc)

        dialog.sig_open_item.connect(_open)
        live = getattr(window, "live_refresh", None)
        if live is not None:  # a team server: colleagues' changes show here too
            dialog.watch(live.listener)
        window._today_window = dialog
    else:
        dialog.refresh()
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog
