"""The main window: menus, the exec list and the selected exec's page. A shell; features live elsewhere."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QIcon, QKeySequence, QShowEvent, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from esncoach.views.app_settings import AppSettings
from esncoach.views.execs.list_model import ExecFilterProxy, ExecIdRole, ExecTableModel
from esncoach.views.icons import icon
from esncoach.views.menu_actions import MENU_ACTIONS
from esncoach.views import plurals
from esncoach.views.messages import show_error
from esncoach.views.window_size import restore_if_fits

if TYPE_CHECKING:  # SQLAlchemy and the services load after the first paint (#18): imported where used
    from esncoach.store.workspace import Workspace

WORKSPACE_FILTER = "esncoach workspaces (*.db);;All files (*)"
LEASE_WRITES = ("new_session_for_current", "open_for_current", "plan_recurring_for_current")
"""Executive-menu hooks that change the selected exec: off while a colleague holds it offline (#20)."""


class ArchiveCommand(QUndoCommand):
    """Archive or bring back an exec, undoably."""

    def __init__(self, window: MainWindow, exec_id: int, name: str, archived: bool) -> None:
        super().__init__(("Archive " if archived else "Unarchive ") + name)
        self._window, self._exec_id, self._archived = window, exec_id, archived

    def redo(self) -> None:
        from esncoach.services import execs

        execs.set_archived(self._window.ws, self._exec_id, archived=self._archived)
        self._window.refresh()

    def undo(self) -> None:
        from esncoach.services import execs

        execs.set_archived(self._window.ws, self._exec_id, archived=not self._archived)
        self._window.refresh()


class MainWindow(QMainWindow):
    """Exec list on the left, exec page on the right; File/Executive/View/Help menus."""

    sig_open_workspace = Signal(str, bool)
    """Path, create: the user asked to switch workspace; the app controller reopens the window."""
    sig_open_demo = Signal()
    """The user asked for the demo workspace."""

    def __init__(self, ws: Workspace | None, settings: AppSettings, parent: QWidget | None = None, *,
                 early: Path | None = None) -> None:
        """``ws`` None: start-up's first frames (#18) show the workspace file ``early`` and, once ``refresh`` is
        given them, its exec rows; ``attach`` brings the workspace, and a command given before waits for it."""
        super().__init__(parent)
        plurals.install()  # idempotent; also done at start-up, here for windows built without app.main
        self.ws = ws
        self.finish_loading: Callable[[], bool] | None = None
        """Set while ``ws`` is None: loads the workspace now (waiting for it) and says whether it opened."""
        self.settings = settings
        self.undo_stack = QUndoStack(self)
        self.coaching = None
        self._was_maximized = False
        self._splitter_restored = False
        name = early.name if ws is None else ws.title if ws.is_server else ws.path.name  # type: ignore[attr-defined]
        self.setWindowTitle(f"esncoach — {name}")
        self.setWindowIcon(icon("app"))
        self.model = ExecTableModel(self)
        self.proxy = ExecFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self._build_list()
        if ws is None:
            from esncoach.views.execs.first_paint import PendingPage

            self.page: Any = PendingPage(self)
        else:
            from esncoach.views.execs.page import ExecPage

            self.page = ExecPage(ws, self)
        self.page.sig_data_changed.connect(self.refresh)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.list_panel)
        # The page scrolls rather than forcing its widest tab's width on the window (small laptop screens).
        self.page_scroll = QScrollArea()
        self.page_scroll.setWidget(self.page)
        self.page_scroll.setWidgetResizable(True)
        self.page_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.splitter.addWidget(self.page_scroll)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([560, 800])
        self.setCentralWidget(self.splitter)
        self._build_actions()
        self._restore_state()
        if ws is None:  # the rows come with refresh(rows)
            self.statusBar().showMessage(self.tr("Workspace: %s (encrypted)") % early, 8000)
            return
        self.refresh()
        if ws.is_server:
            from esncoach.views.team.live import install_team_status

            install_team_status(self)
            from esncoach.views.team.offline import install_lease_notice  # "checked out by ROLE since …" (#20)

            install_lease_notice(self)
        else:
            self.statusBar().showMessage(self.tr("Workspace: %s (encrypted)") % ws.path, 8000)

    # ----- construction -------------------------------------------------
    def _build_list(self) -> None:
        self.list_panel = QWidget()
        layout = QVBoxLayout(self.list_panel)
        layout.setContentsMargins(6, 6, 0, 6)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Filter executives (Ctrl+L)"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.set_query)
        layout.addWidget(self.search)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self._fit_list_columns()
        self.table.selectionModel().currentRowChanged.connect(self._on_current_changed)
        self.table.doubleClicked.connect(lambda _i: self._when_loaded(self.edit_exec))
        layout.addWidget(self.table, 1)
        self.empty_hint = QWidget()
        hint_layout = QVBoxLayout(self.empty_hint)
        hint = QLabel(self.tr("No executives yet.\nAdd the first one, or explore the demo workspace."))
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint_layout.addWidget(hint)
        buttons = QHBoxLayout()
        add = QPushButton(icon("add"), self.tr("Add executive…"))
        add.clicked.connect(lambda: self._when_loaded(self.add_exec))
        demo = QPushButton(icon("demo"), self.tr("Open demo workspace"))
        demo.clicked.connect(self.sig_open_demo.emit)
        buttons.addStretch()
        buttons.addWidget(add)
        buttons.addWidget(demo)
        buttons.addStretch()
        hint_layout.addLayout(buttons)
        layout.addWidget(self.empty_hint)
        self.show_archived = QCheckBox(self.tr("Show archived"))
        self.show_archived.setChecked(self.settings.show_archived)
        self.proxy.set_show_archived(self.show_archived.isChecked())
        self.show_archived.toggled.connect(self._on_show_archived)
        layout.addWidget(self.show_archived)

    def _action(self, text: str, slot, shortcut: QKeySequence | str | None = None, icon_name: str = "") -> QAction:  # type: ignore[no-untyped-def]
        action = QAction(icon(icon_name) if icon_name else QIcon(), text, self)
        if isinstance(shortcut, str) and ";" in shortcut:
            # "Ctrl+K; Ctrl+F": alternative shortcuts (a comma would mean a two-key chord).
            action.setShortcuts([QKeySequence(part.strip()) for part in shortcut.split(";") if part.strip()])
        elif shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: self._when_loaded(slot))
        return action

    def _when_loaded(self, slot: Callable[[], object]) -> None:
        """Run a command; one given in start-up's first frames, before the workspace is attached, waits for it."""
        if self.ws is None and slot != self._focus_search and (self.finish_loading is None or not self.finish_loading()):
            return
        slot()

    def attach(self, ws: Workspace, rows: list[Any]) -> None:
        """Take the workspace that loaded after the first paint and its exec rows (``list_execs``), keeping the
        list as the user has it: selection, sort, filter, scroll and focus."""
        from esncoach.views.execs.page import ExecPage

        self.ws, self.finish_loading = ws, None
        selected = self.page.exec_id
        self.page = ExecPage(ws, self)
        self.page.sig_data_changed.connect(self.refresh)
        self.page_scroll.setWidget(self.page)  # the pending page goes
        if self.model.replace_rows(rows):
            self.page.set_exec(selected)
            self._update_actions()
        else:  # the execs changed in between: reload as any refresh does
            self.refresh(rows)

    def _build_actions(self) -> None:
        bar = self.menuBar()
        self.menus: dict[str, QMenu] = {}
        file_menu = self.menus["File"] = bar.addMenu(self.tr("&File"))
        file_menu.addAction(self._action(self.tr("&New workspace…"), self.new_workspace, "Ctrl+Shift+N", "new"))
        file_menu.addAction(self._action(self.tr("&Open workspace…"), self.open_workspace, QKeySequence.StandardKey.Open, "open"))
        file_menu.addAction(self._action(self.tr("Open &demo workspace"), self.sig_open_demo.emit, None, "demo"))
        self.recent_menu = file_menu.addMenu(self.tr("Open &recent"))
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        file_menu.addSeparator()
        edit_menu = self.menus["Edit"] = bar.addMenu(self.tr("&Edit"))
        undo = self.undo_stack.createUndoAction(self, self.tr("&Undo"))
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        undo.setIcon(icon("undo"))
        redo = self.undo_stack.createRedoAction(self, self.tr("&Redo"))
        redo.setShortcut(QKeySequence.StandardKey.Redo)
        redo.setIcon(icon("redo"))
        edit_menu.addAction(undo)
        edit_menu.addAction(redo)
        edit_menu.addSeparator()
        focus = self._action(self.tr("&Filter executives"), self._focus_search, "Ctrl+L", "search")
        edit_menu.addAction(focus)
        exec_menu = self.menus["Executive"] = bar.addMenu(self.tr("E&xecutive"))
        self.add_action = self._action(self.tr("&Add executive…"), self.add_exec, QKeySequence.StandardKey.New, "add")
        self.edit_action = self._action(self.tr("&Edit executive…"), self.edit_exec, "Ctrl+E", "edit")
        self.archive_action = self._action(self.tr("A&rchive executive"), self.toggle_archive, "Ctrl+Shift+A", "archive")
        self.coach_action = self._action(self.tr("&Coaching mode"), self.start_coaching, "F5", "coach")
        self.coach_action.setToolTip(self.tr("Full-screen coaching with this executive only (F5)"))
        for a in (self.add_action, self.edit_action, self.archive_action):
            exec_menu.addAction(a)
        exec_menu.addSeparator()
        exec_menu.addAction(self.coach_action)
        exec_menu.addSeparator()
        self.menus["Tools"] = bar.addMenu(self.tr("&Tools"))
        self.menus["Team"] = bar.addMenu(self.tr("Te&am"))
        view_menu = self.menus["View"] = bar.addMenu(self.tr("&View"))
        view_menu.addAction(self._action(self.tr("Show &archived executives"), self.show_archived.toggle))
        help_menu = self.menus["Help"] = bar.addMenu(self.tr("&Help"))
        help_menu.addAction(self._action(self.tr("&About esncoach"), self.about))

        for menu_name, text, shortcut, icon_name, target in MENU_ACTIONS:
            action = self._action(self.tr(text), lambda t=target: self._run_hook(t), shortcut or None, icon_name)
            action.setObjectName("hook:" + target)
            if shortcut and ";" in shortcut:  # alternatives, e.g. "Ctrl+K; Ctrl+F"
                action.setShortcuts([QKeySequence(s.strip()) for s in shortcut.split(";")])
            self.menus[menu_name].addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(self._action(self.tr("&Quit"), self.close, QKeySequence.StandardKey.Quit))

        self.toolbar = QToolBar(self.tr("Main"))
        self.toolbar.setObjectName("mainToolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toolbar.setMovable(False)
        for a in (self.add_action, self.edit_action, self.archive_action):
            self.toolbar.addAction(a)
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.coach_action)
        self.addToolBar(self.toolbar)

    def _run_hook(self, target: str) -> None:
        module_name, func_name = target.split(":")
        if func_name in LEASE_WRITES and self._refuse_if_leased():
            return
        if self.ws.is_server and func_name in ("back_up_now", "open_restore_dialog"):
            module_name, func_name = "esncoach.views.team.connect", "backups_are_the_administrators"
        try:
            getattr(importlib.import_module(module_name), func_name)(self)
        except Exception as exc:  # noqa: BLE001 - any failure becomes a message; data is unchanged
            show_error(self, self.tr("Something went wrong"), exc)

    def add_toolbar_action(self, action: QAction) -> None:
        """Let feature modules put a frequently used action on the toolbar."""
        self.toolbar.addAction(action)

    # ----- state ----------------------------------------------------------
    def _restore_state(self) -> None:
        if not restore_if_fits(self, self.settings.window_geometry):
            self._default_geometry()  # nothing saved, or saved on another screen: size to this one
        if not self.settings.window_state.isEmpty():
            self.restoreState(self.settings.window_state)
        if not self.settings.exec_list_header.isEmpty():
            self.table.horizontalHeader().restoreState(self.settings.exec_list_header)
            self._fit_list_columns()  # the sort order is kept; a state saved by an older version had fixed widths

    def _fit_list_columns(self) -> None:
        """Name, stage and last session as wide as their text; title and next action share the rest, so
        nothing hides behind a horizontal scroll bar on a laptop and a wide screen shows more of both.
        The widths always add up to the pane (Qt's Stretch rounded one pixel over at 1366×768)."""
        from esncoach.views.execs.list_columns import ColumnFitter

        fitter = getattr(self, "_list_fitter", None)
        if fitter is None:
            self._list_fitter = ColumnFitter(self.table, share=(1, 4))
        else:
            fitter.reset()

    def _default_geometry(self) -> None:
        """First run: most of the screen, centred, never larger than it (laptops have 768 px)."""
        screen = self.screen() or QApplication.primaryScreen()
        if screen is None:
            self.resize(1280, 800)
            return
        area = screen.availableGeometry()
        # Up to 1800×1100: a 1920×1080 screen gets a window that uses it, a 4K one no wall of whitespace.
        width, height = min(1800, int(area.width() * 0.94)), min(1100, int(area.height() * 0.92))
        self.setGeometry(area.x() + (area.width() - width) // 2, area.y() + (area.height() - height) // 2,
                         width, height)

    def save_state(self) -> None:
        self.settings.window_geometry = self.saveGeometry()
        self.settings.window_state = self.saveState()
        self.settings.splitter_state = self.splitter.saveState()
        self.settings.exec_list_header = self.table.horizontalHeader().saveState()
        self.settings.sync()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._splitter_restored:
            # Restored once the window has its real size, or the splitter rescales the saved sizes.
            self._splitter_restored = True
            if not self.settings.splitter_state.isEmpty():
                self.splitter.restoreState(self.settings.splitter_state)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_state()
        super().closeEvent(event)

    # ----- the list ---------------------------------------------------------
    def refresh(self, rows: list[Any] | None = None) -> None:
        """Reload the exec list from the store (or show ``rows``), keeping the selection."""
        if rows is None:
            from esncoach.services import execs

            rows = execs.list_execs(self.ws)
        current = self.current_exec_id()
        self.model.set_rows(rows)
        has_execs = self.model.rowCount() > 0
        self.empty_hint.setVisible(not has_execs)
        self.table.setVisible(has_execs)
        if current is not None and self.model.row_of(current) >= 0:
            self.select_exec(current)
            self.page.refresh()
        elif self.proxy.rowCount() > 0 and current is None:
            self.table.selectRow(0)
        else:
            self.page.set_exec(self.current_exec_id())
        self._update_actions()

    def current_exec_id(self) -> int | None:
        index = self.table.currentIndex()
        return index.data(ExecIdRole) if index.isValid() else None

    def select_exec(self, exec_id: int) -> None:
        """Select (and show) an exec, revealing it if archived rows are hidden."""
        row = self.model.row_of(exec_id)
        if row < 0:
            return
        if self.model.row_at(row).archived and not self.show_archived.isChecked():
            self.show_archived.setChecked(True)
        proxy_index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not proxy_index.isValid():
            self.search.clear()
            proxy_index = self.proxy.mapFromSource(self.model.index(row, 0))
        self.table.selectionModel().setCurrentIndex(
            proxy_index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )
        self.table.scrollTo(proxy_index)

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        exec_id = current.data(ExecIdRole) if current.isValid() else None
        if exec_id != self.page.exec_id:
            self.page.set_exec(exec_id)
        self._update_actions()

    def _on_show_archived(self, show: bool) -> None:
        self.proxy.set_show_archived(show)
        self.settings.show_archived = show

    def _update_actions(self) -> None:
        exec_id = self.current_exec_id()
        self.edit_action.setEnabled(exec_id is not None)
        self.archive_action.setEnabled(exec_id is not None)
        self.coach_action.setEnabled(exec_id is not None)
        if exec_id is not None:
            archived = self.model.row_at(self.model.row_of(exec_id)).archived
            self.archive_action.setText(self.tr("Un&archive executive") if archived else self.tr("A&rchive executive"))
            self.archive_action.setIcon(icon("unarchive" if archived else "archive"))
        leased = exec_id is not None and self.page.read_only and exec_id == self.page.exec_id
        self.add_action.setEnabled(not getattr(self.page, "reads_only", False))  # the lead adds none (server grants)
        for action in (self.edit_action, self.archive_action, self.coach_action):
            action.setEnabled(action.isEnabled() and not leased)
        for action in self.menus["Executive"].actions():
            if action.objectName().rsplit(":", 1)[-1] in LEASE_WRITES:
                action.setEnabled(not leased)

    def _refuse_if_leased(self) -> bool:
        """A colleague holds the selected exec offline: say so (one sentence) instead of opening an editor."""
        lease = self.page.lease if self.page.exec_id == self.current_exec_id() else None
        if lease is None:
            return False
        show_error(self, self.tr("Read-only"), self.tr("%s is %s: read-only until it is brought back.")
                   % (lease.exec_name, lease.sentence))
        return True

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    # ----- commands ---------------------------------------------------------
    def add_exec(self) -> None:
        from esncoach.views.execs.dialog import ExecDialog

        dialog = ExecDialog(self.ws, None, self)
        if dialog.exec():
            self.refresh()
            self.select_exec(dialog.result_value)

    def edit_exec(self) -> None:
        exec_id = self.current_exec_id()
        if exec_id is None or self._refuse_if_leased():
            return
        from esncoach.services import execs
        from esncoach.views.execs.dialog import ExecDialog

        dialog = ExecDialog(self.ws, execs.get_exec(self.ws, exec_id), self)
        if dialog.exec():
            self.refresh()

    def toggle_archive(self) -> None:
        exec_id = self.current_exec_id()
        if exec_id is None or self._refuse_if_leased():
            return
        from esncoach.services import execs

        row = execs.get_exec(self.ws, exec_id)
        self.undo_stack.push(ArchiveCommand(self, exec_id, row.name, not row.archived))
        verb = self.tr("Archived") if not row.archived else self.tr("Brought back")
        self.statusBar().showMessage(self.tr("%s %s — Ctrl+Z to undo") % (verb, row.name), 6000)

    def start_coaching(self, exec_id: int | None = None, session_id: int | None = None) -> None:
        """Hide this window (and with it every other exec) and coach one exec full screen."""
        from esncoach.views.coaching.coaching_window import CoachingWindow, choose_session

        exec_id = exec_id if exec_id is not None else self.current_exec_id()
        if exec_id is None:
            return
        if exec_id == self.page.exec_id and self._refuse_if_leased():  # --coach NAME and the Coach button too
            return
        self.save_state()
        try:
            if session_id is None:
                session_id = choose_session(self, self.ws, exec_id)  # today's, or the nearest if the CM agrees
            self.coaching = CoachingWindow(self.ws, self.settings, exec_id=exec_id, session_id=session_id)
        except Exception as exc:  # noqa: BLE001 - shown to the user; nothing was changed
            show_error(self, self.tr("Cannot start coaching mode"), exc)
            return
        self.coaching.sig_closed.connect(self._on_coaching_closed)
        self._was_maximized = self.isMaximized()
        self.hide()
        self.coaching.show_coaching()

    def start_coaching_by_name(self, name: str) -> None:
        """``esncoach --coach NAME``: coach the exec with that name, email or unique name prefix."""
        from esncoach.services import execs

        try:
            row = execs.find_exec(self.ws, name)
        except Exception as exc:  # noqa: BLE001 - a clear message; the main window stays usable
            show_error(self, self.tr("Cannot start coaching mode"), exc)
            return
        self.select_exec(row.id)
        self.start_coaching(row.id)

    def _on_coaching_closed(self, exec_id: int, _session_id: int) -> None:
        recorded = self.coaching.recorded
        self.coaching.deleteLater()
        self.coaching = None
        if self._was_maximized:
            self.showMaximized()
        else:
            self.show()
        self.refresh()
        self.select_exec(exec_id)
        self.page.refresh()
        self.activateWindow()
        self.statusBar().showMessage(self.tr("Coaching session saved.") if recorded
                                     else self.tr("Coaching mode closed; no session recorded."), 6000)

    def new_workspace(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("New workspace"), str(self._folder() / "workspace.db"),
                                              WORKSPACE_FILTER)
        if path:
            if Path(path).exists():
                show_error(self, self.tr("New workspace"), self.tr("Choose a new file name; that file exists."))
                return
            QTimer.singleShot(0, lambda: self.sig_open_workspace.emit(path, True))

    def open_workspace(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open workspace"), str(self._folder()), WORKSPACE_FILTER)
        if path:
            QTimer.singleShot(0, lambda: self.sig_open_workspace.emit(path, False))

    def _folder(self) -> Path:
        """Where file dialogs start: the open workspace's folder (home for a team server)."""
        return Path.home() if self.ws.is_server else self.ws.path.parent

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for path in self.settings.recent():
            action = self.recent_menu.addAction(path)
            action.triggered.connect(lambda _c=False, p=path: self.sig_open_workspace.emit(p, False))
        if self.recent_menu.isEmpty():
            self.recent_menu.addAction(self.tr("(none)")).setEnabled(False)

    def about(self) -> None:
        from esncoach.views.about_dialog import AboutDialog

        AboutDialog(self).exec()
