"""An exec a colleague holds offline turns its own editing off, not the workspace's (#20 leftover).

Agenda templates (Sessions tab ▸ Templates…) belong to the whole workspace: they stay available on a page
made read-only by a colleague's lease, while the exec's own session buttons go off.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QLabel

from esncoach.services import execs
from esncoach.services.team_checkout import checkout
from esncoach.store.keys import KeyMaterial
from esncoach.store.workspace import Workspace
from esncoach.views.app_settings import AppSettings
from esncoach.views.execs.tabs import EXEC_TABS
from esncoach.views.main_window import MainWindow
from tests.checkout_kit import AMELIA, Team, crew  # noqa: F401 - fixture
from tests.test_checkout_gui import _close

KEY = KeyMaterial("raw", "ef" * 32)


def test_templates_stay_available_on_a_read_only_page(qtbot, crew: Team, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(crew.open("bob"), AppSettings())
    qtbot.addWidget(window)
    window.show()
    window.select_exec(execs.find_exec(window.ws, AMELIA).id)
    window.page.tabs.setCurrentIndex([title for title, _ in EXEC_TABS].index("Sessions"))
    sessions_tab = window.page.tab_widgets[[title for title, _ in EXEC_TABS].index("Sessions")]
    qtbot.waitUntil(window.live_refresh.listener.connected.is_set, timeout=10_000)
    with crew.open("ann") as ann, Workspace.open(tmp_path / "laptop.db", KEY) as local:
        checkout(ann, local, names=[AMELIA])
    banner = window.page.findChild(QLabel, "leaseBanner")
    qtbot.waitUntil(banner.isVisible, timeout=10_000)
    assert not sessions_tab.new_button.isEnabled()
    assert sessions_tab.templates_button.isEnabled()
    window.page.set_exec(window.current_exec_id())  # a refresh of the read-only page keeps it so
    assert sessions_tab.templates_button.isEnabled() and not sessions_tab.new_button.isEnabled()
    _close(window)
    window.ws.close()
