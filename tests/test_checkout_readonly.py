"""A colleague's exec taken offline shows a banner and a read-only page in the main window (#20)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from esncoach.services import execs
from esncoach.services.team_checkout import checkout, lease_of, release
from esncoach.services.team_checkout_merge import checkin
from esncoach.store.keys import KeyMaterial
from esncoach.store.workspace import Workspace
from esncoach.views.app_settings import AppSettings
from esncoach.views.execs.tabs import EXEC_TABS
from esncoach.views.main_window import MainWindow
from tests.checkout_kit import AMELIA, Team, crew  # noqa: F401 - fixture
from tests.test_checkout_gui import _close

KEY = KeyMaterial("raw", "cd" * 32)


def _hook(window: MainWindow, name: str):  # type: ignore[no-untyped-def]
    return next(a for a in window.menus["Executive"].actions() if a.objectName().endswith(":" + name))


def test_lease_of_is_none_on_a_file(ws: Workspace) -> None:
    assert lease_of(ws, 1) is None


def test_colleague_sees_a_read_only_page_until_it_is_brought_back(qtbot, crew: Team, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    errors: list[str] = []
    monkeypatch.setattr("esncoach.views.main_window.show_error", lambda _w, _t, text: errors.append(str(text)))
    ws = crew.open("bob")
    window = MainWindow(ws, AppSettings())
    qtbot.addWidget(window)
    window.show()
    amelia = execs.find_exec(ws, AMELIA).id
    window.select_exec(amelia)
    banner = window.page.findChild(QLabel, "leaseBanner")
    sessions_tab = window.page.tab_widgets[[title for title, _ in EXEC_TABS].index("Sessions")]
    assert not banner.isVisible() and window.edit_action.isEnabled() and sessions_tab.new_button.isEnabled()
    qtbot.waitUntil(window.live_refresh.listener.connected.is_set, timeout=10_000)

    with crew.open("ann") as ann, Workspace.open(tmp_path / "laptop.db", KEY) as local:
        checkout(ann, local, names=[AMELIA])
        # Live refresh: the lease's announcement turns bob's page read-only without him moving.
        qtbot.waitUntil(banner.isVisible, timeout=10_000)
        assert banner.text().startswith(f"Checked out by {crew.role('ann')} since ")
        assert banner.text().endswith("UTC — read-only until it is brought back")
        notice = window.findChild(QLabel, "lease_notice")
        assert notice.text().startswith(f"{AMELIA} is checked out by {crew.role('ann')} since ")
        assert not window.edit_action.isEnabled() and not window.archive_action.isEnabled()
        assert not _hook(window, "new_session_for_current").isEnabled()
        assert not sessions_tab.new_button.isEnabled()
        # The shortcut opens no editor; the command itself refuses with one sentence.
        window.activateWindow()
        window.table.setFocus()
        qtbot.keyClick(window.table, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClick(window.table, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
        assert QApplication.activeModalWidget() is None
        window.edit_exec()
        window._run_hook("esncoach.views.sessions.dialog:new_session_for_current")
        assert QApplication.activeModalWidget() is None
        assert len(errors) == 2 and errors[0] == (f"{AMELIA} is checked out by {crew.role('ann')} since "
                                                  f"{errors[0].split(' since ')[1]}")
        assert errors[0].endswith("UTC: read-only until it is brought back.")
        # Coaching mode by name (esncoach --coach NAME, the Coach button) is refused the same way.
        window.start_coaching_by_name(AMELIA)
        assert window.coaching is None and window.isVisible() and len(errors) == 3
        assert errors[2].endswith("UTC: read-only until it is brought back.")
        # The tab's own selection logic cannot turn a writing button back on.
        sessions_tab.new_button.setEnabled(True)
        assert not sessions_tab.new_button.isEnabled()

        # The holder's own window is editable.
        mine = MainWindow(ann, AppSettings())
        qtbot.addWidget(mine)
        mine.select_exec(amelia)
        assert not mine.page.findChild(QLabel, "leaseBanner").isVisibleTo(mine.page) and mine.edit_action.isEnabled()
        _close(mine)

        checkin(ann, local)
    qtbot.waitUntil(lambda: not banner.isVisible(), timeout=10_000)
    assert window.edit_action.isEnabled() and _hook(window, "new_session_for_current").isEnabled()
    assert sessions_tab.new_button.isEnabled() and notice.text() == ""

    # Taken again, then released by the lead (a lost laptop): the page turns read-only and back, live.
    with crew.open("ann") as ann, Workspace.open(tmp_path / "second.db", KEY) as local:
        checkout(ann, local, names=[AMELIA])
    qtbot.waitUntil(banner.isVisible, timeout=10_000)
    with crew.open("lee") as lee:
        release(lee, exec_name=AMELIA)
    qtbot.waitUntil(lambda: not banner.isVisible(), timeout=10_000)
    assert window.edit_action.isEnabled() and sessions_tab.new_button.isEnabled()
    _close(window)
    ws.close()
