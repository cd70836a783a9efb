"""Everything fits a 1366×768 laptop: no tab or dialog needs horizontal scrolling, nothing is cut off."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QWidget

from esncoach.services import execs
from esncoach.store.workspace import Workspace
from esncoach.views.sessions.tab import SessionsTab
from tests.day_helpers import make_window, open_by_keys

LAPTOP = (1366, 768)
USABLE_HEIGHT = 768 - 40  # a task bar or panel takes some of it


def scrolled_sideways(root: QWidget) -> list[str]:
    """Visible scroll areas under ``root`` showing a horizontal scroll bar."""
    return [f"{type(a).__name__}({a.objectName()})" for a in root.findChildren(QAbstractScrollArea)
            if a.isVisible() and a.horizontalScrollBar().isVisible()]


def laptop_window(qtbot, ws: Workspace):  # type: ignore[no-untyped-def]
    window = make_window(qtbot, ws)
    window.resize(*LAPTOP)
    qtbot.waitUntil(lambda: window.width() == LAPTOP[0])
    return window


def test_every_tab_fits_the_exec_page_at_1366(qtbot, demo_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    window = laptop_window(qtbot, demo_ws)
    for name in ("Dana Okafor", "Élodie Marchand", "Amelia Hart"):
        window.select_exec(execs.find_exec(demo_ws, name).id)
        for index in range(window.page.tabs.count()):
            window.page.tabs.setCurrentIndex(index)
            qtbot.waitUntil(lambda: window.page.tab_ready(index))  # noqa: B023 - a first build takes a few turns
            QApplication.processEvents()
            title = window.page.tabs.tabText(index)
            viewport = window.page_scroll.viewport().width()
            tab = window.page.tabs.widget(index)
            assert tab.minimumSizeHint().width() <= viewport, (name, title, tab.minimumSizeHint(), viewport)
            assert not window.page_scroll.horizontalScrollBar().isVisible(), (name, title)
            assert scrolled_sideways(tab) == [], (name, title)


def test_exec_list_columns_and_session_titles_are_not_cut_off(qtbot, demo_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    window = laptop_window(qtbot, demo_ws)
    window.resize(1286, 730)  # the first-run size on a 1366×768 screen (94% of it)
    qtbot.waitUntil(lambda: window.width() == 1286)
    header = window.table.horizontalHeader()
    widths = [header.sectionSize(c) for c in range(window.model.columnCount())]
    assert sum(widths) <= window.table.viewport().width(), widths
    assert widths[-1] >= 100  # "Next action" has room
    QApplication.processEvents()
    assert not window.table.horizontalScrollBar().isVisible(), (widths, window.table.viewport().width(),
                                                                window.splitter.sizes(), window.width())
    window.select_exec(execs.find_exec(demo_ws, "Amelia Hart").id)
    tab = next(t for t in window.page.tab_widgets if isinstance(t, SessionsTab))
    window.page.tabs.setCurrentWidget(tab)
    QApplication.processEvents()
    metrics = tab.table.fontMetrics()
    title_width = tab.table.horizontalHeader().sectionSize(2)
    for row in tab.model.rows:
        assert metrics.horizontalAdvance(row.title) + 12 <= title_width, (row.title, title_width)


SHORTCUT_DIALOGS = [
    (Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier),
    (Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier),
    (Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier),
    (Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier),
    (Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier),
    (Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier),
    (Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier),
    (Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier),
    (Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier),
    (Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier),
    (Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier),
]


def test_every_dialog_fits_1366_by_768(qtbot, demo_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    window = laptop_window(qtbot, demo_ws)
    window.select_exec(execs.find_exec(demo_ws, "Amelia Hart").id)
    problems: list[str] = []

    def measure(dialog: QWidget) -> None:
        hint = dialog.minimumSizeHint()
        if hint.width() > LAPTOP[0] or hint.height() > USABLE_HEIGHT:
            problems.append(f"{dialog.windowTitle()}: needs {hint.width()}×{hint.height()}")
        dialog.resize(min(max(dialog.width(), hint.width()), LAPTOP[0]), min(dialog.height(), USABLE_HEIGHT))
        QApplication.processEvents()
        sideways = scrolled_sideways(dialog)
        if sideways:
            problems.append(f"{dialog.windowTitle()}: scrolls sideways in {sideways}")
        dialog.done(0) if hasattr(dialog, "done") else dialog.close()

    for key, mods in SHORTCUT_DIALOGS:
        try:
            open_by_keys(qtbot, window, key, mods, measure)
        except Exception:  # noqa: BLE001 - not a dialog (the dashboard is a window): measure the new window
            shown = [w for w in QApplication.topLevelWidgets() if w.isVisible() and w is not window]
            for w in shown:
                measure(w)
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
    assert problems == []


def test_practice_post_details_are_not_cut_off_on_a_laptop(qtbot, demo_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    from esncoach.views.posts.tab import PostsTab

    window = laptop_window(qtbot, demo_ws)
    window.resize(1286, 730)  # the first-run size on a 1366×768 screen
    window.select_exec(execs.find_exec(demo_ws, "Chen Wei").id)
    tab = next(t for t in window.page.tab_widgets if isinstance(t, PostsTab))
    window.page.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.workbench.post is not None)  # the list is read on a worker
    QApplication.processEvents()
    editor = tab.workbench.editor
    for combo in (editor.kind, editor.drafted_by):
        assert combo.fontMetrics().horizontalAdvance(combo.currentText()) + 24 <= combo.width(), combo.currentText()


def test_a_list_header_saved_by_an_older_version_still_fits(qtbot, demo_path, key) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QHeaderView

    with Workspace.open(demo_path, key) as ws:
        window = laptop_window(qtbot, ws)
        header = window.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)  # what older versions saved
        for column, width in enumerate((140, 140, 110, 90)):
            header.resizeSection(column, width)
        window.close()
    with Workspace.open(demo_path, key) as ws:
        again = laptop_window(qtbot, ws)
        again.resize(1286, 730)
        qtbot.waitUntil(lambda: again.width() == 1286)
        QApplication.processEvents()
        assert not again.table.horizontalScrollBar().isVisible()
        again.close()
