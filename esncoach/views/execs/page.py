"""One exec's page: a header with who they are and where they stand, then one tab per area."""

from __future__ import annotations

import importlib
import sys
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from esncoach.services import execs
from esncoach.store.workspace import Workspace
from esncoach.views.execs.tabs import EXEC_TABS
from esncoach.views.gc_pauses import freeze_long_lived


READ_ONLY_SAFE = ("export", "copy", "print", "show", "preview")
"""Buttons whose text holds one of these only read; every other button on a tab may write."""
WORKSPACE_WIDE = "workspaceWide"
"""A tab button with this property set true changes the workspace, not the exec (agenda templates): it stays
on while the exec is held offline by a colleague."""


READS_ONLY = "You lead the programme: you read every executive's coaching and change none of it."
"""The banner for a login the server lets read coaching but not write it."""


def lease_banner(lease: Any) -> str:
    """The page's banner for an exec a colleague holds offline."""
    return f"Checked out by {lease.holder} since {lease.sentence.split(' since ', 1)[1]} — read-only until it is brought back"


class _ReadOnlyGuard(QObject):
    """Keeps a tab read-only while the exec is leased by someone else, for tabs without ``set_read_only``.

    Writing buttons stay disabled even when the tab re-enables them as its selection moves; text editors are
    read-only; a double-click or Enter in a list (which opens an editing dialog) does nothing.
    """

    def __init__(self, tab: QWidget) -> None:
        super().__init__(tab)
        self.tab = tab
        self.on = False
        self._buttons: list[QPushButton] = []
        self._views: list[QWidget] = []
        self._disabled: set[QPushButton] = set()

    def apply(self, on: bool, workspace_too: bool = False) -> None:
        """Turn the tab read-only (``on``) or back; ``workspace_too`` includes the workspace-wide buttons."""
        self.on = on
        buttons = [b for b in self.tab.findChildren(QPushButton)
                   if not any(w in b.text().replace("&", "").lower() for w in READ_ONLY_SAFE)
                   and (workspace_too or not b.property(WORKSPACE_WIDE))]
        for b in buttons:
            if b not in self._buttons:
                self._buttons.append(b)
                b.installEventFilter(self)
            if on and b.isEnabled():
                self._disabled.add(b)
                b.setEnabled(False)
            elif not on and b in self._disabled:
                b.setEnabled(True)  # the tab's own refresh then sets it as it would
        for view in self.tab.findChildren(QAbstractItemView):
            if view.viewport() not in self._views:
                self._views += [view.viewport(), view]
                view.viewport().installEventFilter(self)
                view.installEventFilter(self)
        for editor in self.tab.findChildren(QTextEdit) + self.tab.findChildren(QPlainTextEdit):
            if on and not editor.isReadOnly():
                editor.setProperty("leaseReadOnly", True)
                editor.setReadOnly(True)
            elif not on and editor.property("leaseReadOnly"):
                editor.setProperty("leaseReadOnly", False)
                editor.setReadOnly(False)
        if not on:
            self._disabled.clear()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if not self.on:
            return False
        kind = event.type()
        if kind == QEvent.Type.EnabledChange and isinstance(obj, QPushButton) and obj.isEnabled():
            self._disabled.add(obj)
            obj.setEnabled(False)
            return False
        if obj in self._views:
            if kind == QEvent.Type.MouseButtonDblClick:
                return True
            if kind == QEvent.Type.KeyPress and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):  # type: ignore[attr-defined]
                return True
        return False


def _load(spec: str) -> type[QWidget]:
    module_name, class_name = spec.split(":")
    return getattr(importlib.import_module(module_name), class_name)


def _import_tab_module(spec: str) -> None:
    """Import a tab's module (numpy, statsmodels' helpers, the post editor…): run on a worker, off the UI thread."""
    importlib.import_module(spec.split(":")[0])


class ExecPage(QWidget):
    """Shows the selected exec, one tab per area.

    Tabs are built the first time they are shown and refreshed (``set_exec``) only when visible, so
    start-up and moving through the exec list pay for one tab, not all of them. ``tab_widgets`` builds
    and refreshes every tab, for code that works with tabs directly (search's open-in-place, tests).

    A tab shown for the first time is built in steps between events (#18): its module is imported on a
    worker (some pull in numpy or the post editor, a tenth of a second or more), the widget is made on the
    next turn of the event loop and filled on the one after, so the click paints at once. A tab left while
    its ``loader`` (``LatestLoad``) still reads drops that read and reads again when it is next shown.

    On a team server, an exec a colleague took offline (#20) gets a banner and a read-only page: a tab with
    ``set_read_only(bool)`` is told; any other tab has its writing buttons kept off, its text read-only and its
    lists' double-click/Enter ignored (``_ReadOnlyGuard``).
    """

    sig_data_changed = Signal()
    """Something shown in the exec list may have changed (stage, last session, next action)."""
    sig_lease_changed = Signal()
    """The exec shown, or who holds it offline, changed (team server only)."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = ws
        self.exec_id: int | None = None
        layout = QVBoxLayout(self)
        header = QHBoxLayout()
        self.name_label = QLabel()
        self.name_label.setObjectName("execName")
        font = self.name_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.name_label.setFont(font)
        self.subtitle = QLabel()
        self.stage_badge = QLabel()
        self.stage_badge.setObjectName("stageBadge")
        self.stage_badge.setStyleSheet(
            "QLabel#stageBadge { background: #2f5d8a; color: white; border-radius: 9px; padding: 3px 10px; }"
        )
        titles = QVBoxLayout()
        titles.addWidget(self.name_label)
        titles.addWidget(self.subtitle)
        header.addLayout(titles, 1)
        header.addWidget(self.stage_badge, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(header)
        self.lease = None
        """The lease a colleague holds on this exec (``team_checkout.Lease``), or None: then the page is editable."""
        self.reads_only: bool | None = None
        """The server grants this login reading, not writing, coaching (the lead); asked once, on a server."""
        self.lease_banner = QLabel()
        self.lease_banner.setObjectName("leaseBanner")
        self.lease_banner.setWordWrap(True)
        self.lease_banner.setStyleSheet("QLabel#leaseBanner { background: #fff3cd; color: #664d03; "
                                        "border: 1px solid #ffe69c; border-radius: 4px; padding: 6px 10px; }")
        self.lease_banner.setVisible(False)
        layout.addWidget(self.lease_banner)
        self._guards: dict[int, _ReadOnlyGuard] = {}
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self._built: list[Any] = [None] * len(EXEC_TABS)
        self._stale: set[int] = set()
        self._building: set[int] = set()
        """Tabs whose first build is under way (module importing on a worker, or the widget made next turn)."""
        self._shown_index = -1
        for title, _spec in EXEC_TABS:
            self.tabs.addTab(QWidget(), self.tr(title))
        self.tabs.currentChanged.connect(self._on_current_tab)
        layout.addWidget(self.tabs, 1)
        self.empty = QLabel(self.tr("Select an executive on the left, or add one with Ctrl+N."))
        self.empty.setStyleSheet("color: palette(placeholder-text); font-size: 14pt;")
        layout.addWidget(self.empty)
        self.set_exec(None)

    def set_exec(self, exec_id: int | None) -> None:
        self.exec_id = exec_id
        shown = exec_id is not None
        self.tabs.setVisible(shown)
        self.name_label.setVisible(shown)
        self.subtitle.setVisible(shown)
        self.stage_badge.setVisible(shown)
        self.empty.setVisible(not shown)
        self._stale = set(range(len(EXEC_TABS)))
        self._read_lease()
        if shown:
            self._fill_header()
            self._show_tab(self.tabs.currentIndex())
        else:
            for index, tab in enumerate(self._built):
                if tab is not None:
                    tab.set_exec(None)
                    self._stale.discard(index)

    def tab_ready(self, index: int) -> bool:
        """True once the tab at ``index`` is built and was told the current exec (its own reads may still run)."""
        return self._built[index] is not None and index not in self._stale

    @property
    def tab_widgets(self) -> list[Any]:
        """Every tab, built and showing the current exec."""
        return [self._tab(i) for i in range(len(EXEC_TABS))]

    def _tab(self, index: int, *, fill: bool = True) -> Any:
        """The tab at ``index``: built on first use, refreshed if the exec changed since (unless not ``fill``)."""
        tab = self._built[index]
        if tab is None:
            title, spec = EXEC_TABS[index]
            tab = _load(spec)(self._ws, self)
            signal = getattr(tab, "sig_data_changed", None)
            if signal is not None:
                signal.connect(self._on_tab_changed_data)
            current = self.tabs.currentIndex()
            blocked = self.tabs.blockSignals(True)
            placeholder = self.tabs.widget(index)
            self.tabs.removeTab(index)
            self.tabs.insertTab(index, tab, self.tr(title))
            self.tabs.setCurrentIndex(current)
            self.tabs.blockSignals(blocked)
            placeholder.deleteLater()
            self._built[index] = tab
            self._stale.add(index)
        if fill and index in self._stale:
            self._stale.discard(index)
            self._apply_read_only(index, tab, refresh=False)  # buttons back on before the tab sets them
            tab.set_exec(self.exec_id)
            self._apply_read_only(index, tab, refresh=False)  # and off again, new ones too, while leased
        return tab

    @property
    def read_only(self) -> bool:
        """True while a colleague holds this exec offline, or for a login that only reads coaching (the
        programme lead): the server would refuse any change to it."""
        return self.lease is not None or bool(self.reads_only)

    def _read_lease(self) -> None:
        """Ask the team server whether a colleague holds this exec offline (one cheap query; never on a file)."""
        lease = None
        if self.exec_id is not None and getattr(self._ws, "is_server", False):
            from esncoach.services.team_checkout import lease_of
            from esncoach.store.errors import StoreError

            try:
                lease = lease_of(self._ws, self.exec_id)
            except StoreError:
                lease = None
            seen = (self.exec_id, lease.lease_id if lease is not None else None)
            if seen != getattr(self, "_lease_seen", None):
                self._lease_seen = seen
                self.sig_lease_changed.emit()
            if lease is not None and lease.holder == getattr(self._ws, "role", None):
                lease = None  # the holder's own lease: the server lets them write
            if self.reads_only is None:
                from esncoach.services.team import may_coach

                try:
                    self.reads_only = not may_coach(self._ws)
                except StoreError:
                    self.reads_only = None
        self.lease = lease
        text = self.tr(lease_banner(lease)) if lease is not None else self.tr(READS_ONLY) if self.reads_only else ""
        self.lease_banner.setText(text)
        self.lease_banner.setVisible(bool(text))
        for index, tab in enumerate(self._built):
            if tab is not None:
                self._apply_read_only(index, tab)

    def _apply_read_only(self, index: int, tab: Any, refresh: bool = True) -> None:
        setter = getattr(tab, "set_read_only", None)
        if setter is not None:
            setter(self.read_only)
            return
        guard = self._guards.get(index)
        if guard is None:
            if not self.read_only:
                return
            guard = self._guards[index] = _ReadOnlyGuard(tab)
        was = guard.on
        guard.apply(self.read_only, workspace_too=bool(self.reads_only))
        if refresh and was and not self.read_only and self.exec_id is not None and index not in self._stale:
            tab.set_exec(self.exec_id)  # the tab sets its buttons as it would for an editable exec

    def _on_current_tab(self, index: int) -> None:
        self._leave_tab(self._shown_index)
        if index >= 0 and self.exec_id is not None:
            self._show_tab(index)

    def _leave_tab(self, index: int) -> None:
        """A hidden tab does not finish a read nobody looks at: it reads again when it is shown next."""
        tab = self._built[index] if 0 <= index < len(self._built) else None
        loader = getattr(tab, "loader", None)
        if loader is not None and loader.loading and index != self.tabs.currentIndex():
            loader.drop()
            self._stale.add(index)

    def _show_tab(self, index: int) -> None:
        """Show the tab at ``index``: refreshed now if built, else built in steps (see the class docstring)."""
        if index < 0:
            return
        self._shown_index = index
        if self._built[index] is not None:
            self._tab(index)
            return
        if index in self._building:
            return
        self._building.add(index)
        spec = EXEC_TABS[index][1]
        if spec.split(":")[0] in sys.modules:
            QTimer.singleShot(0, self, lambda: self._make_tab(index))
            return
        from esncoach.views.tasks import run_task

        task = run_task(self, self.tr("Exec page"), lambda _progress: _import_tab_module(spec),
                        lambda _result: self._make_tab(index),
                        on_error=lambda _exc: self._make_tab(index), show_progress=False)
        task.sig_finished.connect(task.deleteLater)

    def _make_tab(self, index: int) -> None:
        """Second step: make the widget (its module is loaded); it is filled on the next turn of the loop."""
        self._building.discard(index)
        if self._built[index] is not None or self.tabs.currentIndex() != index or self.exec_id is None \
                or self._ws.closed:
            return  # built meanwhile (``tab_widgets``), the user moved on (built when shown again), or quit
        self._tab(index, fill=False)
        freeze_long_lived()  # the module and the widget stay: keep later full GC passes from walking them
        QTimer.singleShot(0, self, lambda: self._fill_tab(index))

    def _fill_tab(self, index: int) -> None:
        if self.tabs.currentIndex() == index and self.exec_id is not None and not self._ws.closed:
            self._tab(index)

    def _fill_header(self) -> None:
        assert self.exec_id is not None
        row = execs.get_exec(self._ws, self.exec_id)
        self.name_label.setText(row.name + (self.tr("  (archived)") if row.archived else ""))
        self.subtitle.setText(" · ".join(x for x in (row.title, row.department) if x))
        self.stage_badge.setText(row.stage.label)

    def refresh(self) -> None:
        """Re-read the header and every tab (after an edit elsewhere)."""
        self.set_exec(self.exec_id)

    def _on_tab_changed_data(self) -> None:
        if self.exec_id is not None:
            self._fill_header()
        self.sig_data_changed.emit()
